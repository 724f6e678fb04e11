"""What every mutating route of Comité needs to succeed: who may post, the state to prepare
from the world (tests/security/world.py) and valid form data. The audit coverage test posts
each case as it is; the hostile input test replaces one field at a time."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from comite.auth.models import User
from comite.committee import services as committee
from comite.committee.models import Decision, Meeting
from comite.dossiers import services as dossiers
from comite.dossiers.models import Dossier
from comite.orders import services as orders
from comite.orders.models import PurchaseOrder, WorkUnitType
from comite.startups.models import Startup
from tests.committee.conftest import TODAY
from tests.dossiers.conftest import sheet_form
from tests.security.world import PDF, World


@dataclass
class Scene:
    """What a case works with: the test's session, the world, and the values of the URL's
    arguments (the world's ids, then whatever the case prepared)."""

    session: Any
    world: World
    values: dict[str, Any]

    def user(self, role: str) -> User:
        return self.world.users[role]

    def get(self, model: type, name: str) -> Any:
        return self.session.get(model, self.values[name])


@dataclass(frozen=True)
class Case:
    """How to make one route succeed."""

    # Who is logged in when posting ("anonymous": nobody).
    role: str
    # The form data, or a function of the scene that returns it.
    data: dict[str, Any] | Callable[[Scene], dict[str, Any]] = field(default_factory=dict)
    # Puts the world in a state where the action succeeds; returns URL arguments (or other
    # values the form data needs) to add to the world's ids.
    prepare: Callable[[Scene], dict[str, Any]] | None = None
    # Whose name the audit event must carry, when it is not the logged-in user's.
    actor: str | None = None
    # The answer of a successful POST.
    status: int = 303


# -- preparations ---------------------------------------------------------------------------


def _inactive_user(scene: Scene) -> dict[str, Any]:
    scene.get(User, "user_id").is_active = False
    return {}


def _inactive_work_unit_type(scene: Scene) -> dict[str, Any]:
    scene.get(WorkUnitType, "work_unit_type_id").is_active = False
    return {}


def _convened(scene: Scene) -> list[User]:
    """The members of the world's séance, the president first."""
    members = scene.get(Meeting, "meeting_id").members
    return [m.user for m in sorted(members, key=lambda m: not m.is_president)]


def _meeting(
    scene: Scene, *verbs: str, agenda: bool = True, open_item: bool = False
) -> dict[str, Any]:
    """A new séance of the same members; unless `agenda` is false, the other startup's
    submitted fiche is on its agenda. The verbs take it through its states."""
    session, admin = scene.session, scene.user("admin")
    members = _convened(scene)
    meeting = committee.create_meeting(
        session,
        committee.MeetingDetails("Séance d'essai", dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.UTC)),
        admin,
    )
    committee.convene(session, meeting, members, members[0], admin)
    values: dict[str, Any] = {"meeting_id": meeting.id}
    if agenda:
        version = scene.get(Dossier, "other_dossier_id").latest
        item = committee.add_to_agenda(session, meeting, version, admin)
        values["item_id"] = item.id
    for verb in verbs:
        committee.advance_meeting(session, meeting, verb, admin)
    if open_item:
        committee.open_item(session, item, admin)
    return values


def _planned_meeting(scene: Scene) -> dict[str, Any]:
    return _meeting(scene)


def _empty_meeting(scene: Scene) -> dict[str, Any]:
    return _meeting(scene, agenda=False)


def _published_agenda(scene: Scene) -> dict[str, Any]:
    return _meeting(scene, "publish_agenda")


def _started_meeting(scene: Scene) -> dict[str, Any]:
    return _meeting(scene, "publish_agenda", "start")


def _open_vote(scene: Scene) -> dict[str, Any]:
    return _meeting(scene, "publish_agenda", "start", open_item=True)


def _correction(scene: Scene) -> dict[str, Any]:
    """A draft decision correcting the world's published one."""
    decision = scene.get(Decision, "decision_id")
    correction = committee.supersede_decision(scene.session, decision, scene.user("admin"))
    return {"decision_id": correction.id}


def _published_correction(scene: Scene) -> dict[str, Any]:
    """A published decision with a budget and no purchase order yet."""
    values = _correction(scene)
    correction = scene.session.get(Decision, values["decision_id"])
    committee.publish_decision(scene.session, correction, scene.user("admin"), TODAY)
    return values


IMPUTATION = {
    "financial_centre": "0216-CDBR-DNUM",
    "functional_domain": "0216-05",
    "activity": "021605000001",
}


