"""Views, one module per page or topic; each validates, calls services or selectors, and renders.

``errors`` turns an invalid request number and CAMS failures into the same HTTP answers everywhere.
"""
from .api import application_detail_api
from .health import health, health_api
from .home import home
from .pages import detail, lookup, refresh, refresh_background

__all__ = ["application_detail_api", "detail", "home", "lookup", "refresh",
           "health", "health_api", "refresh_background"]
