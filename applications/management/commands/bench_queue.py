"""Benchmark: the review queue's server time at N applications (default 100,000).

Seeds synthetic applications with bulk_create when the table has fewer than N (never deletes),
then times full requests through Django's test client (middleware, view, queries, template) for
a filtered, sorted first page, deep pages, and the lazily loaded metrics fragment. Point
DATABASE_URL at a scratch PostgreSQL database; the target is under 150 ms.
"""
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.benchmarks.queue_seed import seed_queue
from applications.benchmarks.timing import format_row, summary
from applications.models import ViberApplication
from applications.selectors_queue import PAGE_SIZE

TARGET_MS = 150


class Command(BaseCommand):
    help = "Seed N applications if needed and time the review queue pages (target < 150 ms)."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, n, repeat, **options):
        present = ViberApplication.objects.count()
        if present < n:
            self.stdout.write(f"seeding {n - present} applications (have {present}) ...")
            started = time.perf_counter()
            seed_queue(count=n - present, start=present,
                       progress=lambda done: self.stdout.write(f"  {done}") if done % 20_000 == 0 else None)
            self.stdout.write(f"seeded in {time.perf_counter() - started:.1f} s")
        total = ViberApplication.objects.count()
        client = Client()
        client.force_login(self._reviewer())
        queue = reverse("applications:queue")
        filtered = "state=I&audit_result=auditing&sort=-created"
        filtered_total = ViberApplication.objects.filter(state="I", audit_result="auditing").count()
        deep_filtered = max(1, filtered_total // PAGE_SIZE // 2)
        deep_all = max(1, total // PAGE_SIZE // 2)
        cases = [
            ("filtered sorted, page 1", f"{queue}?{filtered}"),
            (f"filtered sorted, page {deep_filtered}", f"{queue}?{filtered}&page={deep_filtered}"),
            ("unfiltered, page 1", queue),
            (f"unfiltered, page {deep_all}", f"{queue}?page={deep_all}"),
            ("filtered by country+type", f"{queue}?country=DE&request_type=viberOpen&sort=-audited"),
            ("search 'Acme Bolt'", f"{queue}?q=Acme+Bolt"),
            ("metrics fragment (30 d)", reverse("applications:queue-metrics") + "?period=30"),
        ]
        self.stdout.write(f"{connection.vendor}: {total} applications, {filtered_total} match '{filtered}'; "
                          f"{repeat} requests each after one warm-up")
        worst = 0.0
        for label, url in cases:
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200  # warm-up
            with CaptureQueriesContext(connection) as queries:
                client.get(url, HTTP_HX_REQUEST="true")
            samples = []
            for _ in range(repeat):
                reset_queries()
                started = time.perf_counter()
                response = client.get(url, HTTP_HX_REQUEST="true")
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            stats = summary(samples)
            worst = max(worst, stats["median_ms"])
            self.stdout.write(f"{format_row(label, stats)}  queries={len(queries)}")
        verdict = "OK" if worst < TARGET_MS else "OVER"
        self.stdout.write(f"worst median {worst:.1f} ms: {verdict} (target < {TARGET_MS} ms)")

    def _reviewer(self):
        user, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
        group, _ = Group.objects.get_or_create(name="reviewers")
        group.permissions.add(*Permission.objects.filter(codename="review_application"))
        user.groups.add(group)
        return user
