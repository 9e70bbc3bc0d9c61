"""E-mail settings (Django's ``MAILERS``) from ``EMAIL_URL`` or the usual EMAIL_HOST/PORT/... variables.

Without either, mail is written to files under var/mail (Django's file backend), so a local run
needs no mail server and the messages can be read there.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_str

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _from_url(url: str) -> dict:
    """smtp://user:pass@host:port; STARTTLS with smtp+tls:// (or ?tls=1); implicit TLS with smtps://."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtp+tls", "smtps", "smtp+ssl"}:
        raise ImproperlyConfigured(f"EMAIL_URL must use smtp://, smtp+tls:// or smtps://, got {parts.scheme!r}")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has an invalid port") from None
    ssl = parts.scheme in {"smtps", "smtp+ssl"}
    tls = parts.scheme == "smtp+tls" or "tls=1" in parts.query or "tls=true" in parts.query
    return {
        "host": parts.hostname or "localhost",
        "port": port or (465 if ssl else 587 if tls else 25),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": tls,
        "use_ssl": ssl,
    }


def mail_settings(var_dir, *, production: bool) -> dict:
    """``MAILERS`` and ``DEFAULT_FROM_EMAIL``; the SMTP timeout is ``EMAIL_TIMEOUT`` seconds."""
    timeout = env_int("EMAIL_TIMEOUT", 10, minimum=1)
    if url := env_str("EMAIL_URL", ""):
        options = _from_url(url)
    elif host := env_str("EMAIL_HOST", ""):
        options = {
            "host": host,
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
        }
    else:
        options = None
    if options is not None:
        if options["use_tls"] and options["use_ssl"]:
            raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other")
        mailer = {"BACKEND": SMTP_BACKEND, "OPTIONS": {**options, "timeout": timeout}}
    elif production:
        # Nothing configured: Django's historical default, an SMTP server on localhost:25. Password
        # reset stays hidden (EMAIL_CONFIGURED is false) and e-mail deliveries fail visibly in the log.
        mailer = {"BACKEND": SMTP_BACKEND, "OPTIONS": {"host": "localhost", "port": 25, "timeout": timeout}}
    else:
        # The file backend makes its folder when it first sends, so nothing is created at import.
        mail_dir = var_dir / "mail"
        mailer = {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(mail_dir)},
        }
    return {
        "MAILERS": {"default": mailer},
        "DEFAULT_FROM_EMAIL": env_str("DEFAULT_FROM_EMAIL", "Viber Review <viber-review@localhost>"),
        "NOTIFY_EMAIL_TIMEOUT_SECONDS": timeout,
        # Real mail can be sent (password reset is offered only then).
        "EMAIL_CONFIGURED": options is not None,
    }
