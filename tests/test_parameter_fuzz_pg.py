"""Hostile parameters never make a server error: every URL pattern of the URLconf, on PostgreSQL.

For each pattern (ours, the auth views, every admin URL) the test builds URLs with hostile values in
its path parameters, and sends hostile values in every query parameter the page reads: the queue's
filters, sorting and page number, the admin changelists' own list-filter parameters (read from
each changelist's filter specs), search ``q``, ordering ``o`` and page ``p``. Views that take POST
get hostile form data too. Any 5xx is a failure. CAMS is the live simulator, so request numbers
that validate are really looked up (and answered "not found").
"""

import itertools

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from applications.models import BulkLookup
from tests.factories import make_application

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "2024-01-01\x00",
    "9999-12-31",
    "0001-01-01",
    "99999-01-01",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "İ̇ﬁ🙂\u202e\u2066ع",
    "x" * 3000,
    "' OR 1=1 --",
    "1; DROP TABLE applications_viberapplication;--",
    "%_\\",
    "[]",
]
# Values a path segment can hold (no "/"); int converters get numbers only.
HOSTILE_SEGMENTS = ["9999-12-31", "99999999999999999999", "İ̇ﬁ🙂\u202e" + "x" * 300, "' OR 1=1 --", ".."]
# Tried one parameter at a time (every value of HOSTILE is tried on all parameters at once).
HOSTILE_EACH = ["\x00", "9999-12-31"]
# Sent as the fields of every POST form.
HOSTILE_FORM = ["\x00", "9999-12-31", "99999999999999999999", "x" * 3000, "' OR 1=1 --"]
HOSTILE_INTS = ["0", "99999999999999999999", "2147483648"]
# Query parameters our own pages read.
APP_PARAMS = [
    "q",
    "state",
    "audit_result",
    "request_type",
    "industry",
    "country",
    "cust_space_id",
    "review_status",
    "assignee",
    "created_from",
    "created_to",
    "sort",
    "page",
    "period",
    "request_no",
    "next",
]
# Fields our POST forms read (bulk lookup, review actions, login).
FORM_FIELDS = ["numbers", "cust_space_id", "status", "note", "assignee", "username", "password", "email"]
ADMIN_PARAMS = ["q", "o", "p", "e", "all", "_changelist_filters", "_to_field", "_popup"]


def _walk(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _parameter_names(entry: URLPattern) -> list[str]:
    return list(entry.pattern.regex.groupindex)


def _urls_for(name, entry, valid):
    """``(url, valid)`` for one pattern: valid arguments first, then each parameter hostile in turn."""
    if name.startswith("applications:bulk"):
        valid = {**valid, "pk": valid["bulk_pk"]}
    names = _parameter_names(entry)
    if not names:
        yield reverse(name), True
        return
    converters = getattr(entry.pattern, "converters", {})
    base = {param: valid.get(param, "1") for param in names}
    candidates = [base]
    for param in names:
        is_int = type(converters.get(param)).__name__ == "IntConverter"
        for value in HOSTILE_INTS if is_int else HOSTILE_SEGMENTS:
            candidates.append({**base, param: value})
    for index, kwargs in enumerate(candidates):
        try:
            yield reverse(name, kwargs=kwargs), index == 0
        except NoReverseMatch:
            continue  # the pattern itself refuses the value: it never reaches a view


def _admin_filter_params(client) -> dict[str, list[str]]:
    """Each changelist's URL -> the query parameters its list filters read."""
    params = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        names = list(ADMIN_PARAMS)
        for spec in response.context["cl"].filter_specs:
            names += spec.expected_parameters()
        params[url] = names
    return params


@pytest.mark.timeout(900)
def test_no_url_of_the_urlconf_answers_a_5xx_to_hostile_parameters(admin_user, live_cams, settings):
    assert connection.vendor == "postgresql", "this fuzz is about PostgreSQL's refusals (NUL, ranges)"
    settings.CAMS_NOT_FOUND_TTL_SECONDS = 0
    application = make_application()
    bulk = BulkLookup.objects.create(total=0, status=BulkLookup.Status.DONE)
    valid = {
        "request_no": application.request_no,
        "pk": str(application.pk),
        "object_id": str(application.pk),
        "app_label": "applications",
        "content_type_id": "1",
        "uidb64": "MQ",
        "token": "set-password",
        "url": "nowhere",
        "bulk_pk": str(bulk.pk),
    }
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    admin_params = _admin_filter_params(client)
    failures, requests = [], 0

    def check(method, url, data=None):
        nonlocal requests
        requests += 1
        response = getattr(client, method)(url, data or {})
        if response.status_code >= 500:
            failures.append((response.status_code, method.upper(), url, repr(data)[:120]))

    patterns = list(_walk(get_resolver().url_patterns))
    assert len(patterns) > 40  # ours, auth's and the admin's
    skip = {"logout", "admin:logout"}  # would end the session the rest of the fuzz needs
    for name, entry in patterns:
        if name in skip:
            continue
        for url, valid_path in _urls_for(name, entry, valid):
            ours = not url.startswith("/admin/")
            if not valid_path:  # a hostile path segment: the plain GET (and POST) must already hold
                check("get", url)
                if ours:
                    check("post", url, dict.fromkeys(FORM_FIELDS, "x"))
                continue
            names = admin_params.get(url, APP_PARAMS if ours else ADMIN_PARAMS)
            for value in HOSTILE:
                check("get", url, dict.fromkeys(names, value))  # all at once
            for param, value in itertools.product(names, HOSTILE_EACH):
                check("get", url, {param: value})  # one at a time: no other refusal hides it
            if ours:
                for value in HOSTILE_FORM:
                    check("post", url, dict.fromkeys(FORM_FIELDS, value))
    assert requests > 1000
    assert failures == []
