"""The admin site: Django's, but it lists the apps and models only on the pages that show them.

Django builds that list (every registered model, a permission check and two URLs each) for every
admin page, for the navigation sidebar. This site has no sidebar (templates/admin/base_site.html
empties it: it squeezed the change list), so only the index and app index pages show the list; on
a change list of a million rows it was work thrown away on every request. The list is now built
when a template first reads it.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class ViberReviewAdminSite(AdminSite):
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        return SimpleLazyObject(lambda: super(ViberReviewAdminSite, self).get_app_list(request, app_label))


class ViberReviewAdminConfig(AdminConfig):
    default_site = "config.admin_site.ViberReviewAdminSite"
