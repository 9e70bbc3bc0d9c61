"""Time the ViberApplication changelist, optimised admin against the stock one (bench_admin_search).

Requests go through Django's test client as a logged-in superuser, so the figure is the
server's whole time for the page: middleware, queries, template. The stock admin is timed
inside a transaction in which the search indexes (``app_search_*``, migration 0003) are
dropped; the transaction is rolled back afterwards, so the indexes are back when it ends.
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment

from ..models import ViberApplication
from .timing import summary, time_calls

OPTIMISED_URL = "/admin/applications/viberapplication/"
STOCK_URL = "/stock-admin/applications/viberapplication/"
STOCK_URLCONF = "applications.benchmarks.stock_admin"
SEARCH_INDEX_PREFIX = "app_search_"
FULL_COUNT = re.compile(
    r"SELECT COUNT\(\*\) AS \"__count\" FROM \"applications_viberapplication\"(?! *\) subquery)"
    r"(?!.*LIMIT)",
    re.S,
)


@dataclass
class Case:
    label: str
    query: dict


@dataclass
class Result:
    case: Case
    optimised: dict
    stock: dict
    optimised_rows: int
    stock_rows: int
    optimised_queries: int
    stock_full_counts: int
    optimised_full_counts: int
    slowest_sql: str
    stock_indexed: dict | None = None


class _Rollback(Exception):
    pass


def pick_cases() -> list[Case]:
    """Search terms taken from a row in the middle of the table (so they exist, and are not the first page)."""
    middle = ViberApplication.objects.order_by("pk").values("pk").first()["pk"] + 1
    total = ViberApplication.objects.order_by("-pk").values("pk").first()["pk"]
    row = ViberApplication.objects.filter(pk__gte=(middle + total) // 2).order_by("pk").first()
    brand = row.company_english_name.split()[0]
    fragment = brand[1:7] if len(brand) > 6 else brand  # inside the name, not its start
    email = row.contact_email
    at = email.index("@")
    email_fragment = email[at - 3 : at + 9]  # "…ssi@kalotel…": crosses the "@"
    return [
        Case(f"company name fragment {fragment!r}", {"q": fragment}),
        Case(f"e-mail fragment {email_fragment!r}", {"q": email_fragment}),
        Case(f"exact request number {row.request_no}", {"q": row.request_no}),
        Case("unfiltered first page", {}),
    ]


def bench_client() -> Client:
    user, _ = get_user_model()._default_manager.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def _measure(client, url, query, repeat):
    def get():
        response = client.get(url, query)
        if response.status_code != 200:
            raise RuntimeError(f"{url} {query}: HTTP {response.status_code}")
        return response

    response = get()  # warm up (and the row count of the page)
    rows = len(response.context["cl"].result_list)
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = list(captured.captured_queries)  # copy now: each request resets the connection's log
    samples = time_calls(get, repeat)
    return summary(samples), rows, queries


def _drop_search_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
            [ViberApplication._meta.db_table, SEARCH_INDEX_PREFIX + "%"],
        )
        names = [name for (name,) in cursor.fetchall()]
        for name in names:
            cursor.execute(f'DROP INDEX "{name}"')
    return names


def run(
    cases: list[Case],
    *,
    repeat: int,
    client: Client | None = None,
    stock_with_indexes: bool = False,
    stock: bool = True,
) -> tuple[list[Result], list[str]]:
    """Optimised admin, then stock admin without the search indexes (and, if asked, with them)."""
    try:
        setup_test_environment()  # the test client then records the response's context
    except RuntimeError:
        pass  # already set up (under pytest)
    client = client or bench_client()
    optimised = {}
    for case in cases:
        optimised[case.label] = _measure(client, OPTIMISED_URL, case.query, repeat)
    stock_runs, stock_indexed, hidden = {}, {}, []
    with override_settings(ROOT_URLCONF=STOCK_URLCONF):
        if stock_with_indexes:
            for case in cases:
                stock_indexed[case.label] = _measure(client, STOCK_URL, case.query, repeat)[0]
        try:
            with transaction.atomic():
                hidden = _drop_search_indexes() if stock else []
                for case in cases if stock else []:
                    stock_runs[case.label] = _measure(client, STOCK_URL, case.query, repeat)
                raise _Rollback
        except _Rollback:
            pass
    skipped = ({"median_ms": float("nan")}, 0, [])
    results = []
    for case in cases:
        (opt_stats, opt_rows, opt_queries), (stock_stats, stock_rows, stock_queries) = (
            optimised[case.label],
            stock_runs.get(case.label, skipped),
        )
        slowest = max(opt_queries, key=lambda q: float(q["time"]))
        results.append(
            Result(
                case=case,
                optimised=opt_stats,
                stock=stock_stats,
                optimised_rows=opt_rows,
                stock_rows=stock_rows,
                optimised_queries=len(opt_queries),
                optimised_full_counts=sum(bool(FULL_COUNT.search(q["sql"])) for q in opt_queries),
                stock_full_counts=sum(bool(FULL_COUNT.search(q["sql"])) for q in stock_queries),
                slowest_sql=slowest["sql"],
                stock_indexed=stock_indexed.get(case.label),
            )
        )
    return results, hidden


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
