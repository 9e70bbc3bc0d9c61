"""Views: HTML pages in ``pages``, the JSON API in ``api``; both only call services."""
from .api import application_detail_api
from .pages import detail, home, lookup, refresh
from .health import health, health_api, refresh_background

__all__ = ["application_detail_api", "detail", "home", "lookup", "refresh",
           "health", "health_api", "refresh_background"]
