"""One of everything, so that every route of Comité has an object to reach: a startup A
with its team, dossier, attachment, séance, question, published decision, order and export;
a startup B with a dossier of its own; a user of each role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from comite.auth.models import User
from comite.auth.roles import Role
from comite.committee import services as committee
from comite.committee.workflow import Choice
from comite.dossiers import services as dossiers
from comite.dossiers.workflow import DossierKind
from comite.exports.registers import REGISTERS
from comite.exports.services import request_export
from comite.orders import services as orders
from comite.startups.workflow import MemberRole
from tests.committee.conftest import TODAY, complete_sheet
from tests.committee.test_orders_from_decision import priced_contract, unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ("anonymous", "none", "intrapreneur", "sponsor", "member", "finance", "admin")


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    ids: dict[str, object] = field(default_factory=dict)


def build_world(db_session, make_user, make_startup, make_incubator, seance) -> World:
    admin = seance["admin"]
    version = seance["version"]
    startup = version.dossier.startup
    team = {m.role: m.user for m in startup.memberships}
    world = World(
        users={
            "anonymous": None,
            "none": make_user(given_name="Sans", usual_name="Rôle"),
            "intrapreneur": team[MemberRole.INTRAPRENEUR],
            "sponsor": team[MemberRole.SPONSOR],
            # Convened, not presiding: the first member presides.
            "member": seance["members"][1],
            "finance": make_user(Role.FINANCE, given_name="Damien", usual_name="Finances"),
            "admin": admin,
        }
    )
    intrapreneur = world.users["intrapreneur"]
    attachment = dossiers.add_attachment(
        db_session, version.dossier, intrapreneur, "budget.pdf", PDF, 10_000_000
    )

    meeting, item = seance["meeting"], seance["item"]
    question = committee.ask_question(db_session, item, seance["members"][0], "Quel impact ?")
    committee.advance_meeting(db_session, meeting, "start", admin)
    committee.open_item(db_session, item, admin)
    for member in seance["members"][:2]:
        committee.cast_vote(db_session, item, member, member, Choice.CONTINUE)
    decision = committee.close_item(db_session, item, admin, TODAY)
    committee.publish_decision(db_session, decision, admin, TODAY)

    contract = priced_contract(db_session, admin, {"DEVOPS-SENIOR": "12000.00", "PM": "12000.00"})
    order = orders.generate_orders(db_session, decision, admin, TODAY)[0]
    finance = world.users["finance"]
    job = request_export(db_session, REGISTERS["decisions"], "xlsx", {}, 20_000, finance)

    other = make_startup(
        "Autre Startup", members={make_user(Role.INTRAPRENEUR): MemberRole.INTRAPRENEUR}
    )
    other_member = other.memberships[0]
    other_dossier = dossiers.create_dossier(
        db_session, other, DossierKind.PRODUCT_SHEET, other_member.user
    )
    dossiers.save_draft(
        db_session,
        other_dossier.latest,
        complete_sheet(),
        other_dossier.latest.revision,
        other_member.user,
    )
    dossiers.submit(db_session, other_dossier.latest, other_member.user)
    db_session.commit()

    world.ids = {
        "slug": startup.slug,
        "other_slug": other.slug,
        "dossier_id": version.dossier.id,
        "other_dossier_id": other_dossier.id,
        "number": version.number,
        "attachment_id": attachment.id,
        "meeting_id": meeting.id,
        "item_id": item.id,
        "question_id": question.id,
        "decision_id": decision.id,
        "order_id": order.id,
        "order_number": order.number,
        "job_id": job.id,
        "contract_id": contract.id,
        "work_unit_type_id": unit(db_session, "PM").id,
        "incubator_id": startup.incubator_id,
        "user_id": world.users["none"].id,
        "membership_id": other_member.id,
        "team_membership_id": startup.memberships[0].id,
    }
    return world


@contextmanager
def rolled_back(db_session) -> Iterator[None]:
    """Whatever the test's session and the requests change inside is rolled back: a
    savepoint of the test's own on the connection, under the ones the sessions make and
    release. Requests must come from another app instance than the test's, whose app context
    would lend them the test's session."""
    connection = db_session.get_bind()
    db_session.commit()
    connection.exec_driver_sql("SAVEPOINT security_case")
    try:
        yield
    finally:
        db_session.rollback()
        connection.exec_driver_sql("ROLLBACK TO SAVEPOINT security_case")
        connection.exec_driver_sql("RELEASE SAVEPOINT security_case")
        db_session.expire_all()


def rule_url(rule, values: dict[str, object]) -> str:
    """The rule's URL with these values of its arguments (its defaults aside)."""
    arguments = {name: values[name] for name in rule.arguments - set(rule.defaults or {})}
    return rule.build(arguments, append_unknown=False)[1]
