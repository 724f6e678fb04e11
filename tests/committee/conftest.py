"""A séance with three convened members (the first presides) and a submitted fiche on its
agenda, built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from comite.auth.roles import Role
from comite.committee import services
from comite.committee.workflow import MeetingState
from comite.dossiers import services as dossier_services
from comite.dossiers.content import BudgetLine, Indicator, ProductSheetContent
from comite.startups.workflow import MemberRole, Phase

TODAY = dt.date(2026, 11, 24)


def complete_sheet() -> ProductSheetContent:
    return ProductSheetContent(
        problem="Problème",
        users="Usagers",
        solution="Solution",
        success_conditions="Succès",
        indicators=[Indicator("Démarches en ligne", "%", "5", "60", "Statistiques")],
        organisation="Équipe",
        actors="Acteurs",
        skills="Compétences",
        requested_phase="acceleration",
        budget_lines=[
            BudgetLine("DEVOPS-SENIOR", Decimal("6"), dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
            BudgetLine("PM", Decimal("2.5"), dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
        ],
    )


@pytest.fixture
def submitted_version(db_session, make_user, make_startup):
    intrapreneur = make_user(Role.INTRAPRENEUR, given_name="Julie", usual_name="Moreau")
    sponsor = make_user(Role.SPONSOR, given_name="Thomas", usual_name="Bernard")
    startup = make_startup(
        "Cantine Locale",
        Phase.CONSTRUCTION,
        members={intrapreneur: MemberRole.INTRAPRENEUR, sponsor: MemberRole.SPONSOR},
    )
    dossier = dossier_services.create_dossier(
        db_session, startup, dossier_services.DossierKind.PRODUCT_SHEET, intrapreneur
    )
    version = dossier.latest
    dossier_services.save_draft(
        db_session, version, complete_sheet(), version.revision, intrapreneur
    )
    dossier_services.submit(db_session, version, intrapreneur)
    db_session.commit()
    return version


@pytest.fixture
def seance(db_session, make_user, submitted_version):
    """An open séance: agenda published, in progress, its item not yet open."""
    admin = make_user(Role.ADMIN, given_name="Claire", usual_name="Dubois")
    members = [
        make_user(Role.MEMBER, given_name=given, usual_name=usual)
        for given, usual in (("Marc", "Lefèvre"), ("Sophie", "Martin"), ("Karim", "Benali"))
    ]
    meeting = services.create_meeting(
        db_session,
        services.MeetingDetails(
            "Comité de novembre", dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC), "Salle 101"
        ),
        admin,
    )
    services.convene(db_session, meeting, members, members[0], admin)
    item = services.add_to_agenda(db_session, meeting, submitted_version, admin)
    services.advance_meeting(db_session, meeting, "publish_agenda", admin)
    db_session.commit()
    return {
        "meeting": meeting,
        "item": item,
        "admin": admin,
        "members": members,
        "version": submitted_version,
    }


@pytest.fixture
def open_item(db_session, seance):
    services.advance_meeting(db_session, seance["meeting"], "start", seance["admin"])
    services.open_item(db_session, seance["item"], seance["admin"])
    db_session.commit()
    assert seance["meeting"].state is MeetingState.IN_PROGRESS
    return seance
