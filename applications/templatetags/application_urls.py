"""``{% application_url application "refresh" %}``: the address of one of an application's views.

For links to the application page itself ``{{ application.get_absolute_url }}`` is enough; this tag
is for its other views (refresh, background refresh, JSON), which keep the customer space the same way.
"""

from django import template

from ..models.application import application_url

register = template.Library()


@register.simple_tag(name="application_url")
def application_url_tag(application, view: str = "detail") -> str:
    """``application`` is anything with ``request_no`` and ``cust_space_id`` (a model row or not)."""
    return application_url(view, application.request_no, application.cust_space_id or "")
