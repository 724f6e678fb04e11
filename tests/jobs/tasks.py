"""Tasks for the tests only, registered in the worker through JOBS_IMPORTS=tests.jobs.tasks.

They leave files in a folder the test gives, or rows in the database, for the test to see.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from comite import jobs
from comite.extensions import db
from comite.startups.models import Incubator

# The folder where the periodic task leaves its mark, given to the worker's environment.
OUTPUT_VARIABLE = "COMITE_TEST_JOBS_OUTPUT"


@jobs.task("tests.add_incubator")
def add_incubator(name: str, slug: str) -> None:
    db.session.add(Incubator(name=name, slug=slug))
    db.session.commit()


@jobs.task("tests.write_file")
def write_file(path: str, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


@jobs.task("tests.fail_once", retries=1)
def fail_once(folder: str) -> None:
    """Fails on its first attempt, succeeds on the second."""
    attempts = Path(folder, "attempts")
    count = int(attempts.read_text()) + 1 if attempts.exists() else 1
    attempts.write_text(str(count))
    if count == 1:
        raise RuntimeError("Échec voulu au premier essai")
    Path(folder, "done").write_text("ok")


@jobs.task("tests.always_fail")
def always_fail(message: str) -> None:
    raise RuntimeError(message)


@jobs.task("tests.slow_once")
def slow_once(folder: str) -> None:
    """Hangs the first time (until the worker is stopped), finishes at once the next."""
    started = Path(folder, "started")
    if not started.exists():
        started.write_text("1")
        time.sleep(120)
    Path(folder, "done").write_text("ok")


@jobs.periodic("tests.heartbeat", minutes=1)
def heartbeat() -> None:
    if folder := os.environ.get(OUTPUT_VARIABLE):
        Path(folder, "heartbeat").write_text("ok")
