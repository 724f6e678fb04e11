"""Hostile input in every form of Comité. Each field of each form (and each filter of the
bookmarkable GET forms) receives, one at a time, the values of a hostile corpus that fit its
kind (text, number, date, time, id, choice), plus markup, NUL and a very long string
whatever its kind; the other fields keep the valid data of tests/security/cases.py.

For each (route, field, value): never a 500 nor a traceback; either a refusal (400, 403,
404, 409, 422) that says why in French, or a redirect or page; whatever the pages show of
the value (the page the redirect leads to, the pages that display what was stored, the audit
log) is inert: the markup is escaped, no link leads to javascript:, and no page breaks on a
date or a number that was accepted. A text longer than its field declares is refused. A
refused request loses nothing already saved: the object it edits keeps its values. Formula
text ends up in the exported registers as text, never as a formula.

Each combination starts from the world (tests/security/world.py) and is rolled back before
the next one. The loops collect every problem into one assertion message per test."""

from __future__ import annotations

import csv
import functools
import io
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pytest
import sqlalchemy as sa
from flask import got_request_exception
from flask.testing import FlaskClient
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    FileField,
    FloatField,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TimeField,
)
from wtforms.fields.choices import SelectFieldBase
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from comite.admin.forms import IncubatorForm, InviteUserForm, RolesForm, UserSearchForm
from comite.auth.forms import DevLoginForm
from comite.auth.models import User
from comite.committee.admin_forms import AgendaForm, ConveneForm, MeetingForm, TransitionForm
from comite.committee.decision_forms import DecisionForm
from comite.committee.forms import AnswerForm, ProxyForm, QuestionForm, RecusalForm, VoteForm
from comite.committee.models import Decision, Meeting
from comite.core.audit_log import AuditFilterForm
from comite.dossiers import services as dossiers
from comite.dossiers.forms import (
    AttachmentForm,
    CreateDossierForm,
    FrenchDecimalField,
    ImpactReviewForm,
    ProductSheetForm,
    ReturnForm,
    VersionForm,
)
from comite.dossiers.models import Dossier
from comite.dossiers.workflow import DossierKind
from comite.exports.forms import BudgetFilterForm, DecisionFilterForm, OrderFilterForm
from comite.notifications.forms import PreferencesForm
from comite.orders.forms import ContractForm, PriceForm, RenameWorkUnitTypeForm, WorkUnitTypeForm
from comite.orders.models import FrameworkContract, PurchaseOrder
from comite.orders.order_forms import CancelForm, ConsumptionForm, EngageForm, OrderDetailsForm
from comite.startups.forms import MembershipForm, StartupForm, StartupSearchForm
from comite.startups.models import Incubator, Membership, Startup
from tests.conftest import make_test_app
from tests.security.cases import CASES, Case, Scene
from tests.security.world import PDF, World, rolled_back, rule_url

# -- the corpus -------------------------------------------------------------------------------

CORPUS: dict[str, str] = {
    # Markup and scripts.
    "script": "<script>alert(1)</script>",
    "img-onerror": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(1)",
    # Sizes and characters.
    "100k": "a" * 100_000,
    "nul": "a\x00b",
    "control": "\x07\x1b[31m",
    "rtl-override": "\u202eabc",
    "emoji": "🏛️🇫🇷",
    # SQL-looking text.
    "sql-drop": "'; DROP TABLE startup; --",
    "sql-or": "1 OR 1=1",
    # Formula injection.
    "formula-hyperlink": '=HYPERLINK("http://x")',
    "formula-cmd": "+cmd|' /C calc'!A0",
    "formula-at": "@SUM(1+1)",
    # Quantities.
    "-1": "-1",
    "0": "0",
    "NaN": "NaN",
    "inf": "inf",
    "1e308": "1e308",
    "99999999999999999999": "99999999999999999999",
    "1,5": "1,5",
    "1.5": "1.5",
    "abc": "abc",
    # Dates and times.
    "2026-02-30": "2026-02-30",
    "0001-01-01": "0001-01-01",
    "9999-12-31": "9999-12-31",
    "31/12/2026": "31/12/2026",
    "empty": "",
    "25:00": "25:00",
    "09:60": "09:60",
    # Ids beyond the columns' range.
    "2147483648": "2147483648",
    # Pages to come back to, outside Comité.
    "external-url": "//exemple.com/piege",
    "backslash-url": "/\\exemple.com/piege",
    "absolute-url": "https://exemple.com/piege",
}
MARKUP = ("script", "img-onerror", "javascript-url")

