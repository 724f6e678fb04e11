"""The home page tells each person what to do next, block by block for the roles they hold."""

# The committee's fixtures are imported here and taken as arguments by the tests.
# ruff: noqa: F811

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from comite.auth.roles import Role
from comite.committee import services as committee
from comite.committee.workflow import Choice
from comite.core.formatting import today_in_paris
from comite.dossiers import services as dossiers
from comite.dossiers.workflow import DossierKind
from comite.extensions import db
from comite.orders import services as orders
from comite.startups.workflow import MemberRole
from tests.committee.conftest import TODAY, open_item, seance, submitted_version  # noqa: F401
from tests.committee.test_orders_from_decision import priced_contract, published_decision

MOST_STATEMENTS = 8


def text(response) -> str:
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def to_do(page: str) -> str:
    """The "À faire" part of the page (up to the startups the person follows)."""
    assert "À faire" in page
    return page.split("À faire", 1)[1].split("Mes startups", 1)[0]


def count_statements(client, path: str = "/") -> int:
    """SQL statements of one request, after a first one has warmed the caches."""
    executed: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if statement != "BEGIN":
            executed.append(statement)

    client.get(path)
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(executed)


# -- the team of a startup ------------------------------------------------------------------


def test_intrapreneur_sees_a_returned_dossier_with_the_reason_and_a_link(
    client, login_as, db_session, submitted_version, make_user
):
    version = submitted_version
    dossiers.return_for_completion(
        db_session, version, make_user(Role.ADMIN), "Ajoutez les indicateurs d'usage."
    )
    db_session.commit()
    login_as(user=version.dossier.created_by)
    block = to_do(text(client.get("/")))
    assert "Renvoyée pour compléments" in block
    assert "Ajoutez les indicateurs d'usage." in block
    assert f'href="/dossiers/{version.dossier_id}"' in block
    assert "Cantine Locale" in block


def test_the_new_draft_after_a_return_still_says_what_to_complete(
    client, login_as, db_session, submitted_version, make_user
):
    version = submitted_version
    intrapreneur = version.dossier.created_by
    dossiers.return_for_completion(db_session, version, make_user(Role.ADMIN), "Le budget.")
    dossiers.start_new_version(db_session, version.dossier, intrapreneur)
    db_session.commit()
    login_as(user=intrapreneur)
    block = to_do(text(client.get("/")))
    assert "Le budget." in block
    assert f'href="/dossiers/{version.dossier_id}/brouillon"' in block


def test_intrapreneur_sees_a_draft_to_submit_with_a_link_to_edit_it(
    client, login_as, db_session, make_user, make_startup
):
    me = make_user(Role.INTRAPRENEUR)
    startup = make_startup(
        "Signal Logement",
        phase_started_on=today_in_paris(),  # no impact review due yet
        members={me: MemberRole.INTRAPRENEUR},
    )
    dossier = dossiers.create_dossier(db_session, startup, DossierKind.PRODUCT_SHEET, me)
    db_session.commit()
    login_as(user=me)
    block = to_do(text(client.get("/")))
    assert "Vos dossiers à compléter (1)" in block
    assert "Fiche produit" in block and "Brouillon" in block
    assert f'href="/dossiers/{dossier.id}/brouillon"' in block


def test_a_submitted_dossier_is_no_longer_to_complete(client, login_as, submitted_version):
    login_as(user=submitted_version.dossier.created_by)
    block = to_do(text(client.get("/")))
    assert "Vos dossiers à compléter (0)" in block
    assert "Rien à faire pour l'instant" in block


def test_an_overdue_impact_review_is_to_do_with_a_link_to_the_startup(
    client, login_as, make_user, make_startup
):
    me = make_user(Role.INTRAPRENEUR)
    startup = make_startup(
        "Emploi Inclusif",
        phase_started_on=today_in_paris() - relativedelta(months=7),
        members={me: MemberRole.TEAM},
    )
    login_as(user=me)
    block = to_do(text(client.get("/")))
    assert "Bilan semestriel à déposer" in block and "En retard" in block
    assert f'href="/startups/{startup.slug}"' in block


