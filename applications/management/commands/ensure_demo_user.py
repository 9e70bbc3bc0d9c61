"""Create, or reset, the local demo superuser `demo`.

The password is generated once, kept in var/demo-password (mode 600, never in git)
and re-applied on every run, so `make run` always prints a login that works.
Refused when DJANGO_ENV=production.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "demo"
PASSWORD_FILE_NAME = "demo-password"


def demo_password_file():
    return settings.VAR_DIR / PASSWORD_FILE_NAME


def read_or_create_password(path):
    try:
        # O_EXCL: two concurrent runs cannot both write a different password.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        path.chmod(0o600)
        password = path.read_text().strip()
        if password:
            return password
        raise CommandError(f"{path} is empty; delete it to generate a new password") from None
    password = secrets.token_urlsafe(12)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return password


class Command(BaseCommand):
    help = "Create or reset the local demo superuser (username 'demo'); never in production."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("ensure_demo_user is for local runs only (DJANGO_ENV=production)")
        password = read_or_create_password(demo_password_file())
        user, created = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        action = "Created" if created else "Reset"
        self.stdout.write(f"{action} demo superuser: {USERNAME} / {password} (kept in {demo_password_file()})")