TEXT, NUMBER, DATE, TIME, ID, CHOICE, FILE, NEXT = (
    "texte",
    "nombre",
    "date",
    "heure",
    "identifiant",
    "choix",
    "fichier",
    "page de retour",
)
TEXTS = (
    *MARKUP,
    "100k",
    "nul",
    "control",
    "rtl-override",
    "emoji",
    "sql-drop",
    "sql-or",
    "formula-hyperlink",
    "formula-cmd",
    "formula-at",
)
VALUES: dict[str, tuple[str, ...]] = {
    TEXT: TEXTS,
    NUMBER: ("-1", "0", "NaN", "inf", "1e308", "99999999999999999999", "1,5", "1.5", "abc"),
    DATE: ("2026-02-30", "0001-01-01", "9999-12-31", "31/12/2026", "empty"),
    TIME: ("25:00", "09:60", "abc", "empty"),
    ID: ("0", "-1", "2147483648", "99999999999999999999", "abc"),
    CHOICE: ("empty", "emoji", "sql-or"),
    # A file's name is text typed by its sender.
    FILE: TEXTS,
    NEXT: ("javascript-url", "external-url", "backslash-url", "absolute-url"),
}
# Whatever the field's kind: markup, NUL and a very long string.
EVERY_FIELD = ("script", "nul", "100k")


# -- ids of other objects ---------------------------------------------------------------------


def _other_startup_user(scene: Scene) -> int:
    return scene.session.get(Membership, scene.world.ids["membership_id"]).user_id


def _president(scene: Scene) -> int:
    meeting = scene.get(Meeting, "meeting_id")
    return next(member.user_id for member in meeting.members if member.is_president)


# People who are not convened to the séance at hand.
OTHER_USERS: dict[str, Callable[[Scene], Any]] = {
    "utilisateur-autre-startup": _other_startup_user,
    "utilisateur-sans-role": lambda scene: scene.user("none").id,
}
# Fields naming an object, and ids of objects they must not reach: someone not convened to
# this séance, a version on another séance's agenda, the other startup's objects.
OTHER_IDS: dict[str, dict[str, Callable[[Scene], Any]]] = {
    # Voting in the name of a convened member who gave no proxy.
    "voter": {**OTHER_USERS, "president-de-seance": _president},
    "holder": OTHER_USERS,
    "president": OTHER_USERS,
    "members": OTHER_USERS,
    # The world's fiche, decided at the world's séance.
    "version_id": {"version-autre-seance": lambda s: s.get(Dossier, "dossier_id").latest.id},
    # The other startup's dossier, as the object of the audit log's filter.
    "object_id": {"dossier-autre-startup": lambda scene: scene.world.ids["other_dossier_id"]},
}


def value_names(name: str, kinds: tuple[str, ...]) -> list[str]:
    """The corpus entries a field receives: those of its kinds, then the ones every field
    receives; a field naming an object also receives ids of other objects ("other:<label>",
    resolved once its case is prepared)."""
    names = [entry for kind in kinds for entry in VALUES[kind]] + list(EVERY_FIELD)
    names += [f"other:{label}" for label in OTHER_IDS.get(name, ())]
    return list(dict.fromkeys(names))


def resolve(name: str, field_name: str, scene: Scene) -> str:
    if name.startswith("other:"):
        return str(OTHER_IDS[field_name][name.removeprefix("other:")](scene))
    return CORPUS[name]


# -- the fields of a form, by kind ----------------------------------------------------------

# Names whose kind their field class does not say.
KINDS_BY_NAME: dict[str, tuple[str, ...]] = {
    "voter": (ID,),
    "holder": (ID,),
    "president": (ID,),
    "members": (ID,),
    "user_id": (ID,),
    "revision": (ID,),
    "version_id": (ID,),
    "version": (ID,),
    "incubator": (ID,),
    "object_id": (TEXT, ID),
    # The page to come back to after logging in.
    "next": (TEXT, NEXT),
}


@functools.cache
def fields_of(form_class: type) -> dict[str, tuple[str, ...]]:
    """Each field a browser posts for this form (row 0 of each list), with its kinds."""
    return {name: _kinds(_short(name), unbound) for name, unbound in _unbound(form_class, "")}


