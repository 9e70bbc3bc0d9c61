"""Benchmark: a cached lookup (fresh copy in the database) against a fresh one (CAMS call).

Runs against an in-process CAMS simulator over loopback through the real SDK, on the
configured database and cache. Prints both timings and their ratio, measured in one run.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from applications.benchmarks.timing import format_row, summary, time_calls
from applications.sandbox.dataset import EXAMPLE_REQUEST_NO
from applications.sandbox.server import start_simulator
from applications.services.lookup import SOURCE_CACHE, application_lookup


class Command(BaseCommand):
    help = "Time cached versus fresh lookups of one application against the CAMS simulator."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=200)
        parser.add_argument("--latency-ms", type=int, default=0, help="simulated CAMS latency")
        parser.add_argument("--request-no", default=EXAMPLE_REQUEST_NO)

    def handle(self, *args, repeat, latency_ms, request_no, **options):
        with start_simulator(latency_ms=latency_ms) as simulator:
            settings.CAMS_ENDPOINT, settings.CAMS_PROTOCOL = simulator.endpoint, "http"
            settings.CAMS_ACCESS_KEY_ID = simulator.access_key_id
            settings.CAMS_ACCESS_KEY_SECRET = simulator.access_key_secret
            settings.CAMS_MAX_QPS = 100_000  # measure the path, not the limiter
            settings.CAMS_FRESH_SECONDS = 3600
            application_lookup(request_no=request_no, force=True)  # warm up connections and the row

            fresh = summary(time_calls(lambda: application_lookup(request_no=request_no, force=True), repeat))
            cached = summary(time_calls(lambda: application_lookup(request_no=request_no), repeat))
            assert application_lookup(request_no=request_no).source == SOURCE_CACHE
            calls = simulator.stats()["calls"]

        self.stdout.write(
            f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
            f"simulated latency: {latency_ms} ms, CAMS calls made: {calls}"
        )
        self.stdout.write(format_row("fresh lookup (CAMS call)", fresh))
        self.stdout.write(format_row("cached lookup (database)", cached))
        self.stdout.write(f"cached is {fresh['median_ms'] / cached['median_ms']:.1f}x faster than fresh (median)")
