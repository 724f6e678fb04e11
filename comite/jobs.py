"""Background jobs: functions registered by name, queued in the database by huey and run by
`flask --app comite worker` (large exports, the e-mail outbox).

A module registers its functions at import time with `@task("area.verb")` or
`@periodic("area.verb", minutes=N)`; a view commits its own rows, then calls
`enqueue("area.verb", some_id)`. The worker runs each call inside an app context: the
function uses `db.session`, commits its own work, and the session is removed after it.
Arguments are pickled into the queue: pass ids and plain values, never ORM objects.

The registry of functions is global; the huey instance is made per app (app.extensions),
as the tests run one app per database in one process. Where the queue lives:

- SQLite file (development): a sibling file, `instance/comite-jobs.sqlite3` beside
  `instance/comite.sqlite3`. SQLite lets one writer at a time into a file: the worker's
  polling and bookkeeping never wait for, or hold up, the app's own writes, and huey's
  tables and WAL journal mode stay out of the app's schema.
- in-memory SQLite (unit tests): huey's memory storage. `enqueue` only records the call,
  no worker can see it, nothing runs in the request.
- PostgreSQL (production): huey's PostgresStorage (psycopg 3) in the same database, tables
  `huey_task`, `huey_schedule`, `huey_kv`, `huey_counter`, which Alembic ignores
  (migrations/env.py); LISTEN/NOTIFY wakes the worker as soon as a task is queued.
- `JOBS_DATABASE_URL`, when set, names the queue's database instead (`sqlite:///…`,
  `postgresql://…`, or `memory://`).

Huey's tables are created by the worker when it starts, or by the first `enqueue` of a
process, never when the app is created. Tasks should be safe to run twice: a task still
running when a stop's JOBS_SHUTDOWN_TIMEOUT runs out is queued again for the next worker.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import MemoryHuey, PostgresHuey, SqliteHuey
from huey.api import Huey, PeriodicTask, Task, TaskWrapper
from huey.signals import SIGNAL_INTERRUPTED

from comite.config import ConfigurationError, normalise_database_url

F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger(__name__)

# Every process (web and worker) must import the modules that register tasks, since
# `enqueue` and the worker find a task by its name: an area's views usually import its
# tasks module; list here those create_app would not import. JOBS_IMPORTS adds others
# (the tests' tasks).
TASK_MODULES: tuple[str, ...] = ("comite.exports.tasks", "comite.notifications.tasks")

QUEUE_NAME = "comite"
# huey's tables in PostgreSQL are named huey_task, huey_schedule, huey_kv, huey_counter.
TABLE_PREFIX = "huey"
MEMORY_URL = "memory://"
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Job:
    """A function the worker can run: on demand, or every `every_minutes` if set."""

    name: str
    function: Callable[..., Any]
    every_minutes: int | None = None
    retries: int = 0
    retry_delay: int = 0


_jobs: dict[str, Job] = {}


def task(name: str, *, retries: int = 0, retry_delay: int = 0) -> Callable[[F], F]:
    """Register a function the worker runs when `enqueue(name, …)` is called; a failure is
    logged with its traceback and tried again `retries` times, `retry_delay` seconds apart.
    The function itself is returned unchanged, so that tests may call it directly."""

    def register(function: F) -> F:
        _register(Job(name, function, retries=retries, retry_delay=retry_delay))
        return function

    return register


def periodic(name: str, *, minutes: int) -> Callable[[F], F]:
    """Register a function without arguments the worker runs every `minutes` minutes, at the
    minutes of the day (UTC) that are multiples of it; the period must divide a day."""
    if not 0 < minutes <= MINUTES_PER_DAY or MINUTES_PER_DAY % minutes:
        raise ValueError(f"{name}: the period ({minutes} min) must divide a day (1440 min).")

    def register(function: F) -> F:
        _register(Job(name, function, every_minutes=minutes))
        return function

    return register


def _register(job: Job) -> None:
    known = _jobs.get(job.name)
    # The same function imported again (a reloaded module) keeps its name.
    if known is not None and _qualified_name(known.function) != _qualified_name(job.function):
        raise ValueError(f"Task name {job.name!r} is already taken by {known.function!r}.")
    _jobs[job.name] = job


def _qualified_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def enqueue(name: str, *args: Any) -> None:
    """Hand a registered task to the worker; commit first whatever rows the task will read,
    since the queue has its own connection and the worker may start at once."""
    queue = _queue(current_app)
    call = queue.huey_task(name)
    queue.ensure_schema()
    try:
        call(*args)
    finally:
        # A web process keeps no connection to the queue between two requests.
        queue.huey.storage.close()


def init_app(app: Flask) -> None:
    """Import the modules that register tasks, make this app's huey queue (no connection
    yet) and add the `worker` command."""
    for module in (*TASK_MODULES, *app.config["JOBS_IMPORTS"]):
        importlib.import_module(module)
    url = queue_url(app)
    app.extensions["jobs"] = JobQueue(app, make_huey(url), url)
    app.cli.add_command(worker_command)


class JobQueue:
    """One app's huey instance, and the huey tasks that run the registered functions in
    that app's context (made on first use, as modules may register after init_app)."""

    def __init__(self, app: Flask, huey: Huey, url: str):
        self.app = app
        self.huey = huey
        self.url = url
        self._tasks: dict[str, TaskWrapper] = {}
        self._lock = threading.Lock()
        self._schema_ready = False

    def huey_task(self, name: str) -> TaskWrapper:
        with self._lock:
            if name not in self._tasks:
                job = _jobs.get(name)
                if job is None:
                    raise LookupError(
                        f"No task named {name!r}: is its module imported by create_app "
                        "(an area's views, comite.jobs.TASK_MODULES or JOBS_IMPORTS)?"
                    )
                self._tasks[name] = self._wrap(job)
            return self._tasks[name]

    def register_all(self) -> None:
        for name in list(_jobs):
            self.huey_task(name)

    def ensure_schema(self) -> None:
        """Create huey's tables if missing (memory storage has none)."""
        with self._lock:
            if not self._schema_ready and hasattr(self.huey.storage, "initialize_schema"):
                self.huey.storage.initialize_schema()
            self._schema_ready = True

    def _wrap(self, job: Job) -> TaskWrapper:
        app = self.app

        def run(*args: Any) -> None:
            # Flask-SQLAlchemy removes the session when the app context ends.
            with app.app_context():
                job.function(*args)

        if job.every_minutes is not None:
            return self.huey.periodic_task(_every(job.every_minutes), name=job.name)(run)
        return self.huey.task(name=job.name, retries=job.retries, retry_delay=job.retry_delay)(run)