@functools.cache
def limits_of(form_class: type) -> dict[str, int]:
    """The length each text field of the form declares as its maximum."""
    return {
        name: validator.max
        for name, unbound in _unbound(form_class, "")
        for validator in unbound.kwargs.get("validators") or ()
        if isinstance(validator, Length) and validator.max >= 0
    }


def _unbound(form_class: type, prefix: str) -> Iterator[tuple[str, UnboundField]]:
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if not name.startswith("_") and isinstance(unbound, UnboundField):
            yield from _rows(prefix + name, unbound)


def _rows(name: str, unbound: UnboundField) -> Iterator[tuple[str, UnboundField]]:
    if issubclass(unbound.field_class, FieldList):
        yield from _rows(f"{name}-0", unbound.args[0])
    elif issubclass(unbound.field_class, FormField):
        yield from _unbound(unbound.args[0], f"{name}-")
    else:
        yield name, unbound


def _short(name: str) -> str:
    """A row field's own name: budget_lines-0-quantity is a quantity."""
    return name.rsplit("-", 1)[-1]


def _kinds(name: str, unbound: UnboundField) -> tuple[str, ...]:
    cls = unbound.field_class
    if name in KINDS_BY_NAME:
        return KINDS_BY_NAME[name]
    if unbound.kwargs.get("coerce") is int:
        return (ID,)
    for classes, kind in (
        ((FileField,), FILE),
        ((IntegerField, DecimalField, FloatField, FrenchDecimalField), NUMBER),
        ((DateField,), DATE),
        ((TimeField,), TIME),
        ((SelectFieldBase, BooleanField, HiddenField), CHOICE),
        ((StringField,), TEXT),
    ):
        if issubclass(cls, classes):
            return (kind,)
    raise AssertionError(f"champ {name} : type {cls.__name__} sans corpus, à classer ici")


# -- what each route receives -----------------------------------------------------------------

# Pages that show what a route stores, by role: each is read after a request the route did
# not refuse, when the value is markup typed in a text field, or a date or a number. The
# audit log (as the secretariat) is always read.
Shows = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Target:
    """A route, how it succeeds (its case) and the fields it reads."""

    endpoint: str
    form: type | None
    case: Case | None = None
    # Fields the view reads itself, besides the form's.
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Fields read from the query string (filters), with their kinds.
    query: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Only these fields (another target already covers the others).
    only: frozenset[str] | None = None
    # Text fields declared like another one of the form that receives the whole corpus:
    # these receive only markup, NUL and the long string (each is shown in its own place).
    light: frozenset[str] = frozenset()
    shows: Shows = ()
    # The saved values a refusal must leave as they were.
    saved: Callable[[Scene], Any] | None = None
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.endpoint

    @property
    def the_case(self) -> Case:
        return self.case or CASES[self.endpoint]

    def limits(self) -> dict[str, int]:
        return limits_of(self.form) if self.form else {}

    def fields(self) -> dict[str, tuple[str, ...]]:
        fields = {**(fields_of(self.form) if self.form else {}), **self.extra}
        if self.only is not None:
            fields = {name: kinds for name, kinds in fields.items() if name in self.only}
        return fields


def _columns(row: Any) -> dict[str, Any]:
    return {attr.key: getattr(row, attr.key) for attr in sa.inspect(row).mapper.column_attrs}


def saved(model: type, key: str, *relations: str) -> Callable[[Scene], Any]:
    """The object's columns and its related rows, as stored."""

    def read(scene: Scene) -> Any:
        row = scene.get(model, key)
        return _columns(row), {
            relation: sorted(
                (_columns(child) for child in getattr(row, relation)), key=lambda c: c["id"]
            )
            for relation in relations
        }

    return read


def _saved_startup(scene: Scene) -> Any:
    startup = scene.session.scalar(sa.select(Startup).where(Startup.slug == scene.values["slug"]))
    return _columns(startup), sorted(
        (_columns(change) for change in startup.phase_history), key=lambda c: c["id"]
    )


def _saved_draft(scene: Scene) -> Any:
    return _columns(scene.get(Dossier, "dossier_id").latest)


def _impact_review(scene: Scene) -> dict[str, Any]:
    """A new impact review of the world's startup, in draft."""
    startup = scene.session.scalar(sa.select(Startup).where(Startup.slug == scene.values["slug"]))
    review = dossiers.create_dossier(
        scene.session, startup, DossierKind.IMPACT_REVIEW, scene.user("intrapreneur")
    )
    return {"dossier_id": review.id, "revision": review.latest.revision}


