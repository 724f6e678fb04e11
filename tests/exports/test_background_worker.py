"""A large register end to end: requested in the browser's stead, built by a real
`flask --app comite worker` process, followed on its page, downloaded and re-opened."""

from __future__ import annotations

import datetime as dt
import html
import io

import openpyxl
import pytest
import sqlalchemy as sa

from comite.auth.models import User, UserRole
from comite.auth.roles import Role
from comite.committee.models import Decision
from comite.committee.workflow import DecisionState, Outcome
from comite.exports.models import ExportJob, ExportState
from comite.extensions import db
from comite.startups.models import Incubator, PhaseChange, Startup
from comite.startups.workflow import Phase
from tests.databases import ENGINES
from tests.jobs.test_jobs import Setup, wait_until

DECISIONS = 5


@pytest.fixture(params=ENGINES)
def setup(request, tmp_path):
    prepared = Setup(
        request.param, tmp_path, "comite_test_worker_exports", EXPORT_BACKGROUND_ROWS=3
    )
    yield prepared
    with prepared.app.app_context():
        db.engine.dispose()


def _data(setup: Setup) -> int:
    with setup.app.app_context():
        finance = User(
            email="dsaf@exemple.gouv.fr",
            given_name="Nadia",
            usual_name="Petit",
            role_grants=[UserRole(role=Role.FINANCE)],
        )
        startup = Startup(
            name="=Startup piégée",
            slug="startup",
            incubator=Incubator(name="Incubateur", slug="incubateur"),
            phase=Phase.CONSTRUCTION,
            phase_started_on=dt.date(2026, 1, 1),
            phase_history=[PhaseChange(phase=Phase.CONSTRUCTION, started_on=dt.date(2026, 1, 1))],
        )
        db.session.add_all(
            Decision(
                startup=startup,
                outcome=Outcome.CONTINUE,
                next_phase=Phase.CONSTRUCTION,
                state=DecisionState.PUBLISHED,
                created_by=finance,
                published_at=dt.datetime(2026, 11, day, 10, tzinfo=dt.UTC),
            )
            for day in range(1, DECISIONS + 1)
        )
        db.session.commit()
        return finance.id


def test_a_large_register_is_built_by_the_worker_and_downloaded(setup):
    finance_id = _data(setup)
    client = setup.app.test_client()
    assert client.post("/connexion/dev", data={"user_id": finance_id}).status_code == 303
    assert "Préparer le fichier Excel" in client.get("/exports/decisions").get_data(as_text=True)
    requested = client.post("/exports/decisions/preparation", data={"format": "xlsx"})
    assert requested.status_code == 303
    job_url = requested.location
    waiting = html.unescape(client.get(job_url).get_data(as_text=True))
    assert "Le fichier est en file d'attente. 0 ligne sur 5." in waiting

    worker = setup.start_worker()
    try:

        def finished() -> bool:
            with setup.app.app_context():
                state = db.session.scalar(sa.select(ExportJob.state))
                return state in (ExportState.DONE, ExportState.FAILED)

        wait_until(finished, "l'export construit par le worker", worker.log)
    finally:
        assert worker.stop() == 0
    with setup.app.app_context():
        assert db.session.scalar(sa.select(ExportJob.state)) is ExportState.DONE
    page = client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Le fichier est prêt" in page and "hx-trigger" not in page
    download = client.get(f"{job_url}/fichier")
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.data)).active
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    assert len(rows) == DECISIONS
    assert {row[3] for row in rows} == {"=Startup piégée"}
    assert sheet.cell(6, 4).data_type == "s"
