from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Viber applications"

    def ready(self):
        from .role_cache import connect_role_signals

        connect_role_signals()