def _review_form(scene: Scene) -> dict[str, Any]:
    return {
        "revision": str(scene.values["revision"]),
        "action": "save",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "indicator_reports-0-name": "Indicateur 1",
        "indicator_reports-0-target": "50",
        "indicator_reports-0-actual": "42",
        "indicator_reports-0-source_url": "https://exemple.beta.gouv.fr/stats",
        "achievements": "Ouverture dans trois départements.",
        "learnings": "Les garages veulent une API.",
        "risks-0-description": "Départ du développeur",
        "risks-0-level": "moyen",
        "next_objectives": "Généraliser.",
        "budget_lines-0-work_unit_code": "PM",
        "budget_lines-0-quantity": "3",
        "budget_lines-0-period_start": "2026-07-01",
        "budget_lines-0-period_end": "2026-12-31",
    }


DOSSIER_PAGES: Shows = (
    ("intrapreneur", "/dossiers/{dossier_id}"),
    ("intrapreneur", "/dossiers/{dossier_id}/comparer"),
)
ITEM_PAGE: Shows = (("admin", "/seances/{meeting_id}/points/{item_id}"),)

TARGETS: list[Target] = [
    Target("auth.dev_login", DevLoginForm),
    Target("admin.invite_user", InviteUserForm, shows=(("admin", "/admin/utilisateurs"),)),
    Target("admin.edit_user", RolesForm, saved=saved(User, "user_id", "role_grants")),
    Target("admin.create_incubator", IncubatorForm, shows=(("admin", "/startups"),)),
    Target(
        "admin.edit_incubator",
        IncubatorForm,
        shows=(("admin", "/startups"), ("finance", "/exports/decisions")),
        saved=saved(Incubator, "incubator_id"),
    ),
    # Creating takes the form that editing takes with the whole corpus.
    Target(
        "catalogue.create_contract",
        ContractForm,
        light=frozenset({"title", "holder_name"}),
        shows=(("admin", "/catalogue"),),
    ),
    Target(
        "catalogue.edit_contract",
        ContractForm,
        shows=(("admin", "/catalogue"), ("finance", "/exports/commandes")),
        saved=saved(FrameworkContract, "contract_id", "prices"),
    ),
    Target("catalogue.set_price", PriceForm),
    Target("catalogue.list_work_unit_types", WorkUnitTypeForm),
    Target("catalogue.edit_work_unit_type", RenameWorkUnitTypeForm),
    Target(
        "startups.create_startup",
        StartupForm,
        light=frozenset({"pitch", "sponsoring_administration"}),
        shows=(("admin", "/startups"),),
    ),
    Target(
        "startups.edit_startup",
        StartupForm,
        shows=(
            ("admin", "/startups"),
            ("admin", "/startups/{slug}/historique"),
            ("finance", "/exports/decisions"),
        ),
        saved=_saved_startup,
    ),
    Target("startups.add_member", MembershipForm),
    Target("dossiers.create_dossier", CreateDossierForm),
    Target(
        "dossiers.edit_draft",
        ProductSheetForm,
        extra={"action": (CHOICE,)},
        # Long texts like `problem`, indicator texts like `indicators-0-name`.
        light=frozenset(
            {
                "users",
                "solution",
                "success_conditions",
                "organisation",
                "actors",
                "skills",
                "indicators-0-unit",
                "indicators-0-baseline",
                "indicators-0-target",
                "indicators-0-measurement",
            }
        ),
        shows=DOSSIER_PAGES,
        saved=_saved_draft,
    ),
    # The same form, saved by htmx: one field of each kind.
    Target(
        "dossiers.autosave_draft",
        ProductSheetForm,
        only=frozenset(
            {
                "revision",
                "problem",
                "requested_phase",
                "budget_lines-0-quantity",
                "budget_lines-0-period_start",
            }
        ),
        saved=_saved_draft,
    ),
    # An impact review: the fields a fiche does not have.
    Target(
        "dossiers.edit_draft",
        ImpactReviewForm,
        Case("intrapreneur", _review_form, prepare=_impact_review),
        only=frozenset(
            {
                "period_start",
                "period_end",
                "indicator_reports-0-name",
                "indicator_reports-0-actual",
                "indicator_reports-0-source_url",
                "achievements",
                "risks-0-description",
                "risks-0-level",
            }
        ),
        # Texts declared like the fiche's; the source is a web address.
        light=frozenset(
            {
                "achievements",
                "indicator_reports-0-name",
                "indicator_reports-0-actual",
                "risks-0-description",
            }
        ),
        shows=DOSSIER_PAGES,
        saved=_saved_draft,
        label="dossiers.edit_draft (bilan)",
    ),
    Target("dossiers.add_attachment", AttachmentForm, shows=(DOSSIER_PAGES[0],)),
    Target("dossiers.start_new_version", VersionForm),
    Target("dossiers.return_version", ReturnForm, shows=(("admin", "/dossiers/{dossier_id}"),)),
    Target("committee.ask_question", QuestionForm, shows=ITEM_PAGE),
    Target("committee.answer_question", AnswerForm, shows=ITEM_PAGE),
    Target("committee.cast_vote", VoteForm, shows=(("admin", "/seances/{meeting_id}/en-cours"),)),
    Target("committee.declare_conflict", RecusalForm, shows=ITEM_PAGE),
    Target("committee.give_proxy", ProxyForm),
    Target("committee_admin.create_meeting", MeetingForm, light=frozenset({"place"})),
    Target(
        "committee_admin.edit_meeting",
        MeetingForm,
        shows=(("admin", "/seances"), ("member", "/seances/{meeting_id}")),
        saved=saved(Meeting, "meeting_id"),
    ),
    Target("committee_admin.convene_members", ConveneForm, saved=saved(Meeting, "meeting_id")),
    Target("committee_admin.add_to_agenda", AgendaForm),
    Target("committee_admin.advance_meeting", TransitionForm),
    Target(
        "decisions.edit_decision",
        DecisionForm,
        extra={"action": (CHOICE,)},
        shows=(("admin", "/startups/{slug}/historique"),),
        saved=saved(Decision, "decision_id", "budget_lines"),
    ),
    Target(
        "orders.edit_order",
        OrderDetailsForm,
        shows=(("finance", "/exports/commandes"), ("finance", "/startups/{slug}/budget")),
        saved=saved(PurchaseOrder, "order_id"),
    ),
    Target("orders.engage_order", EngageForm, saved=saved(PurchaseOrder, "order_id")),
    Target("orders.cancel_order", CancelForm, saved=saved(PurchaseOrder, "order_id")),
    Target("orders.declare_consumption", ConsumptionForm),
    Target("notifications.edit_preferences", PreferencesForm),
    Target(
        "exports.request_export",
        None,
        extra={"format": (CHOICE,)},
        query=fields_of(DecisionFilterForm),
    ),
]

