# Forced refreshes get their own permission; reviewers have it, viewers do not.

from django.db import migrations


def grant_to_reviewers(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate): create ours now.
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("applications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="applications", codename="refresh_application")
    group, _ = Group.objects.get_or_create(name="reviewers")
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="applications", codename="refresh_application").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_notifications"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="viberapplication",
            options={
                "ordering": ["-gmt_create", "-id"],
                "permissions": [("refresh_application", "Can force a refresh from CAMS")],
            },
        ),
        migrations.RunPython(grant_to_reviewers, revoke),
    ]
