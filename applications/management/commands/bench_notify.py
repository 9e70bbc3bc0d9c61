"""Benchmark: state changes fanned out to local webhook receivers by real Celery workers.

Seeds N applications, starts webhook receivers on loopback and real worker processes on the
notifications queue, then commits N state changes through the normal store path (paced at --rate
per second), each fanned out to every channel. Receivers: two healthy ones, one answering 500 for
its first half of requests, one taking 2 s per request, one refusing connections. A second run
with only the healthy receivers gives the baseline. Prints deliveries made, lost (outbox rows
missing, or messages never received by a receiver that accepts them), and the time from event
commit to delivery at the healthy receivers (median, p99), with and without the bad receivers.

Needs Redis (REDIS_URL) and PostgreSQL; it deletes applications and notification rows of the
configured database, so point DATABASE_URL at a scratch one.
"""

import json
import os
import statistics
import time
from contextlib import ExitStack

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count

from applications.benchmarks.seeding import store_from_dataset
from applications.benchmarks.webhook_receiver import Receiver, Reply, refusing_url
from applications.benchmarks.worker_processes import celery_worker, current_database_url
from applications.cams.client import interpret_response
from applications.models import (
    ApplicationEvent,
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationRule,
    ViberApplication,
)
from applications.notifications import signing
from applications.sandbox.dataset import build_dataset
from applications.services.store import application_store
from applications.tasks import notification_sweep

