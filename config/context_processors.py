"""Template context every page may need from settings."""

from django.conf import settings


def email(request):
    # The login page offers password reset only when mail can actually be sent.
    return {"email_configured": settings.EMAIL_CONFIGURED}
