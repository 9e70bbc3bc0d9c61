"""Benchmark: refresh N due applications through real Celery workers under the shared rate limit.

Starts the CAMS simulator as its own process (latency and, optionally, its own QPS limit past
which it answers Throttling.User like the real gateway), seeds N stored applications, starts real
worker processes, then runs --runs consecutive refreshes of all N: each moves a quarter of the
records upstream, makes all N due, runs the planner once and waits until every record has been
refreshed. Prints per run the wall time against the bound N / CAMS_MAX_QPS, the CPU per refresh
of the workers, of the simulator and of this process, and the median ratio over the runs.

Needs Redis (REDIS_URL) and uses the configured database: point DATABASE_URL at a scratch one.
"""

import resource
import statistics
import time
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings
from django.utils import timezone

from applications.benchmarks.processes import cpu_seconds, simulator_process
from applications.benchmarks.seeding import store_from_dataset
from applications.benchmarks.worker_processes import celery_worker, current_database_url
from applications.models import ApplicationEvent, ViberApplication
from applications.sandbox.dataset import build_dataset
from applications.services.planner import refresh_plan_and_enqueue


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Command(BaseCommand):
    help = "Refresh N due applications with real workers against the simulator; print time vs N/QPS and CPU."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=2000)
        parser.add_argument("--qps", type=float, default=50.0, help="CAMS_MAX_QPS for the workers")
        parser.add_argument(
            "--sim-max-qps", type=float, default=None, help="the simulator's own limit (default: the same as --qps)"
        )
        parser.add_argument("--latency-ms", type=int, default=50)
        parser.add_argument("--concurrency", type=int, default=8, help="threads per worker process")
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--runs", type=int, default=3, help="consecutive refreshes of all N; the median is printed")
        parser.add_argument("--timeout", type=float, default=600)
        parser.add_argument(
            "--task-sizes",
            default="",
            help="comma-separated CAMS_REFRESH_TASK_SIZE values to compare in one run (default: the setting)",
        )

    def handle(
        self, *args, n, qps, sim_max_qps, latency_ms, concurrency, workers, runs, timeout, task_sizes, **options
    ):
        if not settings.REDIS_URL:
            raise CommandError("bench_refresh needs REDIS_URL: the limiter and the broker are shared by processes")
        sim_max_qps = qps if sim_max_qps is None else sim_max_qps
        # Records in a customer space are skipped to keep the run simple: size the set to have n others.
        size = n + n // 10 + 20
        dataset = build_dataset(size=size)
        numbers = [number for number in dataset.request_numbers() if not dataset.get(number)[1]][:n]
        if len(numbers) < n:
            raise CommandError(f"the simulator data set has only {len(numbers)} records without a customer space")
        self.stdout.write(f"seeding {len(numbers)} applications ...")
        ViberApplication.objects.all().delete()
        store_from_dataset(dataset, numbers)
        with (
            simulator_process(size=size, latency_ms=latency_ms, max_qps=sim_max_qps) as simulator,
            ExitStack() as stack,
        ):
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
            pool = [
                stack.enter_context(
                    celery_worker(env, name=f"bench{index}", concurrency=concurrency, ready_timeout=300)
                )
                for index in range(workers)
            ]
            self.stdout.write(
                f"N={n} CAMS_MAX_QPS={qps:g} simulator max_qps={sim_max_qps:g} latency={latency_ms} ms "
                f"workers={workers}x{concurrency} threads; bound N/QPS = {n / qps:.2f} s"
            )
            sizes = [int(size) for size in task_sizes.split(",") if size] or [settings.CAMS_REFRESH_TASK_SIZE]
            for size in sizes:
                # The planner (this process) splits the records into tasks of this many.
                with override_settings(CAMS_REFRESH_TASK_SIZE=size):
                    self.stdout.write(f"-- {size} record(s) per task")
                    seen = [
                        self._run(index, numbers, simulator, pool, n=n, qps=qps, timeout=timeout)
                        for index in range(runs)
                    ]
                ratios, cpu = [ratio for ratio, _ in seen], [worker_ms for _, worker_ms in seen]
                self.stdout.write(
                    f"{size} per task: median ratio of {runs} runs {statistics.median(ratios):.3f} "
                    f"(spread {min(ratios):.3f}-{max(ratios):.3f}), median worker CPU per refresh "
                    f"{statistics.median(cpu):.2f} ms (spread {min(cpu):.2f}-{max(cpu):.2f}); "
                    f"load average {Path('/proc/loadavg').read_text().split()[0]}"
                )

    def _run(self, index, numbers, simulator, pool, *, n, qps, timeout) -> tuple[float, float]:
        moved = sum(simulator.advance(number) for number in numbers[index % 4 :: 4])  # a quarter change upstream
        ViberApplication.objects.update(next_refresh_at=timezone.now())
        before_calls = simulator.stats()
        started_at = timezone.now()
        cpu_before = (
            sum(cpu_seconds(worker.popen.pid) for worker in pool),
            simulator.cpu_seconds(),
            _own_cpu_seconds(),
        )
        t0 = time.monotonic()
        planned = refresh_plan_and_enqueue(batch=n)
        refreshed = self._wait(started_at, n, t0 + timeout)
        wall = time.monotonic() - t0
        cpu_after = (sum(cpu_seconds(worker.popen.pid) for worker in pool), simulator.cpu_seconds(), _own_cpu_seconds())
        worker_ms, simulator_ms, own_ms = (
            (after - before) * 1000 / n for before, after in zip(cpu_before, cpu_after, strict=True)
        )
        stats = simulator.stats()
        calls, ok, throttled = (stats[key] - before_calls[key] for key in ("calls", "ok", "throttled"))
        changed = ApplicationEvent.objects.filter(seen_at__gte=started_at).values("application").distinct().count()
        ratio = wall / (n / qps)
        self.stdout.write(
            f"run {index + 1}: planned {planned}  refreshed {refreshed}/{n}  wall {wall:.2f} s  ratio {ratio:.3f}  "
            f"CPU per refresh: workers {worker_ms:.2f} ms, simulator {simulator_ms:.2f} ms, this process "
            f"{own_ms:.2f} ms  CAMS calls {calls} (ok {ok}, throttled {throttled})  moved {moved}, changed {changed}"
        )
        return ratio, worker_ms

    def _wait(self, started_at, n, deadline):
        refreshed = 0
        while time.monotonic() < deadline:
            refreshed = ViberApplication.objects.filter(fetched_at__gte=started_at).count()
            if refreshed >= n:
                break
            time.sleep(0.2)
        return refreshed
