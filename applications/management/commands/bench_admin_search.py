"""Benchmark: the admin changelist at scale, optimised admin against the stock Django admin.

PostgreSQL only (the point is its indexes and planner). Seeds the table up to ``--rows`` first
when it holds fewer. See applications/benchmarks/admin_search.py for what "stock" means.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from applications.benchmarks import admin_search
from applications.benchmarks.seeding import seed_applications
from applications.models import ViberApplication

TARGET_MS = 50


class Command(BaseCommand):
    help = "Time admin searches (optimised vs stock admin) on PostgreSQL with N applications."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000, help="seed up to this many applications")
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument(
            "--stock-with-indexes",
            action="store_true",
            help="also time the stock admin with the search indexes in place",
        )
        parser.add_argument("--no-stock", action="store_true", help="time only the optimised admin")
        parser.add_argument(
            "--explain", action="store_true", help="print EXPLAIN ANALYZE of the slowest query of each optimised page"
        )

    def handle(self, *args, rows, repeat, explain, stock_with_indexes, no_stock, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_admin_search needs PostgreSQL (set DATABASE_URL)")
        present = ViberApplication.objects.count()  # the one full count of the run
        if present < rows:
            self.stdout.write(f"seeding {rows - present:,} applications (table has {present:,}) ...")
            result = seed_applications(count=rows - present)
            self.stdout.write(f"  seeded in {result.load_seconds + result.index_seconds:.1f} s")
            present = rows
        results, hidden = admin_search.run(
            admin_search.pick_cases(), repeat=repeat, stock_with_indexes=stock_with_indexes, stock=not no_stock
        )
        self.stdout.write(f"{present:,} applications; stock admin timed without indexes: {', '.join(hidden) or '—'}")
        self.stdout.write(f"{'case':<48} {'optimised':>10} {'stock':>10} {'ratio':>8}   rows  full COUNT(*) opt/stock")
        for result in results:
            opt, stock = result.optimised["median_ms"], result.stock["median_ms"]
            flag = "" if opt < TARGET_MS else f"  (over {TARGET_MS} ms)"
            self.stdout.write(
                f"{result.case.label:<48} {opt:8.1f}ms {stock:8.1f}ms {stock / opt:7.1f}x   "
                f"{result.optimised_rows:>2}/{result.stock_rows:<2}  "
                f"{result.optimised_full_counts}/{result.stock_full_counts}{flag}"
            )
            if result.stock_indexed:
                indexed = result.stock_indexed["median_ms"]
                self.stdout.write(
                    f"{'  stock admin, indexes kept':<48} {'':>10} {indexed:8.1f}ms {indexed / opt:7.1f}x"
                )
        self.stdout.write(f"median server time of {repeat} requests through Django's test client (after one warm-up)")
        if explain:
            for result in results:
                self.stdout.write(f"\n--- {result.case.label}: slowest query of the optimised page\n")
                self.stdout.write(result.slowest_sql)
                self.stdout.write(admin_search.explain(result.slowest_sql))