def test_a_sponsor_has_no_dossier_to_complete(client, login_as, make_user, make_startup):
    me = make_user(Role.SPONSOR)
    make_startup(
        "Permis Rapide",
        phase_started_on=today_in_paris() - relativedelta(months=7),
        members={me: MemberRole.SPONSOR},
    )
    login_as(user=me)
    page = text(client.get("/"))
    assert "Vos dossiers à compléter" not in page
    assert "Bilan semestriel à déposer" not in page


# -- committee members ----------------------------------------------------------------------


def test_member_sees_the_open_item_to_vote_on_until_they_vote(
    client, login_as, db_session, open_item
):
    member, item = open_item["members"][1], open_item["item"]
    login_as(user=member)
    block = to_do(text(client.get("/")))
    assert "Séances où voter (1)" in block
    assert "Comité de novembre" in block and "Vote ouvert" in block
    assert f'href="/seances/{item.meeting_id}/points/{item.id}"' in block

    committee.cast_vote(db_session, item, member, member, Choice.CONTINUE)
    db_session.commit()
    block = to_do(text(client.get("/")))
    assert "Comité de novembre" not in block
    assert "Rien à faire pour l'instant" in block


def test_a_recused_member_has_nothing_to_vote(client, login_as, db_session, open_item):
    member = open_item["members"][2]
    committee.declare_conflict(db_session, open_item["item"], member, "J'y ai travaillé.")
    db_session.commit()
    login_as(user=member)
    assert "Comité de novembre" not in to_do(text(client.get("/")))


def test_member_sees_the_seance_coming_up_they_are_convened_to(client, login_as, seance):
    login_as(user=seance["members"][0])
    block = to_do(text(client.get("/")))
    assert "Comité de novembre" in block and "Ordre du jour publié" in block
    assert f'href="/seances/{seance["meeting"].id}"' in block
    assert "26 novembre 2026" in block


def test_a_member_not_convened_does_not_see_the_seance(client, login_as, seance):
    login_as(Role.MEMBER)
    block = to_do(text(client.get("/")))
    assert "Comité de novembre" not in block
    assert "Séances où voter (0)" in block


# -- the secretariat ------------------------------------------------------------------------


def test_secretariat_sees_submitted_dossiers_seances_to_prepare_and_decisions_to_publish(
    client, login_as, db_session, seance, submitted_version
):
    login_as(user=seance["admin"])
    block = to_do(text(client.get("/")))
    # The fixture's dossier is on the agenda: no longer waiting.
    assert "Dossiers déposés à examiner (0)" in block
    assert "Séances à préparer (1)" in block
    assert f'href="/seances/{seance["meeting"].id}/gestion"' in block
    assert "Décisions à publier (0)" in block

    committee.advance_meeting(db_session, seance["meeting"], "start", seance["admin"])
    committee.open_item(db_session, seance["item"], seance["admin"])
    for member in seance["members"][:2]:
        committee.cast_vote(db_session, seance["item"], member, member, Choice.CONTINUE)
    decision = committee.close_item(db_session, seance["item"], seance["admin"], TODAY)
    db_session.commit()
    block = to_do(text(client.get("/")))
    assert "Décisions à publier (1)" in block
    assert f'href="/decisions/{decision.id}"' in block


def test_secretariat_sees_a_dossier_waiting_for_a_seance(
    client, login_as, submitted_version, make_user
):
    login_as(Role.ADMIN)
    block = to_do(text(client.get("/")))
    assert "Dossiers déposés à examiner (1)" in block
    assert "Cantine Locale" in block
    assert f'href="/dossiers/{submitted_version.dossier_id}"' in block


# -- the DSAF -------------------------------------------------------------------------------


def _sent_order(db_session, seance):
    contract = priced_contract(
        db_session, seance["admin"], {"DEVOPS-SENIOR": "13500.00", "PM": "12000.00"}
    )
    decision = published_decision(db_session, seance)
    [order] = orders.generate_orders(db_session, decision, seance["admin"], TODAY)
    assert order.contract is contract
    imputation = {"financial_centre": "0129-C001", "functional_domain": "0129-01", "activity": "A1"}
    orders.update_order(db_session, order, seance["admin"], imputation)
    db_session.commit()
    return order


