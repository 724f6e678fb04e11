"""Background jobs: queued by the app, run by a real `flask --app comite worker` process on
each database, retried or logged when they fail, never run inside the request."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from huey.storage import MemoryStorage, PostgresStorage, SqliteStorage

from comite import jobs
from comite.config import ConfigurationError
from comite.extensions import db
from comite.startups.models import Incubator
from tests.conftest import make_test_app
from tests.databases import ENGINES, database_url
from tests.jobs.tasks import OUTPUT_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
TEST_TASKS = "tests.jobs.tasks"
WAIT = 20  # seconds, for what a worker does within one or two seconds


def wait_until(condition: Callable[[], object], what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            logs = log.read_text() if log and log.exists() else ""
            pytest.fail(f"Attendu en {WAIT} s : {what}\n--- worker ---\n{logs}")
        time.sleep(0.1)


class Worker:
    """A `flask --app comite worker` subprocess, its output in a log file; ready once its
    periodic task has run (its signal handlers are set by then)."""

    def __init__(self, env: dict[str, str], folder: Path, name: str):
        self.log = folder / f"{name}.log"
        self.heartbeat = folder / f"{name}-output" / "heartbeat"
        self.heartbeat.parent.mkdir()
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "comite", "worker"],
                env={**env, OUTPUT_VARIABLE: str(self.heartbeat.parent)},
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_until(self.heartbeat.exists, "le worker démarre", self.log)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 15) -> int:
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"Le worker ne s'est pas arrêté :\n{self.output()}")


class Setup:
    """A migrated database, the environment of its workers, and an app that enqueues."""

    def __init__(self, engine: str, folder: Path, name: str = "comite_test_worker", **config):
        self.folder = folder
        self.url = database_url(engine, folder, name)
        self.env = {
            **os.environ,
            "COMITE_ENV": "test",
            "SECRET_KEY": "jobs-test-key",
            "DATABASE_URL": self.url,
            "JOBS_IMPORTS": TEST_TASKS,
            "JOBS_SHUTDOWN_TIMEOUT": "2",
        }
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "comite", "db", "upgrade"],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        self.app = make_test_app(self.url, JOBS_IMPORTS=[TEST_TASKS], **config)

    def enqueue(self, name: str, *args: object) -> None:
        with self.app.test_request_context("/"):
            jobs.enqueue(name, *args)

    def new_folder(self) -> Path:
        folder = self.folder / uuid.uuid4().hex
        folder.mkdir()
        return folder

    def start_worker(self) -> Worker:
        return Worker(self.env, self.folder, uuid.uuid4().hex)


@pytest.fixture(scope="module", params=ENGINES)
def setup(request, tmp_path_factory) -> Iterator[Setup]:
    prepared = Setup(request.param, tmp_path_factory.mktemp(f"jobs-{request.param}"))
    yield prepared
    with prepared.app.app_context():
        db.engine.dispose()


@pytest.fixture
def worker(setup: Setup) -> Iterator[Worker]:
    """One worker per test: a test that stops workers finds no other one taking its tasks."""
    running = setup.start_worker()
    yield running
    running.stop()


def test_a_queued_task_runs_in_the_worker_and_commits_its_rows(setup, worker):
    setup.enqueue("tests.add_incubator", "Incubateur du worker", "incubateur-du-worker")

    def incubator_exists() -> bool:
        with setup.app.app_context():
            query = sa.select(Incubator).filter_by(slug="incubateur-du-worker")
            return db.session.scalar(query) is not None

    wait_until(incubator_exists, "l'incubateur écrit par la tâche", worker.log)


def test_a_failing_task_is_tried_again(setup, worker):
    folder = setup.new_folder()
    setup.enqueue("tests.fail_once", str(folder))

    wait_until((folder / "done").exists, "le second essai réussit", worker.log)
    assert (folder / "attempts").read_text() == "2"
    assert "Échec voulu au premier essai" in worker.output()


def test_a_task_that_fails_is_logged_and_the_worker_goes_on(setup, worker):
    message = f"Panne simulée {uuid.uuid4().hex}"
    setup.enqueue("tests.always_fail", message)
    wait_until(lambda: message in worker.output(), "l'erreur au journal", worker.log)
    assert "Traceback" in worker.output()

    after = setup.new_folder() / "after"
    setup.enqueue("tests.write_file", str(after), "suite")
    wait_until(after.exists, "la tâche suivante", worker.log)
    assert worker.process.poll() is None


def test_a_periodic_task_runs_from_the_start_of_the_worker(worker):
    # The worker's fixture waited for it: each worker leaves its mark in its own folder.
    assert worker.heartbeat.read_text() == "ok"
    assert "tests.heartbeat" in worker.output()


def test_alembic_ignores_the_queue_tables(setup, worker):
    """`flask db check` (autogenerate) sees no change once huey's tables exist."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "comite", "db", "check"],
        env=setup.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_worker_stops_cleanly_on_a_signal(setup, signum):
    stopping = setup.start_worker()

    assert stopping.stop(signum) == 0
    assert "Worker Comité arrêté." in stopping.output()


