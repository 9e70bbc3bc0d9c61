"""Serve the CAMS GetViberByRequestNo action locally so the official SDK works against it unchanged.

    python manage.py cams_simulator [--host 127.0.0.1] [--port 8765] [--evolve-seconds 30]
        [--latency-ms 200] [--error-rate 0.05] [--throttle-rate 0.05] [--max-qps 5]
        [--malformed-rate 0.02] [--seed 1]

SDK config: Config(endpoint='<host>:<port>', protocol='http', access_key_id=..., access_key_secret=...)
with the pair in settings CAMS_SIMULATOR_ACCESS_KEY_ID / CAMS_SIMULATOR_ACCESS_KEY_SECRET.
Control endpoints (tests, demos): GET /_sim/stats, GET|POST /_sim/faults, POST /_sim/advance,
GET /_sim/record, GET /_sim/samples, POST /_sim/reset.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.sandbox.app import NOT_FOUND_STYLES
from applications.sandbox.dataset import DEFAULT_SEED, DEFAULT_SIZE
from applications.sandbox.faults import MALFORMED_KINDS
from applications.sandbox.server import make_server


class Command(BaseCommand):
    help = "Run the CAMS API simulator (GetViberByRequestNo, ACS3-HMAC-SHA256 signed) on a local port."
    # A stand-in for an external API: it needs neither the database nor the web app's URLs,
    # so it starts (fast) even while the rest of the project is mid-change.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.CAMS_SIMULATOR_HOST)
        parser.add_argument(
            "--port", type=int, default=settings.CAMS_SIMULATOR_PORT, help="0 picks a free port (printed on start)."
        )
        parser.add_argument("--access-key-id", default=settings.CAMS_SIMULATOR_ACCESS_KEY_ID)
        parser.add_argument("--access-key-secret", default=settings.CAMS_SIMULATOR_ACCESS_KEY_SECRET)
        parser.add_argument(
            "--evolve-seconds",
            type=float,
            default=None,
            help="Advance still-moving applications one step per this many seconds.",
        )
        parser.add_argument(
            "--not-found-style",
            choices=NOT_FOUND_STYLES,
            default="data-null",
            help="data-null: 200 with Data null (default); code: 200 with Code InvalidParameter.RequestNo.",
        )
        parser.add_argument("--data-seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="Number of applications in the data set.")
        parser.add_argument("--latency-ms", type=int, default=0)
        parser.add_argument("--error-rate", type=float, default=0.0, help="Share of calls answered 500/503.")
        parser.add_argument("--throttle-rate", type=float, default=0.0, help="Share answered 400 Throttling.User.")
        parser.add_argument("--max-qps", type=float, default=0.0, help="Token bucket; past it Throttling.User.")
        parser.add_argument("--malformed-rate", type=float, default=0.0)
        parser.add_argument("--malformed-kind", choices=("",) + MALFORMED_KINDS, default="")
        parser.add_argument("--seed", type=int, default=None, help="Seed for fault injection (deterministic runs).")
        parser.add_argument("--no-control", action="store_true", help="Disable the /_sim/* endpoints.")
        parser.add_argument("--verbose", action="store_true", help="Log every request to stderr.")

    def handle(self, *args, **opts):
        try:
            server = make_server(
                opts["host"],
                opts["port"],
                access_key_id=opts["access_key_id"],
                access_key_secret=opts["access_key_secret"],
                data_seed=opts["data_seed"],
                size=opts["size"],
                evolve_seconds=opts["evolve_seconds"],
                not_found_style=opts["not_found_style"],
                control=not opts["no_control"],
                verbose=opts["verbose"],
                latency_ms=opts["latency_ms"],
                error_rate=opts["error_rate"],
                throttle_rate=opts["throttle_rate"],
                max_qps=opts["max_qps"],
                malformed_rate=opts["malformed_rate"],
                malformed_kind=opts["malformed_kind"],
                seed=opts["seed"],
            )
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot start the CAMS simulator: {exc}") from exc
        host, port = server.server_address[:2]
        # One line, flushed, so scripts and tests can wait for it; the secret is never printed.
        self.stdout.write(f"CAMS simulator listening on http://{host}:{port} (key id: {server.access_key_id})")
        self.stdout.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
