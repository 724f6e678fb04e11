"""Every mutating route writes the audit log. Each POST route of Comité (or PUT, PATCH,
DELETE, should one appear) is called once, by a role allowed to use it, with valid form
data and in a state where the action succeeds; the request must add at least one audit
event naming the person who acted. A mutating route missing from the table of cases
(tests/security/cases.py) fails the test, so a new one cannot ship without saying how it is
audited.

Each case starts from the same world (tests/security/world.py) and prepares what its action
needs (a séance in the right state, a correction of the decision, an order sent to the
DSAF…); whatever it prepares and whatever the request changes is rolled back before the
next case."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from comite.core.audit import AuditEvent
from tests.conftest import make_test_app
from tests.security.cases import CASES, Case, Scene
from tests.security.world import World, rolled_back, rule_url

# Mutating routes where a successful request legitimately writes nothing to the database.
EXEMPT = frozenset(
    {
        # Only sends the browser to ProConnect (the page to come back to is kept in the
        # signed session cookie); the login itself is audited by the callback (auth.login),
        # a refusal by auth.refused. It is a 404 here, where ProConnect is not configured.
        "auth.proconnect_login",
    }
)

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _mutating_rules(app) -> dict[str, Any]:
    return {rule.endpoint: rule for rule in app.url_map.iter_rules() if rule.methods & MUTATING}


def _observe(app, db_session, world: World, rule, case: Case) -> list[str]:
    """Post the case's form and return what went wrong (nothing when the request succeeded
    and wrote an audit event naming its actor). Whatever the case prepared and the request
    changed is rolled back."""
    endpoint = rule.endpoint
    with rolled_back(db_session):
        scene = Scene(
            db_session, world, {**world.ids, "membership_id": world.ids["team_membership_id"]}
        )
        if case.prepare is not None:
            scene.values |= case.prepare(scene)
        db_session.commit()
        data = case.data(scene) if callable(case.data) else dict(case.data)
        url = rule_url(rule, scene.values)
        user = world.users[case.role]
        actor_id = world.users[case.actor or case.role].id
        client = app.test_client()
        if user is not None:
            login = client.post("/connexion/dev", data={"user_id": user.id})
            if login.status_code != 303:
                return [f"{endpoint} : connexion impossible ({login.status_code})"]
        last = db_session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
        db_session.commit()
        method = min(rule.methods & MUTATING)
        response = client.open(url, method=method, data=data)
        events = db_session.execute(
            sa.select(AuditEvent.action, AuditEvent.actor_id)
            .where(AuditEvent.id > last)
            .order_by(AuditEvent.id)
        ).all()
    problems = []
    if response.status_code != case.status:
        problems.append(
            f"{endpoint} : {method} {url} répond {response.status_code} au lieu de {case.status}"
            + (f" (redirige vers {response.location})" if response.location else "")
        )
    if not events:
        problems.append(f"{endpoint} : {method} {url} n'écrit aucun événement d'audit")
    elif all(event.actor_id != actor_id for event in events):
        problems.append(
            f"{endpoint} : les événements {[event.action for event in events]} ne nomment pas "
            f"l'auteur de l'action (utilisateur {actor_id})"
        )
    return problems


def test_every_mutating_route_has_an_audit_case(app):
    """A new mutating route fails here until it has a case (or a justified exemption)."""
    endpoints = set(_mutating_rules(app))
    assert endpoints - CASES.keys() - EXEMPT == set(), "routes d'écriture sans cas d'audit"
    assert (CASES.keys() | EXEMPT) - endpoints == set(), "cas de routes disparues"
    assert CASES.keys() & EXEMPT == set(), "route à la fois exemptée et testée"


def test_each_mutating_route_writes_an_audit_event_naming_its_actor(app, db_session, world):
    """Each case succeeds and adds an audit event naming whoever acted; the cases leave
    the world as they found it."""
    # Requests of another app instance get sessions of their own (the test's app context
    # would lend them the test's session), so that rolling back one case leaves the world
    # as it was for the next. Its queue of background jobs is in memory: the export's job
    # is recorded there, never run.
    app = make_test_app(app.config["DATABASE_URL"], JOBS_DATABASE_URL="memory://")
    rules = _mutating_rules(app)
    count = sa.select(sa.func.count()).select_from(AuditEvent)
    events_before = db_session.scalar(count)
    problems = []
    for endpoint, case in CASES.items():
        if endpoint in rules:
            problems += _observe(app, db_session, world, rules[endpoint], case)
    if db_session.scalar(count) != events_before:
        problems.append("les cas n'ont pas tous été annulés : le journal d'audit a changé")
    assert not problems, "\n".join(problems)
