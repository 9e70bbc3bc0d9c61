"""What a view answers when the application it names is not valid or CAMS fails, decided once.

Pages and the JSON API answer alike: the same status and ``Retry-After`` for each CAMS domain
error (applications/cams/errors.py), and a 400 for a request number or customer space that does
not validate. Only the body differs: the lookup error page or the home page re-showing the form
for people, the error's fields as JSON for scripts.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..cams.errors import CamsError, NotFound
from ..forms.lookup import LookupForm
from ..models.application import application_url
from ..selectors.applications import application_other_spaces
from ..validation import clean_cust_space_id, clean_request_no
from .home import home_context


def retry_after(error: CamsError) -> str | None:
    """The ``Retry-After`` value (whole seconds, at least 1) when CAMS said when to come back."""
    return str(max(1, round(error.retry_after))) if error.retry_after else None


def _with_retry_after(response, error: CamsError):
    if (seconds := retry_after(error)) is not None:
        response["Retry-After"] = seconds
    return response


def not_found_message(request_no: str, cust_space_id: str = "") -> str:
    """The one wording of "CAMS has no such application": an answer, not a failure."""
    if cust_space_id:
        return _("CAMS has no application with request number %(request_no)s in customer space %(space)s.") % {
            "request_no": request_no,
            "space": cust_space_id,
        }
    return _("CAMS has no application with request number %(request_no)s in the default customer space.") % {
        "request_no": request_no
    }


def _other_spaces(error: CamsError, request_no: str, cust_space_id: str) -> list[str]:
    if not isinstance(error, NotFound):
        return []
    return application_other_spaces(request_no=request_no, cust_space_id=cust_space_id)


def cams_error_page(request, error: CamsError, *, request_no: str, cust_space_id: str = ""):
    """The lookup error page (what CAMS said, its code and RequestId, the form to try again).

    "Not found" is an answer rather than a failure: it gets its own wording, and a hint when the
    number is stored under another customer space.
    """
    form = LookupForm(initial={"request_no": request_no, "cust_space_id": cust_space_id})
    other_spaces = _other_spaces(error, request_no, cust_space_id)
    context = {
        "error": error,
        "not_found": isinstance(error, NotFound),
        "not_found_message": not_found_message(request_no, cust_space_id),
        "other_spaces": [(space, application_url("detail", request_no, space)) for space in other_spaces],
        "request_no": request_no,
        "cust_space_id": cust_space_id,
        "form": form,
        "cust_space_ids": settings.CAMS_CUST_SPACE_IDS,
    }
    return _with_retry_after(
        render(request, "applications/lookup_error.html", context, status=error.http_status), error
    )


def cams_error_json(error: CamsError, *, request_no: str = "", cust_space_id: str = "") -> JsonResponse:
    body = error.as_dict()
    if isinstance(error, NotFound):
        body.update(
            title=_("No application with request number %(request_no)s") % {"request_no": request_no},
            message=not_found_message(request_no, cust_space_id),
            found=False,
            other_cust_space_ids=_other_spaces(error, request_no, cust_space_id),
        )
    return _with_retry_after(JsonResponse(body, status=error.http_status), error)


def invalid_key_page(request, form: LookupForm):
    """The home page re-showing the form with its messages."""
    return render(request, "applications/home.html", home_context(form), status=400)


def invalid_key_json(form: LookupForm) -> JsonResponse:
    errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    message = " ".join(" ".join(messages) for messages in errors.values())
    return JsonResponse({"error": "invalid_request", "message": message, "fields": errors}, status=400)


def json_login_required(view):
    """For the JSON API: an anonymous call gets a 401 JSON body, never a redirect to the login page,
    so a client can tell "log in" from "not found"."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            response = JsonResponse({"error": "unauthenticated", "message": _("Log in to use this API.")}, status=401)
            response["WWW-Authenticate"] = 'Session realm="viber-review"'
            return response
        return view(request, *args, **kwargs)

    return wrapped


def application_view(*, json: bool = False):
    """Decorate a view of one application as ``view(request, request_no, cust_space_id)``.

    The request number comes from the URL (or, without one, the ``request_no`` query parameter of
    the lookup form) and the customer space from ``?cust_space_id=``; both are validated by
    ``LookupForm``. An invalid one, or a CamsError raised by the view, becomes the answer above:
    a page, or JSON when ``json`` is true.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, request_no=None):
            data = {
                "request_no": request.GET.get("request_no", "") if request_no is None else request_no,
                "cust_space_id": request.GET.get("cust_space_id", ""),
            }
            try:
                # The form's own checks, without the form: building one per request cost as much as
                # the row read. Only a refused key needs the form, for its messages.
                request_no = clean_request_no(data["request_no"])
                cust_space_id = clean_cust_space_id(data["cust_space_id"])
            except ValidationError:
                form = LookupForm(data)
                if not form.is_valid():
                    return invalid_key_json(form) if json else invalid_key_page(request, form)
                request_no, cust_space_id = form.cleaned_data["request_no"], form.cleaned_data["cust_space_id"]
            try:
                return view(request, request_no, cust_space_id)
            except CamsError as error:
                if json:
                    return cams_error_json(error, request_no=request_no, cust_space_id=cust_space_id)
                return cams_error_page(request, error, request_no=request_no, cust_space_id=cust_space_id)

        return wrapped

    return decorator
