"""`manage.py db_worker`: django-tasks' database worker that survives transient database errors.

django-tasks-db's worker ignores "database is locked" only while fetching a task; the same error
when its transaction begins or commits (SQLite: BEGIN EXCLUSIVE waits `timeout` seconds, then
fails), or any lost connection (PostgreSQL restarted), ends `Worker.run` with an exception. Under
`--reload` (the default with DEBUG, as `make run` starts it) the run is a thread of the
reloader: the thread dies, the process stays up and no job is ever taken again. Here the run is
started again after a pause that doubles up to WORKER_BACKOFF_MAX, and each failure is logged.
This command replaces django-tasks-db's own (`quantriet.core` comes first in INSTALLED_APPS).

Beside the loop, a thread writes the worker's sign of life and takes back the tasks of workers
that died (`core.workers.Heartbeat`).
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django_tasks_db.management.commands import db_worker

from quantriet.core.workers import Heartbeat

log = logging.getLogger("django_tasks_db")


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            return self._run_again_after_errors()
        finally:
            heartbeat.stop()

    def _run_again_after_errors(self) -> None:
        delay = settings.WORKER_BACKOFF_START
        while self.running:
            started = time.monotonic()
            try:
                return super().run()  # returns only in --batch or --max-tasks mode
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > settings.WORKER_BACKOFF_MAX:
                    delay = settings.WORKER_BACKOFF_START  # it had been working: start over
                log.warning("Lỗi cơ sở dữ liệu tạm thời (%s); tiến trình nền thử lại sau %.1f giây.", error, delay)
                close_old_connections()  # a broken connection is dropped, and opened afresh
                time.sleep(delay)
                delay = min(delay * 2, settings.WORKER_BACKOFF_MAX)


class Command(db_worker.Command):
    help = db_worker.Command.help + " (thử lại khi cơ sở dữ liệu tạm thời bị khóa hoặc mất kết nối)"

    def handle(self, *args, **options):
        # The upstream handle() builds `Worker(...)` by its module-level name: ours for this run.
        original, db_worker.Worker = db_worker.Worker, ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