def _imputed_order(scene: Scene) -> dict[str, Any]:
    """The world's draft order with its budget imputation: ready to be sent."""
    order = scene.get(PurchaseOrder, "order_id")
    orders.update_order(scene.session, order, scene.user("admin"), IMPUTATION)
    return {}


def _sent_order(scene: Scene) -> dict[str, Any]:
    _imputed_order(scene)
    orders.send_order(scene.session, scene.get(PurchaseOrder, "order_id"), scene.user("admin"))
    return {}


def _committed_order(scene: Scene) -> dict[str, Any]:
    _sent_order(scene)
    order = scene.get(PurchaseOrder, "order_id")
    orders.engage_order(scene.session, order, scene.user("finance"), "1234567890")
    return {"line_id": order.lines[0].id}


def _draft(scene: Scene) -> dict[str, Any]:
    """A new draft of the world's fiche (its first version is decided)."""
    dossier = scene.get(Dossier, "dossier_id")
    draft = dossiers.start_new_version(scene.session, dossier, scene.user("intrapreneur"))
    return {"revision": draft.revision}


# -- form data that depends on the scene ----------------------------------------------------


def _startup_form(scene: Scene) -> dict[str, Any]:
    """The startup as it is, with a new pitch."""
    startup = scene.session.scalar(sa.select(Startup).where(Startup.slug == scene.values["slug"]))
    return {
        "name": startup.name,
        "slug": startup.slug,
        "pitch": "Un service public encore plus simple.",
        "sponsoring_administration": startup.sponsoring_administration,
        "incubator": startup.incubator_id,
        "phase": startup.phase.value,
        "phase_started_on": startup.phase_started_on.isoformat(),
        "status": startup.status.value,
    }


def _convene_form(scene: Scene) -> dict[str, Any]:
    """The same members, the convened member now presiding."""
    return {
        "members": [str(user.id) for user in _convened(scene)],
        "president": str(scene.user("member").id),
    }


def _proxy_form(scene: Scene) -> dict[str, Any]:
    member = scene.user("member")
    holder = next(user for user in _convened(scene) if user.id != member.id)
    return {"holder": str(holder.id)}


CONTRACT_FORM = {
    "reference": "AC-2026-01",
    "title": "Accord-cadre de développement agile",
    "holder_name": "Titulaire",
    "holder_siret": "123 456 789 00015",
    "starts_on": "2026-01-01",
    "ends_on": "2029-12-31",
    "vat_rate_percent": "20",
}

MEETING_FORM = {
    "title": "Comité de décembre",
    "day": "2026-12-17",
    "time": "09:30",
    "place": "Salle 204",
    "quorum": "50",
    "tie_break": "president",
}

DECISION_FORM = {
    "action": "save",
    "outcome": "continue",
    "next_phase": "acceleration",
    "conditions": "Publier la page /stats avant le prochain comité.",
    "next_review_on": "2027-05-27",
    "budget_lines-0-work_unit_code": "DEVOPS-SENIOR",
    "budget_lines-0-quantity": "4",
    "budget_lines-0-period_start": "2027-01-01",
    "budget_lines-0-period_end": "2027-06-30",
}


# -- the table --------------------------------------------------------------------------------

