"""Load N generated applications quickly, to reproduce production scale (see benchmarks.seeding)."""

import time

from django.core.management.base import BaseCommand

from applications.benchmarks.seeding import seed_applications


class Command(BaseCommand):
    help = "Insert N realistic generated applications (PostgreSQL: COPY, indexes rebuilt after a big load)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=100_000)
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, start and day: same rows)")
        parser.add_argument(
            "--start",
            type=int,
            default=None,
            help="first row number (default: the number of applications already stored)",
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="PostgreSQL: keep the indexes during the load (slower for big loads)",
        )

    def handle(self, *args, count, seed, start, keep_indexes, verbosity, **options):
        started = time.perf_counter()

        def progress(done):
            if verbosity:
                self.stdout.write(f"  {done:>10,} rows  {time.perf_counter() - started:7.1f} s")

        result = seed_applications(
            count=count, seed=seed, start=start, rebuild_indexes=False if keep_indexes else None, progress=progress
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.rows:,} applications in {time.perf_counter() - started:.1f} s "
                f"(load {result.load_seconds:.1f} s, indexes and statistics {result.index_seconds:.1f} s)"
            )
        )
