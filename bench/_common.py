"""Shared benchmark plumbing: a fresh database of its own, Django set up on it, one JSON line out.

Call `fresh_database()` before anything imports Django models, then `setup_django()`.
Progress goes to stderr through `log()`; `emit()` writes the single JSON result line to stdout.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def emit(figures: dict):
    """The benchmark's one line of stdout."""
    sys.__stdout__.write(json.dumps(figures, ensure_ascii=False) + "\n")
    sys.__stdout__.flush()


@contextmanager
def timer():
    """`with timer() as t: ...` then `t()` is the elapsed seconds (frozen when the block ends)."""
    start = time.perf_counter()
    end = None

    def elapsed():
        return (end or time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextmanager
def fresh_database(kind: str, name: str):
    """Point the settings (through env vars) at a new, empty database; remove it afterwards.

    sqlite: a file in a temporary directory. postgres: database NAME on the server of
    DATABASE_URL (default the local one), dropped first if it exists.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "quantriet.settings"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    if kind == "sqlite":
        directory = tempfile.mkdtemp(prefix=f"{name}-")
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = os.path.join(directory, "bench.sqlite3")
        try:
            yield os.environ["SQLITE_PATH"]
        finally:
            _close_connections()
            shutil.rmtree(directory, ignore_errors=True)
        return
    import psycopg
    from psycopg import sql

    server = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
    admin_url = _with_database(server, "postgres")

    def recreate(create: bool):
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if create:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    recreate(create=True)
    os.environ["DATABASE_URL"] = _with_database(server, name)
    try:
        yield os.environ["DATABASE_URL"]
    finally:
        _close_connections()
        recreate(create=False)


def _close_connections():
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def setup_django(scale: float):
    """django.setup(), migrations, and the demo province at SCALE (all quiet)."""
    import io

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # DJANGO_DEBUG only supplies the development secret key; query logging would skew timings.
    settings.DEBUG = False
    with timer() as elapsed:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", scale=scale, quiet=True, essays=False, stdout=io.StringIO())
    log(f"migrated and seeded the demo province (scale {scale}) in {elapsed():.1f}s")


def database_label() -> str:
    from django.db import connection

    return connection.vendor  # "postgresql" or "sqlite"


def percentile(values, q: float) -> float:
    """The Q-th percentile (0–100) of VALUES by linear interpolation; 0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int, env: dict, timeout: float = 60):
    """The real HTTP server: `gunicorn quantriet.wsgi` with WORKERS sync workers on a free local port.

    Yields the port once the server accepts connections (warm the workers up before measuring); the
    server is stopped (SIGTERM, then SIGKILL) when the block ends, even on error. Its output
    goes to a temporary log whose tail is shown on stderr if it fails to start.
    """
    import signal
    import socket
    import subprocess

    port = free_port()
    binary = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    log_file = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
    command = [binary, "quantriet.wsgi:application", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--timeout", "120", "--backlog", "4096", "--log-level", "warning"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )

    def tail():
        with open(log_file.name, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-30:])

    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{tail()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start in {timeout:.0f}s:\n{tail()}") from None
                time.sleep(0.2)
        log(f"gunicorn: {workers} workers on 127.0.0.1:{port} (pid {process.pid})")
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the session this Popen started
                process.wait()
        log_file.close()
        os.unlink(log_file.name)