def _every(minutes: int) -> Callable[[dt.datetime], bool]:
    def due(moment: dt.datetime) -> bool:
        return (moment.hour * 60 + moment.minute) % minutes == 0

    return due


def _queue(app: Flask) -> JobQueue:
    return app.extensions["jobs"]


def queue_url(app: Flask) -> str:
    """JOBS_DATABASE_URL, or where the app's database puts its queue (module docstring)."""
    if app.config["JOBS_DATABASE_URL"]:
        return normalise_database_url(app.config["JOBS_DATABASE_URL"])
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return url.render_as_string(hide_password=False)
    if url.database in (None, "", ":memory:"):
        return MEMORY_URL
    # Flask-SQLAlchemy reads a relative SQLite path from the instance folder.
    database = Path(app.instance_path) / url.database
    return f"sqlite:///{database.with_name(f'{database.stem}-jobs{database.suffix}')}"


def make_huey(url: str) -> Huey:
    """A huey instance on that queue URL; it connects only when first used."""
    # Callers have their own tables for what a task produced: huey keeps no results.
    options: dict[str, Any] = {"results": False}
    if url == MEMORY_URL:
        return MemoryHuey(QUEUE_NAME, **options)
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return SqliteHuey(QUEUE_NAME, filename=parsed.database, create_tables=False, **options)
    if backend == "postgresql":
        # psycopg takes libpq's own URL, without SQLAlchemy's "+psycopg".
        dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresHuey(
            QUEUE_NAME, dsn=dsn, table_prefix=TABLE_PREFIX, create_tables=False, **options
        )
    raise ConfigurationError(
        f"JOBS_DATABASE_URL={url!r} : la file des tâches de fond va dans un fichier SQLite, "
        f"une base PostgreSQL ou {MEMORY_URL} (tests)."
    )


def is_queue_table(name: str) -> bool:
    """Huey's own tables, which the migrations neither create nor compare."""
    return name.startswith(f"{TABLE_PREFIX}_")


@click.command("worker")
@with_appcontext
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Nombre de fils d'exécution (par défaut JOBS_WORKERS, 1).",
)
def worker_command(workers: int | None) -> None:
    """Exécute les tâches de fond (exports, courriels) jusqu'à SIGTERM ou SIGINT."""
    run_worker(current_app._get_current_object(), workers or current_app.config["JOBS_WORKERS"])


def run_worker(app: Flask, workers: int) -> None:
    """Run huey's consumer in threads, periodic tasks included, until a signal stops it.

    SIGTERM (a platform's stop) waits JOBS_SHUTDOWN_TIMEOUT seconds for running tasks;
    SIGINT (Ctrl-C) stops at once. A task cut short either way is queued again."""
    queue = _queue(app)
    if queue.url == MEMORY_URL:
        raise click.ClickException(
            "La file des tâches est en mémoire (base SQLite en mémoire) : aucun worker ne "
            "peut la lire. Renseignez JOBS_DATABASE_URL ou une base sur disque."
        )
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s [%(name)s] %(message)s",
        stream=sys.stderr,
    )
    queue.register_all()
    queue.ensure_schema()
    queue.huey.signal(SIGNAL_INTERRUPTED)(functools.partial(_requeue, queue.huey))
    consumer = queue.huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=True,
        # SQLite sends no notification: an idle worker looks at its queue every 2 s at most.
        max_delay=2.0,
        graceful_signal="TERM",
        shutdown_timeout=app.config["JOBS_SHUTDOWN_TIMEOUT"],
    )
    shown_url = sa.make_url(queue.url).render_as_string(hide_password=True)
    logger.info("Worker Comité : %d fil(s), file %s.", workers, shown_url)
    try:
        consumer.run()
    finally:
        queue.huey.storage.close()
    logger.info("Worker Comité arrêté.")


def _requeue(huey: Huey, signal: str, interrupted: Task) -> None:
    """A task cut short by a stop goes back in the queue; a periodic one waits its next turn."""
    if isinstance(interrupted, PeriodicTask):
        return
    logger.warning("Tâche %s interrompue par l'arrêt du worker : remise dans la file.", interrupted)
    huey.enqueue(interrupted)
