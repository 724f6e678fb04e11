"""The minutes (relevé de décisions) of a séance, as a page and as a PDF read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.workflow import Choice
from tests.committee.decision_helpers import text, vote_and_close, words

C, S = Choice.CONTINUE, Choice.STOP


@pytest.fixture
def closed_seance(db_session, open_item):
    """Marc and Sophie continue, Karim declared a conflict; the decision is published and
    the séance closed."""
    karim = open_item["members"][2]
    services.declare_conflict(db_session, open_item["item"], karim, "Ancien employeur")
    decision = vote_and_close(db_session, open_item, [C, C])
    services.update_decision(
        db_session,
        decision,
        services.DecisionDetails(
            decision.outcome,
            decision.next_phase,
            "Publier la page /stats.",
            dt.date(2027, 5, 27),
            [],
        ),
        open_item["admin"],
    )
    services.publish_decision(db_session, decision, open_item["admin"], dt.date(2026, 11, 27))
    services.advance_meeting(db_session, open_item["meeting"], "close", open_item["admin"])
    db_session.commit()
    return {**open_item, "decision": decision}


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_minutes_page_gives_the_seance_and_each_decision(client, login_as, closed_seance):
    login_as(user=closed_seance["admin"])
    meeting = closed_seance["meeting"]
    response = client.get(f"/seances/{meeting.id}/releve")
    assert response.status_code == 200
    page = words(response)
    assert "Relevé de décisions – Comité de novembre" in page
    assert "Salle 101" in page
    assert "Marc Lefèvre (président), Karim Benali, Sophie Martin" in page
    assert "Point 1 – Cantine Locale" in page
    assert "Karim Benali (Ancien employeur)" in page
    assert "Marc Lefèvre : Continuer ; Sophie Martin : Continuer" in page
    assert closed_seance["item"].result_text in page
    assert "Phase suivante Accélération" in page
    assert "Publier la page /stats." in page
    assert "Aucun budget accordé." in page
    assert f'href="/seances/{meeting.id}/releve.pdf"' in text(response)


def test_a_convened_member_reads_the_minutes_once_the_seance_is_open(
    client, login_as, db_session, seance, make_user
):
    url = f"/seances/{seance['meeting'].id}/releve"
    login_as(user=seance["members"][1])
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Le relevé de décisions est disponible une fois la séance ouverte." in text(refused)
    services.advance_meeting(db_session, seance["meeting"], "start", seance["admin"])
    db_session.commit()
    page = client.get(url)
    assert page.status_code == 200
    assert "ce relevé est provisoire" in text(page)

    login_as(Role.MEMBER)
    assert client.get(url).status_code == 403
    login_as(Role.SPONSOR)
    assert client.get(f"{url}.pdf").status_code == 403


def test_secret_ballot_minutes_give_the_counts_only(client, login_as, db_session, seance):
    meeting = seance["meeting"]
    services.update_meeting(
        db_session,
        meeting,
        services.MeetingDetails(meeting.title, meeting.starts_at, secret_ballot=True),
        seance["admin"],
    )
    services.advance_meeting(db_session, meeting, "start", seance["admin"])
    services.open_item(db_session, seance["item"], seance["admin"])
    vote_and_close(db_session, seance, [C, S, C])
    login_as(user=seance["members"][2])
    page = words(client.get(f"/seances/{meeting.id}/releve"))
    assert "Bulletin secret : Continuer 2, Arrêter 1, Abstention 0." in page
    for member in seance["members"]:
        for choice in Choice:
            assert f"{member.full_name} : {choice.label}" not in page
    # The decision is not published yet: members see it is being written.
    assert "Décision en cours de rédaction par le secrétariat." in page


def test_the_minutes_pdf_is_a_real_pdf_with_the_decisions(client, login_as, closed_seance):
    login_as(user=closed_seance["members"][0])
    meeting = closed_seance["meeting"]
    response = client.get(f"/seances/{meeting.id}/releve.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="releve-seance-{meeting.id}.pdf"'
    )
    assert response.data.startswith(b"%PDF")
    content = pdf_text(response)
    assert "Relevé de décisions" in content
    assert "Cantine Locale" in content
    assert closed_seance["item"].result_text in content
    assert "Marc Lefèvre (président)" in content