CASES: dict[str, Case] = {
    # Logging in is audited under the name of the person who logs in.
    "auth.dev_login": Case(
        "anonymous", lambda scene: {"user_id": scene.user("member").id}, actor="member"
    ),
    "auth.logout": Case("member"),
    # The secretariat's administration.
    "admin.invite_user": Case(
        "admin", {"email": "nouvelle.personne@exemple.gouv.fr", "roles": ["member"]}
    ),
    "admin.edit_user": Case("admin", {"roles": ["member"]}),
    "admin.deactivate_user": Case("admin"),
    "admin.reactivate_user": Case("admin", prepare=_inactive_user),
    "admin.create_incubator": Case("admin", {"name": "Incubateur des essais"}),
    "admin.edit_incubator": Case("admin", {"name": "Incubateur renommé"}),
    # The catalogue.
    "catalogue.create_contract": Case("admin", {**CONTRACT_FORM, "reference": "AC-2027-09"}),
    "catalogue.edit_contract": Case("admin", {**CONTRACT_FORM, "title": "Accord-cadre modifié"}),
    "catalogue.set_price": Case(
        "admin",
        lambda scene: {
            "work_unit_type": scene.values["work_unit_type_id"],
            "price_ht": "13 000",
            "valid_from": "2027-01-01",
        },
    ),
    "catalogue.list_work_unit_types": Case(
        "admin", {"code": "AUDIT-TEST", "label": "Auditeur", "profile": "Senior"}
    ),
    "catalogue.edit_work_unit_type": Case("admin", {"label": "Chef de produit", "profile": "Lead"}),
    "catalogue.deactivate_work_unit_type": Case("admin"),
    "catalogue.reactivate_work_unit_type": Case("admin", prepare=_inactive_work_unit_type),
    # Startups and their teams.
    "startups.create_startup": Case(
        "admin",
        lambda scene: {
            "name": "Startup des essais",
            "incubator": scene.values["incubator_id"],
            "phase": "investigation",
            "phase_started_on": "2026-03-02",
            "status": "active",
        },
    ),
    "startups.edit_startup": Case("admin", _startup_form),
    "startups.add_member": Case(
        "admin", lambda scene: {"email": scene.user("none").email, "role": "team"}
    ),
    "startups.remove_member": Case("admin"),
    # Dossiers.
    "dossiers.create_dossier": Case("intrapreneur", {"kind": "bilan"}),
    # Saving a draft changes it: the save is audited like every other change.
    "dossiers.edit_draft": Case(
        "intrapreneur", lambda scene: sheet_form(scene.values["revision"]), prepare=_draft
    ),
    "dossiers.autosave_draft": Case(
        "intrapreneur",
        lambda scene: sheet_form(scene.values["revision"]),
        prepare=_draft,
        status=200,
    ),
    "dossiers.add_attachment": Case(
        "intrapreneur", lambda scene: {"file": (io.BytesIO(PDF), "annexe.pdf")}
    ),
    "dossiers.start_new_version": Case("intrapreneur"),
    "dossiers.return_version": Case(
        "admin",
        {"comment": "Complétez le budget."},
        prepare=lambda scene: {"dossier_id": scene.values["other_dossier_id"], "number": 1},
    ),
    # The members' side of a séance.
    "committee.ask_question": Case(
        "member", {"text": "Quel est le coût par usager ?"}, prepare=_published_agenda
    ),
    "committee.answer_question": Case("intrapreneur", {"text": "Douze euros."}),
    "committee.cast_vote": Case(
        "member",
        lambda scene: {"voter": scene.user("member").id, "choice": "continuer"},
        prepare=_open_vote,
    ),
    "committee.declare_conflict": Case(
        "member", {"reason": "Ancien employeur de l'intrapreneur."}, prepare=_published_agenda
    ),
    "committee.give_proxy": Case("member", _proxy_form),
    # The secretariat's séances.
    "committee_admin.create_meeting": Case("admin", MEETING_FORM),
    "committee_admin.edit_meeting": Case("admin", MEETING_FORM, prepare=_planned_meeting),
    "committee_admin.convene_members": Case("admin", _convene_form, prepare=_planned_meeting),
    "committee_admin.add_to_agenda": Case(
        "admin",
        lambda scene: {"version_id": scene.get(Dossier, "other_dossier_id").latest.id},
        prepare=_empty_meeting,
    ),
    "committee_admin.remove_from_agenda": Case("admin", prepare=_planned_meeting),
    # The world's séance is in progress with its only item closed: it can be closed.
    "committee_admin.advance_meeting": Case("admin", {"verb": "close"}),
    "committee_admin.open_item": Case("admin", prepare=_started_meeting),
    "committee_admin.close_item": Case("admin", prepare=_open_vote),
    "committee_admin.remind_voters": Case("admin", prepare=_open_vote),
    # Notifications.
    "notifications.edit_preferences": Case("member", {"notifications": ["agenda_published"]}),
    "notifications.send_now": Case("admin"),
    # Decisions.
    "decisions.edit_decision": Case("admin", DECISION_FORM, prepare=_correction),
    "decisions.publish_decision": Case("admin", prepare=_correction),
    "decisions.supersede_decision": Case("admin"),
    # Purchase orders.
    "orders.generate_orders": Case("admin", prepare=_published_correction),
    "orders.edit_order": Case("admin", {"beneficiary_service": "DNUM", **IMPUTATION}),
    "orders.send_order": Case("admin", prepare=_imputed_order),
    "orders.engage_order": Case("finance", {"legal_commitment": "1234567890"}, prepare=_sent_order),
    "orders.cancel_order": Case("finance", {"reason": "Commande en double."}),
    "orders.declare_consumption": Case(
        "finance",
        lambda scene: {
            "line": scene.values["line_id"],
            "days": "5",
            "period_end": "2027-01-31",
            "comment": "Janvier",
        },
        prepare=_committed_order,
    ),
    # A background export, whatever its size.
    "exports.request_export": Case(
        "finance", {"format": "xlsx"}, prepare=lambda scene: {"slug": "decisions"}
    ),
}
