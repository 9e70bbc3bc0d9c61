"""Benchmark: the site over HTTP, as deployed (gunicorn, DJANGO_ENV=production, PostgreSQL, Redis).

Starts the CAMS simulator as its own process and gunicorn (2 workers x 25 threads by default),
seeds a few hundred applications into the configured database, logs in through the login form,
then drives each page with wrk (or a bounded Python client where wrk is missing) for --seconds:
the login page (the baseline), the JSON API and the detail page of a stored application, and
the queue page. Then --burst simultaneous first lookups of one number nobody has looked up,
against an upstream answering in --upstream-ms: CAMS must be called once, and every caller
answered within 100 ms of the first. Loopback only.

Needs PostgreSQL and Redis: point DATABASE_URL (a scratch database) and REDIS_URL at them.
"""

import secrets
import statistics
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from applications.benchmarks import http_load
from applications.benchmarks.processes import simulator_process
from applications.benchmarks.seeding import store_from_dataset
from applications.benchmarks.timing import time_calls
from applications.benchmarks.worker_processes import current_database_url
from applications.models import ViberApplication
from applications.sandbox.dataset import build_dataset

BURST_SPREAD_TARGET_MS = 100
REVIEWERS_GROUP = "reviewers"  # made by migration 0002


class Command(BaseCommand):
    help = "Load-test the site over HTTP (gunicorn, production settings) against the login page as baseline."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=300)
        parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=25, help="threads per worker for the burst (gthread)")
        parser.add_argument(
            "--page-worker-class",
            choices=["sync", "gthread"],
            default="sync",
            help="gunicorn workers for the page loads: sync as docker-compose.yml serves the site (default), "
            "or gthread with --threads",
        )
        parser.add_argument("--burst", type=int, default=50, help="simultaneous first lookups of one number")
        parser.add_argument("--upstream-ms", type=int, default=300, help="simulator latency for the burst")
        parser.add_argument("--bursts", type=int, default=1, help="how many bursts, each on a new number")
        parser.add_argument("--skip-pages", action="store_true", help="only the burst(s), no page loads")
        parser.add_argument(
            "--server-only", action="store_true", help="only the in-process server times, without gunicorn or wrk"
        )

    def handle(
        self,
        *args,
        applications,
        seconds,
        connections,
        workers,
        threads,
        page_worker_class,
        burst,
        bursts,
        skip_pages,
        upstream_ms,
        server_only,
        **options,
    ):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("bench_http needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
        size = applications + 100
        dataset = build_dataset(size=size)
        numbers = [number for number in dataset.request_numbers() if not dataset.get(number)[1]]
        stored, uncached = numbers[:applications], numbers[applications : applications + max(bursts, 1)]
        self.stdout.write(f"seeding {len(stored)} applications ...")
        ViberApplication.objects.all().delete()
        store_from_dataset(dataset, stored)
        password = secrets.token_urlsafe(24)
        user, _ = get_user_model()._default_manager.get_or_create(username="bench-http")
        # A reviewer, as the ops team signs in: a superuser would skip every permission check.
        user.is_staff, user.is_superuser = False, False
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
        sample = stored[len(stored) // 2]
        server_times = self._server_times(user, sample)
        if server_only:
            self._report_server_times(server_times)
            return
        with (
            simulator_process(size=size) as simulator,
            tempfile.TemporaryDirectory(prefix="bench-http-") as var_dir,
        ):
            env = http_load.production_env(
                database_url=current_database_url(),
                redis_url=settings.REDIS_URL,
                simulator=simulator,
                var_dir=Path(var_dir),
            )
            results = []
            if not skip_pages:
                results = self._pages(env, password, sample, workers, threads, page_worker_class, connections, seconds)
            outcomes = self._bursts(env, password, sample, uncached, simulator, workers, threads, burst, upstream_ms)
        self.stdout.write(
            f"pages: gunicorn {workers} {page_worker_class} workers"
            + (f" x {threads} threads" if page_worker_class == "gthread" else "")
            + f"; burst: {workers} gthread workers x {threads} threads"
        )
        if results:
            self._report_pages(results, connections=connections, seconds=seconds)
        for outcome, upstream_calls in outcomes:
            self._report_burst(outcome, upstream_calls, burst=burst)
        if len(outcomes) > 1:
            spreads = sorted(outcome.spread_ms for outcome, _calls in outcomes)
            self.stdout.write(
                f"burst spread: median {statistics.median(spreads):.0f} ms of {len(spreads)} "
                f"({spreads[0]:.0f}-{spreads[-1]:.0f} ms)"
            )
        self._report_server_times(server_times)
        ok = all(calls == 1 and o.answers == burst and o.statuses == [200] for o, calls in outcomes)
        if not ok:
            raise CommandError("a burst of first lookups did not share one upstream call")

    def _pages(self, env, password, sample, workers, threads, worker_class, connections, seconds) -> list:
        """wrk on each page, as deployed: sync workers by default, like docker-compose.yml."""
        with http_load.gunicorn(env, workers=workers, threads=threads, worker_class=worker_class) as base:
            cookie = http_load.login(base, "bench-http", password)
            pages = [
                ("login page (baseline)", "/accounts/login/", ""),
                ("JSON API", f"/api/applications/{sample}/", cookie),
                ("detail page", f"/applications/{sample}/", cookie),
                ("queue page", "/queue/", cookie),
            ]
            results = []
            for label, path, page_cookie in pages:
                # A short unmeasured run first: every server thread opens its database connection.
                http_load.load(label, base + path, cookie=page_cookie, connections=connections, seconds=2)
                results.append(
                    http_load.load(label, base + path, cookie=page_cookie, connections=connections, seconds=seconds)
                )
            return results

    def _bursts(self, env, password, sample, uncached, simulator, workers, threads, burst, upstream_ms) -> list:
        """[(outcome, upstream calls)] of each burst on its own new number, on gthread workers: fifty
        callers waiting at once on two sync workers would be served two at a time."""
        outcomes = []
        with http_load.gunicorn(env, workers=workers, threads=threads, worker_class="gthread") as base:
            cookie = http_load.login(base, "bench-http", password)
            # Unmeasured: as on a running site, every thread has its database connection open.
            api = f"{base}/api/applications/{sample}/"
            http_load.load("warm-up", api, cookie=cookie, connections=workers * threads, seconds=2)
            simulator.set_faults(latency_ms=upstream_ms)
            for number in uncached:
                calls_before = simulator.stats()["calls"]
                outcome = http_load.concurrent_first_lookups(
                    f"{base}/api/applications/{number}/", cookie=cookie, count=burst
                )
                outcomes.append((outcome, simulator.stats()["calls"] - calls_before))
        return outcomes

    def _server_times(self, user, request_no) -> dict:
        """Median server time and queries of each page, in this process: no HTTP, no gunicorn.

        Label -> (median ms of 50, queries of one request, status). The login page is the baseline.
        """
        client = Client()
        client.force_login(user)
        anonymous = Client()
        times = {}
        # As deployed: DEBUG off (the page's fragments are cached only then), whatever this shell has.
        with override_settings(CAMS_FRESH_SECONDS=86400, ALLOWED_HOSTS=["testserver"], DEBUG=False):
            for label, page_client, url in (
                ("login page", anonymous, "/accounts/login/"),
                ("JSON API", client, f"/api/applications/{request_no}/"),
                ("detail page", client, f"/applications/{request_no}/"),
                ("queue page", client, "/queue/"),
            ):
                page_client.get(url)  # warm: templates compiled, fragments cached, connection open
                with CaptureQueriesContext(connection) as captured:
                    status = page_client.get(url).status_code
                queries = len(captured)  # now: the next request resets connection.queries_log
                median = statistics.median(time_calls(lambda c=page_client, u=url: c.get(u), 50))
                times[label] = (median, queries, status)
        return times

    def _report_server_times(self, times):
        login_ms = times["login page"][0]
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        self.stdout.write(f"server time in this process (test client, median of 50; load average {load}):")
        for label, (ms, queries, status) in times.items():
            self.stdout.write(
                f"  {label:<14} {ms:7.2f} ms  {ms / login_ms:5.2f}x login  {queries:>2} queries  HTTP {status}"
            )

    def _report_pages(self, results, *, connections, seconds):
        baseline = results[0].requests_per_second
        load = Path("/proc/loadavg").read_text().split()[:3]
        self.stdout.write(f"{connections} connections, {seconds} s per page; load average {' '.join(load)}")
        self.stdout.write(f"{'page':<24} {'req/s':>8} {'p50':>9} {'p99':>9} {'ratio':>7} {'errors':>7}")
        for result in results:
            self.stdout.write(
                f"{result.label:<24} {result.requests_per_second:8.1f} {result.p50_ms:7.1f}ms "
                f"{result.p99_ms:7.1f}ms {result.requests_per_second / baseline:6.2f}x {result.errors:>7}"
            )

    def _report_burst(self, outcome, upstream_calls, *, burst):
        verdict = "ok" if outcome.spread_ms <= BURST_SPREAD_TARGET_MS else f"over {BURST_SPREAD_TARGET_MS} ms"
        self.stdout.write(
            f"{burst} concurrent first lookups of one number: {upstream_calls} upstream call(s), "
            f"{outcome.answers} answers (HTTP {', '.join(map(str, outcome.statuses))}), first after "
            f"{outcome.first_ms:.0f} ms, last {outcome.spread_ms:.0f} ms after the first ({verdict})"
        )