def test_finance_sees_orders_sent_without_a_legal_commitment_only(
    client, login_as, db_session, seance
):
    order = _sent_order(db_session, seance)
    finance = login_as(Role.FINANCE)
    assert order.number not in to_do(text(client.get("/")))  # still a draft

    orders.send_order(db_session, order, seance["admin"])
    db_session.commit()
    block = to_do(text(client.get("/")))
    assert "Bons de commande à engager (1)" in block
    assert order.number in block and "Cantine Locale" in block
    assert "133\u202f200,00\xa0€ TTC" in block
    assert f'href="/commandes/{order.id}"' in block

    orders.engage_order(db_session, order, finance, "1300012345")
    db_session.commit()
    block = to_do(text(client.get("/")))
    assert order.number not in block
    assert "Bons de commande à engager (0)" in block


# -- sponsors -------------------------------------------------------------------------------


def test_sponsor_sees_the_last_decision_of_their_startup_with_its_history(
    client, login_as, db_session, seance
):
    published_decision(db_session, seance)
    startup = seance["version"].dossier.startup
    sponsor = next(m.user for m in startup.memberships if m.role is MemberRole.SPONSOR)
    login_as(user=sponsor)
    page = text(client.get("/"))
    assert "Dernières décisions de vos startups (1)" in page
    assert f'href="/startups/{startup.slug}/historique"' in page
    assert "Continuer" in page
    assert "Dossiers devant le comité (0)" in page  # the dossier is decided


def test_sponsor_sees_the_dossier_their_startup_submitted_but_not_its_drafts(
    client, login_as, db_session, submitted_version
):
    startup = submitted_version.dossier.startup
    sponsor = next(m.user for m in startup.memberships if m.role is MemberRole.SPONSOR)
    draft = dossiers.create_dossier(
        db_session, startup, DossierKind.IMPACT_REVIEW, submitted_version.dossier.created_by
    )
    db_session.commit()
    login_as(user=sponsor)
    page = text(client.get("/"))
    assert "Dossiers devant le comité (1)" in page
    assert f'href="/dossiers/{submitted_version.dossier_id}"' in page
    assert f"/dossiers/{draft.id}" not in page
    assert "À faire" not in page


# -- everyone -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.INTRAPRENEUR, Role.MEMBER, Role.ADMIN, Role.FINANCE])
def test_a_person_with_nothing_pending_sees_the_empty_state(client, login_as, role):
    login_as(role)
    block = to_do(text(client.get("/")))
    assert "Rien à faire pour l'instant" in block
    assert not re.search(r"\((?!0\))\d+\)", block), "aucun compteur non nul"


def test_a_person_without_a_role_still_waits_for_one(client, login_as):
    login_as()
    page = text(client.get("/"))
    assert "Votre compte attend un rôle" in page
    assert "À faire" not in page


def test_the_anonymous_page_presents_comite(client):
    page = text(client.get("/"))
    assert "le comité d'investissement des Startups d'État" in page
    assert "Se connecter" in page and "À faire" not in page


# -- speed ----------------------------------------------------------------------------------


def test_each_role_gets_its_page_in_a_few_statements_whatever_the_data(
    client, login_as, db_session, open_item, make_user, make_startup
):
    """Counted with something in every block, then with more of it: the count stays put."""
    startup = open_item["version"].dossier.startup
    people = {
        "intrapreneur": open_item["version"].dossier.created_by,
        "sponsor": next(m.user for m in startup.memberships if m.role is MemberRole.SPONSOR),
        "member": open_item["members"][1],
        "admin": open_item["admin"],
        "finance": make_user(Role.FINANCE),
    }
    counts = {}
    for role, person in people.items():
        login_as(user=person)
        counts[role] = count_statements(client)
    assert max(counts.values()) <= MOST_STATEMENTS, counts

    intrapreneur = people["intrapreneur"]
    for number in range(3):
        other = make_startup(f"Autre {number}", members={intrapreneur: MemberRole.INTRAPRENEUR})
        dossiers.create_dossier(db_session, other, DossierKind.IMPACT_REVIEW, intrapreneur)
    db_session.commit()
    login_as(user=intrapreneur)
    assert count_statements(client) == counts["intrapreneur"]
