"""Views: HTML pages in ``pages``, the JSON API in ``api``; both only call services."""
from .api import application_detail_api
from .pages import detail, home, lookup, refresh

__all__ = ["application_detail_api", "detail", "home", "lookup", "refresh"]