# POST routes whose only field is the CSRF token (ButtonForm), and the one that is never
# reached here (ProConnect is not configured: 404).
WITHOUT_FIELDS = frozenset(
    {
        "auth.logout",
        "auth.proconnect_login",
        "admin.deactivate_user",
        "admin.reactivate_user",
        "catalogue.deactivate_work_unit_type",
        "catalogue.reactivate_work_unit_type",
        "startups.remove_member",
        "committee_admin.remove_from_agenda",
        "committee_admin.open_item",
        "committee_admin.close_item",
        "committee_admin.remind_voters",
        "notifications.send_now",
        "decisions.publish_decision",
        "decisions.supersede_decision",
        "orders.generate_orders",
        "orders.send_order",
    }
)


@dataclass(frozen=True)
class Filter:
    """A bookmarkable GET form: its page, who reads it, its fields."""

    url: str
    role: str
    fields: dict[str, tuple[str, ...]]


PAGE = {"page": (NUMBER,)}
FILTERS: list[Filter] = [
    Filter("/startups", "admin", {**fields_of(StartupSearchForm), **PAGE}),
    Filter("/admin/utilisateurs", "admin", {**fields_of(UserSearchForm), **PAGE}),
    Filter("/admin/journal", "admin", {**fields_of(AuditFilterForm), **PAGE}),
    *(
        Filter(url, "finance", fields_of(form))
        for slug, form in (
            ("decisions", DecisionFilterForm),
            ("commandes", OrderFilterForm),
            ("budget", BudgetFilterForm),
        )
        for url in (f"/exports/{slug}", f"/exports/{slug}.csv")
    ),
    Filter("/dossiers/{dossier_id}/comparer", "intrapreneur", {"de": (ID,), "a": (ID,)}),
]