def test_a_task_cut_short_by_a_stop_runs_again_in_the_next_worker(setup):
    folder = setup.new_folder()
    first = setup.start_worker()
    setup.enqueue("tests.slow_once", str(folder))
    wait_until((folder / "started").exists, "la tâche lente commence", first.log)

    # JOBS_SHUTDOWN_TIMEOUT is 2 s: the worker cuts the task short, then queues it again.
    assert first.stop(signal.SIGTERM) == 0
    assert "remise dans la file" in first.output()
    assert not (folder / "done").exists()

    second = setup.start_worker()
    try:
        wait_until((folder / "done").exists, "la tâche reprise", second.log)
    finally:
        second.stop()


# In-process: the app only queues, nothing runs without a worker.


@pytest.fixture
def memory_app() -> Iterator[Flask]:
    application = make_test_app("sqlite://", JOBS_IMPORTS=[TEST_TASKS])
    yield application
    with application.app_context():
        db.engine.dispose()


def test_enqueue_in_a_request_does_not_run_the_task(memory_app, tmp_path):
    target = tmp_path / "written"
    with memory_app.test_request_context("/"):
        jobs.enqueue("tests.write_file", str(target), "trop tôt")

    assert not target.exists()
    [pending] = memory_app.extensions["jobs"].huey.pending()
    assert pending.args == (str(target), "trop tôt")


def test_enqueue_on_a_sqlite_file_leaves_the_task_in_the_sibling_queue_file(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'comite.sqlite3'}", JOBS_IMPORTS=[TEST_TASKS])
    queue_file = tmp_path / "comite-jobs.sqlite3"
    assert not queue_file.exists(), "the queue is created lazily, not with the app"

    with app.test_request_context("/"):
        jobs.enqueue("tests.write_file", str(tmp_path / "written"), "plus tard")

    assert not (tmp_path / "written").exists()
    # Another process (a worker) would find it there.
    other = make_test_app(f"sqlite:///{tmp_path / 'comite.sqlite3'}")
    assert other.extensions["jobs"].huey.pending_count() == 1
    for application in (app, other):
        with application.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(
    ("database", "jobs_database", "storage", "where"),
    [
        ("sqlite://", "", MemoryStorage, None),
        ("sqlite:////srv/data/comite.sqlite3", "", SqliteStorage, "/srv/data/comite-jobs.sqlite3"),
        ("sqlite:///comite.sqlite3", "", SqliteStorage, "INSTANCE/comite-jobs.sqlite3"),
        (
            "postgres://comite:secret@db.example:5432/comite",
            "",
            PostgresStorage,
            "postgresql://comite:secret@db.example:5432/comite",
        ),
        (
            "postgres://comite:secret@db.example:5432/comite",
            "sqlite:////srv/queue.sqlite3",
            SqliteStorage,
            "/srv/queue.sqlite3",
        ),
        ("sqlite:////srv/comite.sqlite3", "memory://", MemoryStorage, None),
    ],
)
def test_the_queue_follows_the_database_unless_configured(database, jobs_database, storage, where):
    app = make_test_app(database, JOBS_DATABASE_URL=jobs_database)
    huey = app.extensions["jobs"].huey

    assert type(huey.storage) is storage
    if storage is SqliteStorage:
        assert huey.storage.filename == where.replace("INSTANCE", app.instance_path)
    if storage is PostgresStorage:
        assert huey.storage.dsn == where
        assert huey.storage.table_task == "huey_task"
    with app.app_context():
        db.engine.dispose()


