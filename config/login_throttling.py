"""The user name django-axes counts failures against."""

from django.contrib.auth import get_user_model


def attempted_username(request, credentials):
    """The name as typed, cut to the longest a user name can be.

    axes stores it in a 255-character column: a longer paste would make PostgreSQL refuse the
    insert (a 500) instead of counting a failure. No real user name is longer than the field.
    """
    field = get_user_model().USERNAME_FIELD
    if credentials:
        name = credentials.get(field)
    else:
        name = request.POST.get("username") if request is not None else None
    if not isinstance(name, str):
        return name
    return name[: get_user_model()._meta.get_field(field).max_length or 150]