GROUPS = {
    "comptes": ("auth.", "admin."),
    "catalogue": ("catalogue.",),
    "startups": ("startups.",),
    "dossiers": ("dossiers.",),
    "seances": ("committee.", "committee_admin."),
    "decisions-commandes": ("decisions.", "orders.", "exports."),
}


# -- observing one request ------------------------------------------------------------------

REFUSALS = (400, 403, 404, 409, 422)
ANSWERS = (200, 204, 303, *REFUSALS)
TRACEBACK = "Traceback (most recent call last)"
# Markup of the corpus left as markup, or a link leading to javascript:.
LIVE = re.compile(
    r"<script>alert\(1\)</script>|<img src=x onerror|(?:href|src|action|formaction)\s*=\s*"
    r"[\"']?\s*javascript:",
    re.IGNORECASE,
)
# How Comité says why in French: a field's error, an error alert, the French error page, or
# the autosave's status line.
SAYS_WHY = re.compile(r"fr-message--error|fr-alert--error|Erreur 4\d\d|Non enregistré")
# The error messages of a page (fields' and alerts'), and what a text too long must be told.
ERROR_MESSAGES = re.compile(r"fr-(?:message|alert)--error[^>]*>(.*?)</(?:p|div)>", re.DOTALL)
SPEAKS_OF_LENGTH = re.compile(r"caractères|chiffres")
TAG = re.compile(r"<[^>]+>")


class Browser:
    """The second app's requests, logged in once per role (before any case, so that rolling
    a case back never undoes a login), and the exceptions they raised."""

    def __init__(self, app, world: World, roles: set[str]):
        self.app = app
        self.errors: list[BaseException] = []
        got_request_exception.connect(self._record, app, weak=False)
        self.clients: dict[str, FlaskClient] = {}
        for role in roles:
            client = app.test_client()
            response = client.post("/connexion/dev", data={"user_id": world.users[role].id})
            assert response.status_code == 303, f"connexion impossible : {role}"
            self.clients[role] = client

    def _record(self, sender, exception: BaseException, **extra) -> None:
        self.errors.append(exception)

    def client(self, role: str) -> FlaskClient:
        return self.app.test_client() if role == "anonymous" else self.clients[role]

    def crashes(self) -> str:
        """The exceptions raised since the last call, with the line of Comité that raised."""
        found = []
        for error in self.errors:
            frames = traceback.extract_tb(error.__traceback__)
            ours = [frame for frame in frames if "/comite/" in frame.filename]
            where = ""
            if ours:
                where = f" ({ours[-1].filename.split('/comite/')[-1]}:{ours[-1].lineno})"
            message = str(error).strip().splitlines()[0] if str(error).strip() else ""
            found.append(f"{type(error).__name__}: {message[:160]}{where}")
        self.errors.clear()
        return " ; ".join(found)


