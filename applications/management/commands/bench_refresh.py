"""Benchmark: refresh N due applications through real Celery workers under the shared rate limit.

Starts the CAMS simulator in this process (latency and, optionally, its own QPS limit past which
it answers Throttling.User like the real gateway), seeds N stored applications, moves some of
them upstream so the refresh has changes to find, starts real worker processes, runs the planner
once and waits until every record has been refreshed. Prints the wall time against the bound
N / CAMS_MAX_QPS, the calls made, the throttled calls and the records changed.

Needs Redis (REDIS_URL) and uses the configured database: point DATABASE_URL at a scratch one.
"""

import time
from contextlib import ExitStack

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from applications.benchmarks.seeding import store_from_dataset
from applications.benchmarks.worker_processes import celery_worker, current_database_url
from applications.models import ApplicationEvent, ViberApplication
from applications.sandbox.dataset import build_dataset
from applications.sandbox.server import start_simulator
from applications.services.planner import refresh_plan_and_enqueue


class Command(BaseCommand):
    help = "Refresh N due applications with real workers against the simulator; print time vs N/QPS."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=2000)
        parser.add_argument("--qps", type=float, default=50.0, help="CAMS_MAX_QPS for the workers")
        parser.add_argument(
            "--sim-max-qps", type=float, default=None, help="the simulator's own limit (default: the same as --qps)"
        )
        parser.add_argument("--latency-ms", type=int, default=50)
        # Two processes use both cores (the GIL caps one process's threads at one core).
        parser.add_argument("--concurrency", type=int, default=6, help="threads per worker process")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--timeout", type=float, default=600)

    def handle(self, *args, n, qps, sim_max_qps, latency_ms, concurrency, workers, timeout, **options):
        if not settings.REDIS_URL:
            raise CommandError("bench_refresh needs REDIS_URL: the limiter and the broker are shared by processes")
        sim_max_qps = qps if sim_max_qps is None else sim_max_qps
        # Records in a customer space are skipped to keep the run simple: size the set to have n others.
        size = n + n // 10 + 20
        dataset = build_dataset(size=size)
        numbers = [number for number in dataset.request_numbers() if not dataset.get(number)[1]][:n]
        if len(numbers) < n:
            raise CommandError(f"the simulator data set has only {len(numbers)} records without a customer space")
        with start_simulator(size=size, latency_ms=latency_ms, max_qps=sim_max_qps) as simulator:
            self.stdout.write(f"seeding {len(numbers)} applications ...")
            ViberApplication.objects.all().delete()
            store_from_dataset(dataset, numbers)
            moved = sum(simulator.advance(number) for number in numbers[::4])  # a quarter change upstream
            ViberApplication.objects.update(next_refresh_at=timezone.now())
            simulator.simulator.stats.reset()  # count only the refresh's calls
            env = {
                "DATABASE_URL": current_database_url(),
                "REDIS_URL": settings.REDIS_URL,
                "CAMS_ENDPOINT": simulator.endpoint,
                "CAMS_PROTOCOL": "http",
                "ALIBABA_CLOUD_ACCESS_KEY_ID": simulator.access_key_id,
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET": simulator.access_key_secret,
                "CAMS_MAX_QPS": qps,
                "CAMS_REFRESH_RETRY_BASE_SECONDS": 0.5,
                "CAMS_REFRESH_MAX_RETRIES": 10,
                "CAMS_RATE_LIMIT_WAIT_SECONDS": 60,
                "DJANGO_LOG_LEVEL": "WARNING",
            }
            started_at = timezone.now()
            with ExitStack() as stack:
                for index in range(workers):
                    stack.enter_context(celery_worker(env, name=f"bench{index}", concurrency=concurrency))
                t0 = time.monotonic()
                planned = refresh_plan_and_enqueue(batch=n)
                refreshed = self._wait(started_at, n, t0 + timeout)
                wall = time.monotonic() - t0
            stats = simulator.stats()
        changed = ApplicationEvent.objects.filter(seen_at__gte=started_at).values("application").distinct().count()
        failed = ViberApplication.objects.filter(last_error_at__gte=started_at, fetched_at__lt=started_at).count()
        bound = n / qps
        upstream_bound = n / min(qps, sim_max_qps) if sim_max_qps else bound
        self.stdout.write(
            f"N={n} CAMS_MAX_QPS={qps:g} simulator max_qps={sim_max_qps:g} latency={latency_ms} ms "
            f"workers={workers}x{concurrency} threads\n"
            f"planned: {planned}  refreshed: {refreshed}/{n}  still failing: {failed}\n"
            f"wall time: {wall:.2f} s  bound N/QPS: {bound:.2f} s  ratio: {wall / bound:.3f}"
            f"  (bound at the simulator's own limit: {upstream_bound:.2f} s, ratio {wall / upstream_bound:.3f})\n"
            f"CAMS calls: {stats['calls']}  ok: {stats['ok']}  throttled: {stats['throttled']}  "
            f"records moved upstream: {moved}  records changed: {changed}"
        )

    def _wait(self, started_at, n, deadline):
        refreshed = 0
        while time.monotonic() < deadline:
            refreshed = ViberApplication.objects.filter(fetched_at__gte=started_at).count()
            if refreshed >= n:
                break
            time.sleep(0.2)
        return refreshed