def test_a_queue_url_of_another_kind_is_refused():
    with pytest.raises(ConfigurationError, match="JOBS_DATABASE_URL"):
        make_test_app("sqlite://", JOBS_DATABASE_URL="redis://localhost:6379/0")


@jobs.periodic("tests.every_five_minutes", minutes=5)
def every_five_minutes() -> None:
    """Registered here only: the worker subprocesses never import this module."""


def test_a_periodic_task_is_due_at_the_multiples_of_its_period(memory_app):
    queue = memory_app.extensions["jobs"]
    queue.huey_task("tests.every_five_minutes")

    def due_at(hour: int, minute: int) -> set[str]:
        moment = dt.datetime(2026, 3, 2, hour, minute)
        return {type(task).__name__ for task in queue.huey.read_periodic(moment)}

    assert "tests.every_five_minutes" in due_at(10, 5)
    assert "tests.every_five_minutes" in due_at(0, 0)
    assert "tests.every_five_minutes" not in due_at(10, 7)


@pytest.mark.parametrize("minutes", [0, 7, 2000])
def test_a_period_that_does_not_divide_a_day_is_refused(minutes):
    with pytest.raises(ValueError, match="divide a day"):
        jobs.periodic("tests.bad_period", minutes=minutes)


def test_an_unknown_task_is_refused(memory_app):
    with memory_app.test_request_context("/"), pytest.raises(LookupError):
        jobs.enqueue("tests.no_such_task")


def test_two_functions_cannot_share_a_name():
    def impostor(path: str, text: str) -> None: ...

    with pytest.raises(ValueError, match="already taken"):
        jobs.task("tests.write_file")(impostor)


def test_a_registered_function_stays_callable_directly(tmp_path):
    from tests.jobs.tasks import write_file

    write_file(str(tmp_path / "direct"), "appel direct")
    assert (tmp_path / "direct").read_text() == "appel direct"


def test_the_worker_refuses_a_queue_in_memory(memory_app):
    result = memory_app.test_cli_runner().invoke(args=["worker"])

    assert result.exit_code != 0
    assert "en mémoire" in result.output


def test_the_worker_sends_the_outbox_once_the_action_is_committed(setup):
    """The commit that writes a message asks the worker to send it: the real worker hands it
    to a real SMTP server within seconds, Reply-To the secretariat."""
    from comite.auth.models import User
    from comite.notifications import outbox
    from comite.notifications.models import MessageState, Notification, OutboxMessage
    from tests.smtp_server import SmtpServer

    smtp = SmtpServer()
    smtp.start()
    env = {
        **setup.env,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "MAIL_REPLY_TO": "secretariat@incubateur.example.gouv.fr",
    }
    running = Worker(env, setup.folder, uuid.uuid4().hex)
    try:
        address = f"{uuid.uuid4().hex}@exemple.gouv.fr"
        with setup.app.test_request_context("/"):
            user = User(email=address, given_name="Inès", usual_name="Worker")
            db.session.add(user)
            db.session.flush()
            outbox.queue(db.session, Notification.ORDER_SENT, [user], "Essai", "_signature")
            db.session.commit()
        wait_until(lambda: smtp.mailbox.to(address), "le courriel reçu par le serveur", running.log)
        [received] = smtp.mailbox.to(address)
        assert received["Reply-To"] == "secretariat@incubateur.example.gouv.fr"
        assert received["Subject"] == "Essai"
        with setup.app.app_context():
            message = db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.to_address == address)
            ).one()
            wait_until(
                lambda: db.session.refresh(message) or message.state is MessageState.SENT,
                "le message marqué envoyé",
            )
    finally:
        running.stop()
        smtp.stop()