def _page_problems(response, what: str) -> list[str]:
    """What is wrong with any answer: a 500, a traceback, live markup."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"{what} répond {response.status_code}")
    if response.mimetype in ("text/html", "text/plain", "") and response.data:
        body = response.get_data(as_text=True)
        if TRACEBACK in body:
            problems.append(f"{what} montre une trace Python")
        live = LIVE.search(body)
        if live:
            problems.append(f"{what} contient {live.group(0)!r} non échappé")
    return problems


def _observe(
    browser: Browser, role: str, method: str, url: str, data: Any
) -> tuple[list[str], bool, str]:
    """Send the request, check its answer (and the page a redirect leads to); return the
    problems, whether the request was refused (an error status, or an error alert on the
    page it leads to), and the error messages shown."""
    client = browser.client(role)
    response = client.open(url, method=method, data=data)
    problems = _page_problems(response, f"{method} {url}")
    crash = browser.crashes()
    if crash:
        problems.append(f"exception : {crash}")
    status = response.status_code
    if status not in ANSWERS and status < 500:
        problems.append(f"{method} {url} répond {status}")
    if status in REFUSALS and not SAYS_WHY.search(response.get_data(as_text=True)):
        problems.append(f"refus {status} sans message d'erreur en français")
    shown = response
    if status in (301, 302, 303):
        location = response.location or ""
        if not location.startswith("/") or location.startswith(("//", "/\\")):
            problems.append(f"redirige hors de Comité : {location[:80]!r}")
        else:
            shown = client.get(location.split("#", 1)[0])
            problems += _page_problems(shown, f"la page d'arrivée {location[:80]}")
            crash = browser.crashes()
            if crash:
                problems.append(f"exception sur la page d'arrivée : {crash}")
    page = shown.get_data(as_text=True)
    refused = status >= 400 or "fr-alert--error" in page
    errors = " ".join(
        " ".join(TAG.sub(" ", message).split()) for message in ERROR_MESSAGES.findall(page)
    )
    return problems, refused, errors


# -- the POST forms ---------------------------------------------------------------------------


def _attack(browser: Browser, db_session, world: World, rules, target: Target) -> list[str]:
    """Post the target's valid data with one field replaced by one corpus entry, for each
    field and each entry that fits it. The case is prepared once; each request is rolled
    back to the state it prepared."""
    case = target.the_case
    problems = []
    with rolled_back(db_session):
        scene = Scene(
            db_session, world, {**world.ids, "membership_id": world.ids["team_membership_id"]}
        )
        if case.prepare is not None:
            scene.values |= case.prepare(scene)
        db_session.commit()
        url = rule_url(rules[target.endpoint], scene.values)
        before = target.saved(scene) if target.saved else None
        for name, kinds, value in _combinations(target):
            with rolled_back(db_session):
                found = _post(browser, scene, target, url, before, name, kinds, value)
            problems += [f"{target.name} [{name} = {value}] : {problem}" for problem in found]
    return problems


def _post(
    browser: Browser,
    scene: Scene,
    target: Target,
    url: str,
    before: Any,
    name: str,
    kinds: tuple[str, ...],
    value: str,
) -> list[str]:
    case = target.the_case
    data = case.data(scene) if callable(case.data) else dict(case.data)
    hostile = resolve(value, _short(name), scene)
    if name in target.query:
        url += "?" + urlencode({name: hostile})
    elif kinds == (FILE,):
        data[name] = (io.BytesIO(PDF), f"{hostile}.pdf")
    elif isinstance(data.get(name), list):
        data[name] = [*data[name], hostile]
    else:
        data[name] = hostile
    scene.session.commit()
    problems, refused, errors = _observe(browser, case.role, "POST", url, data)
    limit = target.limits().get(name)
    if limit is not None and len(hostile) > limit:
        if not refused:
            problems.append(f"{len(hostile)} caractères acceptés ({limit} au plus déclarés)")
        elif errors and not SPEAKS_OF_LENGTH.search(errors):
            problems.append(f"texte trop long refusé avec un message hors sujet : {errors!r}")
    if before is not None and refused:
        scene.session.expire_all()
        if target.saved(scene) != before:
            problems.append("refusé, mais ce qui était enregistré a changé")
    # Markup typed as text may be stored: the pages that show it must escape it. A date or
    # a number accepted must not break them either.
    stored = (value in MARKUP and (TEXT in kinds or FILE in kinds)) or {DATE, NUMBER} & {*kinds}
    if stored and not refused:
        for role, page in (*target.shows, ("admin", "/admin/journal")):
            page_url = page.format(**scene.values)
            shown = browser.client(role).get(page_url)
            problems += _page_problems(shown, f"GET {page_url}")
            crash = browser.crashes()
            if crash:
                problems.append(f"exception sur {page_url} : {crash}")
    return problems


def _second_app(app):
    # Requests of another app instance get sessions of their own (the test's app context
    # would lend them the test's session), so that rolling back one case leaves the world
    # as it was for the next; its queue of background jobs is in memory.
    return make_test_app(app.config["DATABASE_URL"], JOBS_DATABASE_URL="memory://")


def _combinations(target: Target) -> Iterator[tuple[str, tuple[str, ...], str]]:
    for name, kinds in {**target.fields(), **target.query}.items():
        for value in value_names(_short(name), kinds):
            if name not in target.light or value in (*MARKUP, *EVERY_FIELD):
                yield name, kinds, value


def test_every_post_route_with_fields_is_attacked(app):
    """A new POST route (or a new field type) fails here until the corpus covers it."""
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    attacked = {target.endpoint for target in TARGETS}
    assert posted - attacked - WITHOUT_FIELDS == set(), "routes POST sans corpus hostile"
    assert (attacked | WITHOUT_FIELDS) - posted == set(), "routes disparues"
    for target in TARGETS:
        assert target.fields() or target.query, f"{target.name} : aucun champ"


@pytest.mark.parametrize("group", GROUPS)
def test_hostile_values_in_each_field_of_each_form(app, db_session, world, group):
    """Refused in French or stored and shown inert; never a 500; a refusal loses nothing."""
    app = _second_app(app)
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    browser = Browser(app, world, {"admin", "member", "intrapreneur", "finance"})
    targets = [t for t in TARGETS if t.endpoint.startswith(GROUPS[group])]
    problems = []
    for target in targets:
        problems += _attack(browser, db_session, world, rules, target)
    assert not problems, f"{len(problems)} problème(s) :\n" + "\n".join(problems)


def test_hostile_values_in_the_filters_of_the_get_forms(app, db_session, world):
    """Search and filter forms: refused in French (422) or ignored; never a 500."""
    app = _second_app(app)
    browser = Browser(app, world, {"admin", "intrapreneur", "finance"})
    scene = Scene(db_session, world, world.ids)
    problems = []
    for target in FILTERS:
        page = target.url.format(**world.ids)
        for name, kinds in target.fields.items():
            for value in value_names(name, kinds):
                url = f"{page}?{urlencode({name: resolve(value, name, scene)})}"
                found, _, _ = _observe(browser, target.role, "GET", url, None)
                problems += [f"{page} [{name} = {value}] : {problem}" for problem in found]
    assert not problems, f"{len(problems)} problème(s) :\n" + "\n".join(problems)


# -- formulas in the exported registers -------------------------------------------------------

FORMULAS = ("formula-hyperlink", "formula-cmd", "formula-at")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A negative number in a .csv file is a number, not a formula.
NUMBER_CELL = re.compile(r"-\d+(,\d+)?")


def _store_formula(browser: Browser, db_session, world: World, rules, text: str) -> list[str]:
    """Type the formula into the fields the registers export: the startup's name and
    administration, its incubator, the order's beneficiary, the contract's holder."""
    scene = Scene(db_session, world, world.ids)
    posts = {
        "startups.edit_startup": {"name": text, "sponsoring_administration": text},
        "admin.edit_incubator": {"name": text},
        "orders.edit_order": {"beneficiary_administration": text, "beneficiary_service": text},
        "catalogue.edit_contract": {"holder_name": text},
    }
    problems = []
    for endpoint, fields in posts.items():
        case = CASES[endpoint]
        base = case.data(scene) if callable(case.data) else case.data
        url = rule_url(rules[endpoint], scene.values)
        response = browser.client("admin").post(url, data={**base, **fields})
        if response.status_code != 303:
            problems.append(f"{endpoint} : {text!r} refusé ({response.status_code})")
    return problems


def _cells(content: bytes, file_format: str) -> list[tuple[str, bool]]:
    """The text cells of an exported register: (text, kept as text by a quote prefix)."""
    if file_format == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
        return [
            (cell[1:], True) if cell.startswith("'") else (cell, False)
            for row in rows
            for cell in row
        ]
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (cell.value, bool(cell.quotePrefix))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def test_formula_text_is_exported_as_text(app, db_session, world):
    """Text that a spreadsheet would run as a formula is stored as typed and exported as
    text: after an apostrophe in .csv, marked "quote prefix" in .xlsx."""
    app = _second_app(app)
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    browser = Browser(app, world, {"admin", "finance"})
    problems = []
    for formula in FORMULAS:
        text = CORPUS[formula]
        with rolled_back(db_session):
            problems += _store_formula(browser, db_session, world, rules, text)
            for slug in ("decisions", "commandes", "budget"):
                for file_format in ("csv", "xlsx"):
                    url = f"/exports/{slug}.{file_format}"
                    response = browser.client("finance").get(url)
                    if response.status_code != 200:
                        problems.append(f"{url} [{formula}] : {response.status_code}")
                        continue
                    cells = _cells(response.data, file_format)
                    problems += [
                        f"{url} [{formula}] : la cellule {cell!r} serait calculée"
                        for cell, quoted in cells
                        if cell.lstrip(" ").startswith(FORMULA_STARTS)
                        and not quoted
                        and not NUMBER_CELL.fullmatch(cell)
                    ]
                    if not any(text in cell for cell, _ in cells):
                        problems.append(f"{url} [{formula}] : le texte saisi n'est pas exporté")
    assert not problems, f"{len(problems)} problème(s) :\n" + "\n".join(problems)
