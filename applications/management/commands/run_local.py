"""Run the whole embedded stack in one terminal: CAMS simulator, Celery worker and beat,
and the web server, each a child process whose output is prefixed with its name.

Ctrl-C (or SIGTERM) stops every child: SIGTERM first, SIGKILL after a timeout. If any
child dies on its own, the others are stopped too and the command exits non-zero.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .ensure_demo_user import USERNAME, demo_password_file

HOST = "127.0.0.1"
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 10
LOCAL_EVOLVE_SECONDS = 60
LOCAL_REFRESH_MOVING_SECONDS = 120


def port_open(port, host=HOST):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = "Start simulator, Celery worker, Celery beat and runserver together (local use)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="web server port (default 8000)")
        parser.add_argument(
            "--no-simulator",
            action="store_true",
            help="do not start the CAMS simulator (e.g. CAMS_ENDPOINT points elsewhere)",
        )

    def handle(self, *args, port, no_simulator, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("run_local is for local runs only; use gunicorn and celery in production")
        sim_port = settings.CAMS_SIMULATOR_PORT
        self.output_lock = threading.Lock()
        self.stopping = threading.Event()
        self.children = {}
        self.pumps = []
        self.worker_ready = threading.Event()  # set when the worker logs "celery@... ready."
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if self.as_root:
            self.say(
                "running as root: fine on a throwaway dev machine or container, but Celery advises "
                "against it (a task could do anything the root user can); use a normal user elsewhere"
            )

        wanted = {"web": port} if no_simulator else {"web": port, "simulator": sim_port}
        for name, wanted_port in wanted.items():
            if port_open(wanted_port):
                raise CommandError(
                    f"port {wanted_port} ({name}) is already in use; stop what runs there"
                    + (" or pass --port" if name == "web" else "")
                )

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.on_signal)

        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        celery_exe = Path(sys.executable).with_name("celery")
        celery = [str(celery_exe)] if celery_exe.exists() else [sys.executable, "-m", "celery"]
        commands = {
            "worker": celery + ["-A", "config", "worker", "-Q", "celery", "--loglevel=INFO", "--concurrency=2"],
            # Notification delivery has its own queue and threads: slow endpoints never delay refreshes.
            "notify": celery
            + [
                "-A",
                "config",
                "worker",
                "-Q",
                f"{settings.NOTIFY_QUEUE},{settings.NOTIFY_SLOW_QUEUE}",
                "-n",
                "notify@%h",
                "--pool=threads",
                "--loglevel=INFO",
                "--concurrency=8",
            ],
            "beat": celery + ["-A", "config", "beat", "--loglevel=INFO"],
            "web": manage + ["runserver", f"{HOST}:{port}", "--noreload"],
        }
        if not no_simulator:
            # Applications move a step a minute, so watchers see notifications within minutes.
            commands = {
                "simulator": manage
                + [
                    "cams_simulator",
                    "--host",
                    HOST,
                    "--port",
                    str(sim_port),
                    "--evolve-seconds",
                    str(LOCAL_EVOLVE_SECONDS),
                ],
                **commands,
            }

        failure = None
        try:
            for name, command in commands.items():
                self.start(name, command)
            failure = self.wait_until_ready(wanted)
            if failure is None and not self.stopping.is_set():
                self.print_banner(port, None if no_simulator else sim_port)
                failure = self.watch()
        finally:
            if failure:
                self.say(failure)
            self.stop_all()
        if failure:
            raise CommandError("a child process failed (see above)")
        self.say("stopped")

    # --- children ---------------------------------------------------------------------
    def start(self, name, command):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
        # The demo refreshes moving applications more often than production's default (10 min).
        env.setdefault("CAMS_REFRESH_MOVING_SECONDS", str(LOCAL_REFRESH_MOVING_SECONDS))
        if name in ("worker", "beat") and self.as_root:
            # Said once by print_root_note instead of by Celery in every child's output.
            env["PYTHONWARNINGS"] = "ignore:You're running the worker with superuser privileges"
        # A session of its own: Ctrl-C reaches only this supervisor, which stops children in order.
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children[name] = process
        pump = threading.Thread(target=self.pump, args=(name, process), daemon=True)
        pump.start()
        self.pumps.append(pump)

    def pump(self, name, process):
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if name == "worker" and " ready." in line:
                self.worker_ready.set()
            self.emit(f"[{name}] {line}")

    def dead_child(self):
        for name, process in self.children.items():
            if process.poll() is not None:
                return f"{name} exited with code {process.returncode}; stopping everything"
        return None

    def wait_until_ready(self, ports):
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        pending = dict(ports)
        while (pending or not self.worker_ready.is_set()) and not self.stopping.is_set():
            if failure := self.dead_child():
                return failure
            if time.monotonic() > deadline:
                waiting = [f"{name} (port {p})" for name, p in pending.items()]
                waiting += [] if self.worker_ready.is_set() else ["worker"]
                return f"not ready within {READY_TIMEOUT_SECONDS}s: {', '.join(waiting)}"
            pending = {name: p for name, p in pending.items() if not port_open(p)}
            time.sleep(0.2)
        return None

    def watch(self):
        while not self.stopping.wait(0.5):
            if failure := self.dead_child():
                return failure
        return None

    def stop_all(self):
        running = {name: p for name, p in self.children.items() if p.poll() is None}
        if running:
            self.say(f"stopping {', '.join(running)} ...")
        for process in running.values():
            self.signal_group(process, signal.SIGTERM, leader_only=True)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for name, process in running.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{name} did not stop within {STOP_TIMEOUT_SECONDS}s; killing it")
        for process in self.children.values():
            self.signal_group(process, signal.SIGKILL)  # stragglers, e.g. pool processes
            process.wait()
        for pump in self.pumps:
            pump.join(timeout=2)  # let the last lines of output through

    @staticmethod
    def signal_group(process, signum, leader_only=False):
        try:
            if leader_only:
                process.send_signal(signum)
            else:
                os.killpg(process.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def on_signal(self, signum, frame):
        # Only set a flag: writing here could deadlock on output_lock held by the main thread.
        self.stopping.set()

    # --- output -----------------------------------------------------------------------
    def emit(self, text):
        # Output must never stop the supervisor from stopping its children (e.g. a closed pipe).
        with self.output_lock:
            try:
                self.stdout.write(text)
                self.stdout.flush()
            except (OSError, ValueError):
                pass

    def say(self, message):
        self.emit(f"[run_local] {message}")

    def print_banner(self, port, sim_port):
        password_file = demo_password_file()
        if password_file.exists():
            login = f"{USERNAME} / {password_file.read_text().strip()}"
        else:
            login = "no demo user yet: run `.venv/bin/python manage.py ensure_demo_user`"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        lines = [
            "Viber Review is running",
            f"  Open:      http://{HOST}:{port}/",
            f"  Login:     {login}",
            f"  Simulator: http://{HOST}:{sim_port}/ (CAMS endpoint)"
            if sim_port
            else f"  CAMS:      {settings.CAMS_PROTOCOL}://{settings.CAMS_ENDPOINT or 'SDK default endpoint'}",
            f"  Stack:     database {database}, Celery broker {broker}, data in {settings.VAR_DIR}",
            "  Stop:      press Ctrl-C",
        ]
        rule = "=" * max(len(line) for line in lines)
        self.emit("\n".join(["", rule, *lines, rule, ""]))
