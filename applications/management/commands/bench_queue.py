"""Benchmark: the review queue's server time at N applications (default 100,000).

Seeds generated applications (benchmarks.seeding) when the table has fewer than N (never deletes),
then times full requests through Django's test client (middleware, view, queries, template) for
a filtered, sorted first page, deep pages, and the lazily loaded metrics fragment. Point
DATABASE_URL at a scratch PostgreSQL database; the target is 40 ms or less for every case,
cold and warm (issue 13).

Per queue case it prints:
- ``cold``: the request with the cached counts of its filter set deleted first (the first visit
  to a filter set; choices caches stay warm, as they are on a running site). The page does not
  wait for uncached counts: it shows its rows and the counts section loads them;
- ``counts``: that lazily loaded counts fragment, cold (what the browser asks for next; it fills
  the cache);
- ``warm``: the same request within the counts' 30 s (what paging through a list costs);
- ``vs naive``: the selector alone (cold) against benchmarks.queue_naive, the same reads done
  the stock way, timed alternately in the same run: a ratio the shared machine's noise cannot
  move much, unlike the milliseconds.
"""

import time
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.benchmarks.queue_naive import naive_page
from applications.benchmarks.seeding import seed_applications
from applications.benchmarks.timing import summary
from applications.forms.queue import QueueFilterForm
from applications.models import ViberApplication
from applications.queue_cache import filters_key
from applications.selectors.queue import PAGE_SIZE, queue_page

TARGET_MS = 40


class Command(BaseCommand):
    help = "Seed N applications if needed and time the review queue pages (target <= 40 ms)."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--no-baseline", action="store_true", help="skip the naive selector comparison")

    def handle(self, *args, n, repeat, no_baseline, **options):
        present = ViberApplication.objects.count()
        if present < n:
            self.stdout.write(f"seeding {n - present} applications (have {present}) ...")
            started = time.perf_counter()
            seed_applications(count=n - present, start=present, progress=lambda done: self.stdout.write(f"  {done}"))
            self.stdout.write(f"seeded in {time.perf_counter() - started:.1f} s")
        total = ViberApplication.objects.count()
        self.user = self._reviewer()
        self.client = Client()
        self.client.force_login(self.user)
        queue = reverse("applications:queue")
        filtered = "state=I&audit_result=auditing&sort=-created"
        filtered_total = ViberApplication.objects.filter(state="I", audit_result="auditing").count()
        deep_filtered = max(1, filtered_total // PAGE_SIZE // 2)
        deep_all = max(1, total // PAGE_SIZE // 2)
        # Two words of one stored name, as a person would type them: a handful of rows match.
        name = ViberApplication.objects.order_by("pk").values_list("company_english_name", flat=True)[total // 2]
        term = " ".join(name.split()[:2])
        cases = [
            ("filtered sorted, page 1", f"{queue}?{filtered}"),
            (f"filtered sorted, page {deep_filtered}", f"{queue}?{filtered}&page={deep_filtered}"),
            ("unfiltered, page 1", queue),
            (f"unfiltered, page {deep_all}", f"{queue}?page={deep_all}"),
            ("filtered by country+type", f"{queue}?country=DE&request_type=viberOpen&sort=-audited"),
            (f"search '{term}'", f"{queue}?{urlencode({'q': term})}"),
        ]
        self.stdout.write(
            f"{connection.vendor}: {total} applications, {filtered_total} match '{filtered}'; "
            f"{repeat} requests each after one warm-up; medians (p90) in ms"
        )
        worst = 0.0
        for label, url in cases:
            worst = max(worst, self._queue_case(label, url, repeat, baseline=not no_baseline))
        metrics = reverse("applications:queue-metrics") + "?period=30"
        stats, queries = self._requests(metrics, repeat, before=None)
        self.stdout.write(
            f"{'metrics fragment (30 d)':<28} {stats['median_ms']:7.1f} ({stats['p90_ms']:6.1f})  q={queries}"
        )
        worst = max(worst, stats["median_ms"])
        verdict = "OK" if worst <= TARGET_MS else "OVER"
        self.stdout.write(f"worst median {worst:.1f} ms (cold or warm): {verdict} (target <= {TARGET_MS} ms)")

    def _queue_case(self, label, url, repeat, *, baseline: bool) -> float:
        params = QueryDict(urlsplit(url).query)
        filters = QueueFilterForm(params).filters()
        key = filters_key(filters, self.user)
        cold, cold_queries = self._requests(url, repeat, before=lambda: cache.delete(key))
        query = urlsplit(url).query
        counts_url = reverse("applications:queue-metrics") + "?" + (f"{query}&" if query else "") + "counts=1"
        counts, counts_queries = self._requests(counts_url, repeat, before=lambda: cache.delete(key))
        warm, warm_queries = self._requests(url, repeat, before=None)
        line = (
            f"{label:<28} cold {cold['median_ms']:7.1f} ({cold['p90_ms']:6.1f}) q={cold_queries:<2}  "
            f"counts {counts['median_ms']:6.1f} ({counts['p90_ms']:6.1f}) q={counts_queries:<2}  "
            f"warm {warm['median_ms']:7.1f} ({warm['p90_ms']:6.1f}) q={warm_queries:<2}"
        )
        if baseline:
            line += "  " + self._versus_naive(dict(parse_qsl(urlsplit(url).query)), filters, key, repeat)
        self.stdout.write(line)
        return max(cold["median_ms"], warm["median_ms"])

    def _requests(self, url, repeat, *, before) -> tuple[dict, int]:
        """Timings of ``repeat`` requests (after one warm-up), and the queries of one of them."""
        if before:
            before()
        assert self.client.get(url, HTTP_HX_REQUEST="true").status_code == 200  # warm-up
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            self.client.get(url, HTTP_HX_REQUEST="true")
        queries = len(captured)  # now: a later request resets connection.queries_log
        samples = []
        for _ in range(repeat):
            if before:
                before()
            started = time.perf_counter()
            response = self.client.get(url, HTTP_HX_REQUEST="true")
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        return summary(samples), queries

    def _versus_naive(self, params, filters, key, repeat) -> str:
        sort, page = params.get("sort"), int(params.get("page", 1))
        optimised, naive = [], []
        for _ in range(repeat):  # alternate, so both see the same machine load
            cache.delete(key)
            started = time.perf_counter()
            queue_page(filters=filters, user=self.user, sort=sort, page=page)
            optimised.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            naive_page(filters=filters, user=self.user, sort=sort, page=page)
            naive.append((time.perf_counter() - started) * 1000)
        new, old = summary(optimised)["median_ms"], summary(naive)["median_ms"]
        return f"selector {new:6.1f} vs naive {old:6.1f} = x{old / new:4.1f}"

    def _reviewer(self):
        user, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
        group, _ = Group.objects.get_or_create(name="reviewers")
        group.permissions.add(*Permission.objects.filter(codename="review_application"))
        user.groups.add(group)
        return user