NEXT_STATE = {"A": "P", "P": "A", "I": "A", "R": "A", "stop": "A"}


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Command(BaseCommand):
    help = "Fan N state changes out to 5 local webhook receivers (2 healthy, 500s, slow, refusing); print timings."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=1000, help="state changes")
        parser.add_argument("--rate", type=float, default=50.0, help="changes committed per second (0: no pacing)")
        parser.add_argument("--concurrency", type=int, default=24, help="threads per worker process (one per lane)")
        parser.add_argument("--in-flight", type=int, default=16, help="NOTIFY_CHANNEL_MAX_IN_FLIGHT")
        parser.add_argument("--slow-seconds", type=float, default=2.0)
        parser.add_argument("--timeout", type=float, default=900)
        parser.add_argument("--skip-baseline", action="store_true")
        parser.add_argument(
            "--slow-lane-nice",
            type=int,
            default=10,
            help="CPU niceness of the slow-lane worker (0: same priority as the healthy lane)",
        )

    def handle(
        self, *args, n, rate, concurrency, in_flight, slow_seconds, timeout, skip_baseline, slow_lane_nice, **options
    ):
        if not settings.REDIS_URL or connection.vendor != "postgresql":
            raise CommandError("bench_notify needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
        self.n, self.rate, self.timeout = n, rate, timeout
        self.env = {
            "DATABASE_URL": current_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "DJANGO_LOG_LEVEL": "WARNING",
            "NOTIFY_ALLOW_PRIVATE_TARGETS": "true",
            "NOTIFY_CONNECT_TIMEOUT_SECONDS": 1,
            "NOTIFY_READ_TIMEOUT_SECONDS": slow_seconds + 3,
            "NOTIFY_RETRY_BASE_SECONDS": 1,
            "NOTIFY_RETRY_MAX_SECONDS": 20,
            "NOTIFY_MAX_ATTEMPTS": 6,
            "NOTIFY_CHANNEL_MAX_IN_FLIGHT": in_flight,
            "NOTIFY_DISABLE_AFTER_SECONDS": 3600,
        }
        self.concurrency, self.nice = concurrency, slow_lane_nice
        size = n + n // 10 + 20
        self.dataset = build_dataset(size=size)
        self.numbers = [x for x in self.dataset.request_numbers() if not self.dataset.get(x)[1]][:n]
        if len(self.numbers) < n:
            raise CommandError(f"the data set has only {len(self.numbers)} records without a customer space")

        half = n // 2
        behaviours = {
            "healthy-1": None,
            "healthy-2": None,
            "500-first-half": lambda i, h, b: Reply(500, body=b"busy") if i < half else Reply(),
            "slow": lambda i, h, b: Reply(delay=slow_seconds),
        }
        with_bad = self._run(behaviours, refusing=True)
        self._print("with the bad receivers", with_bad)
        if skip_baseline:
            return
        baseline = self._run({"healthy-1": None, "healthy-2": None}, refusing=False)
        self._print("baseline (healthy receivers only)", baseline)
        ratio = with_bad["healthy_p99"] / baseline["healthy_p99"]
        self.stdout.write(f"healthy-receiver p99 with / without the bad receivers: {ratio:.2f} (target <= 1.2)")

    def _reset(self):
        for model in (Delivery, NotificationRule, Channel, Notification, ApplicationEvent, ViberApplication):
            model.objects.all().delete()

    def _run(self, behaviours, *, refusing):
        self._reset()
        store_from_dataset(self.dataset, self.numbers)
        receivers = {name: Receiver(behaviour) if behaviour else Receiver() for name, behaviour in behaviours.items()}
        urls = {name: receiver.url for name, receiver in receivers.items()}
        if refusing:
            urls["refusing"] = refusing_url()
        for name, url in urls.items():
            channel = Channel.objects.create(name=name, kind="webhook", target=url, secret=signing.new_secret())
            NotificationRule.objects.create(name=name, field="state", channel=channel)
        committed = {}
        try:
            with ExitStack() as stack:
                # One process per lane (as in docker-compose.yml): the slow lane's retries and slow
                # endpoints get their own threads and CPU share.
                for lane in (settings.NOTIFY_QUEUE, settings.NOTIFY_SLOW_QUEUE):
                    worker = stack.enter_context(
                        celery_worker(self.env, name=lane, queues=lane, concurrency=self.concurrency)
                    )
                    if lane == settings.NOTIFY_SLOW_QUEUE and self.nice:
                        # On a shared CPU the slow lane yields to the healthy one (in Compose:
                        # give notify-slow-worker fewer CPU shares).
                        os.setpriority(os.PRIO_PGRP, worker.popen.pid, self.nice)
                self.stdout.write(f"committing {self.n} state changes to {len(urls)} channels ...")
                started = time.monotonic()
                for index, number in enumerate(self.numbers):
                    if self.rate:
                        delay = started + index / self.rate - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                    data, space = self.dataset.get(number)
                    data = {**data, "State": NEXT_STATE.get(data.get("State"), "A")}
                    fetched = interpret_response({"Code": "OK", "RequestId": "BENCH", "Data": data})
                    application_store(fetched=fetched, request_no=number, cust_space_id=space)
                    committed[number] = time.time()  # application_store's transaction has committed
                produced = time.monotonic() - started
                accepting = [name for name in receivers]
                deadline = time.monotonic() + self.timeout
                last_sweep = 0.0
                while time.monotonic() < deadline:
                    if all(len(self._first_arrivals(receivers[name])) >= self.n for name in accepting):
                        break
                    if time.monotonic() - last_sweep > 2:  # what beat does every NOTIFY_SWEEP_INTERVAL_SECONDS
                        notification_sweep.delay()
                        last_sweep = time.monotonic()
                    time.sleep(0.2)
                wall = time.monotonic() - started
        finally:
            for receiver in receivers.values():
                receiver.stop()
        latencies = {}
        for name, receiver in receivers.items():
            arrivals = self._first_arrivals(receiver)
            latencies[name] = [arrivals[number] - committed[number] for number in arrivals if number in committed]
        healthy = latencies["healthy-1"] + latencies["healthy-2"]
        rows = Delivery.objects.count()
        missing_rows = self.n * len(urls) - rows
        never_received = sum(self.n - len(self._first_arrivals(r)) for r in receivers.values())
        statuses = dict(Delivery.objects.values_list("status").annotate(c=Count("id")).order_by())
        return {
            "channels": len(urls),
            "produced_s": produced,
            "wall_s": wall,
            "rows": rows,
            "delivered": statuses.get(DeliveryStatus.DELIVERED, 0),
            "statuses": statuses,
            "lost": missing_rows + never_received,
            "healthy_median": statistics.median(healthy) if healthy else float("nan"),
            "healthy_p99": _percentile(healthy, 0.99),
            "per_receiver": {
                name: (len(values), statistics.median(values) if values else float("nan"), _percentile(values, 0.99))
                for name, values in latencies.items()
            },
            "requests": {name: receiver.count() for name, receiver in receivers.items()},
        }

    @staticmethod
    def _first_arrivals(receiver) -> dict:
        first = {}
        for request in receiver.snapshot():
            number = json.loads(request.body)["data"]["request_no"]
            first.setdefault(number, request.at)
        return first

    def _print(self, title, result):
        self.stdout.write(
            f"\n== {title}: {self.n} changes x {result['channels']} channels, committed in "
            f"{result['produced_s']:.1f} s, all accepted deliveries done after {result['wall_s']:.1f} s\n"
            f"outbox rows: {result['rows']}  by status: {result['statuses']}\n"
            f"deliveries made: {result['delivered']}  lost: {result['lost']}\n"
            f"commit -> delivery at the healthy receivers: median {result['healthy_median'] * 1000:.0f} ms, "
            f"p99 {result['healthy_p99'] * 1000:.0f} ms (target median < 1 s, p99 < 5 s)"
        )
        for name, (count, median, p99) in result["per_receiver"].items():
            self.stdout.write(
                f"  {name:<15} delivered {count:>5}  requests {result['requests'][name]:>5}  "
                f"median {median * 1000:8.0f} ms  p99 {p99 * 1000:8.0f} ms"
            )
