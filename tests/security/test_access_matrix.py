"""Who reaches what: every route of Comité, for an anonymous visitor and each role, by GET
and by each mutating method. A route missing from the matrix fails the test, so a new route
cannot ship without saying who may use it.

"In" means the request got past the access checks: a page (200), a redirect of a completed
action (303), or the form's own refusal of an empty body (400, 409, 422). "Out" is the login
page for an anonymous visitor (302), a refusal (403) for the logged-in, or a 404 where the
object is hidden from them."""

from __future__ import annotations

from tests.conftest import make_test_app
from tests.security.world import ROLES, World, rolled_back, rule_url

# Sets of roles, to read the matrix.
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
WITH_A_ROLE = LOGGED_IN - {"none"}
ADMIN = frozenset({"admin"})
COMMITTEE = frozenset({"admin", "member"})
ORDERS = frozenset({"admin", "finance"})
TEAM = frozenset({"intrapreneur", "sponsor"})
NOBODY = frozenset()


# Values of the rules' arguments, by name; some endpoints need their own (below).
def _arguments(world: World) -> dict[str, object]:
    ids = world.ids
    return {
        "slug": ids["slug"],
        "dossier_id": ids["dossier_id"],
        "number": ids["number"],
        "attachment_id": ids["attachment_id"],
        "meeting_id": ids["meeting_id"],
        "item_id": ids["item_id"],
        "question_id": ids["question_id"],
        "decision_id": ids["decision_id"],
        "order_id": ids["order_id"],
        "job_id": ids["job_id"],
        "contract_id": ids["contract_id"],
        "work_unit_type_id": ids["work_unit_type_id"],
        "incubator_id": ids["incubator_id"],
        "user_id": ids["user_id"],
        "membership_id": ids["team_membership_id"],
        "file_format": "xlsx",
        "filename": "comite.css",
    }


def _overrides(world: World) -> dict[str, dict[str, object]]:
    return {
        "orders.find_order": {"number": world.ids["order_number"]},
        "exports.show_register": {"slug": "decisions"},
        "exports.download_register": {"slug": "decisions"},
        "exports.request_export": {"slug": "decisions"},
        # The other startup's fiche is submitted and not yet on an agenda: it can be returned.
        "dossiers.return_version": {"dossier_id": world.ids["other_dossier_id"], "number": 1},
    }


def url_of(rule, world: World) -> str:
    return rule_url(rule, {**_arguments(world), **_overrides(world).get(rule.endpoint, {})})


def reaches(app, db_session, world: World, rule, method: str, role: str) -> bool:
    """Whether this role gets past the access checks; whatever the request changes is
    rolled back, so that each observation starts from the same world."""
    with rolled_back(db_session):
        client = app.test_client()
        user = world.users[role]
        if user is not None:
            client.post("/connexion/dev", data={"user_id": user.id})
        response = client.open(url_of(rule, world), method=method, data={})
    assert response.status_code < 500, f"{method} {rule.rule} ({role}) : {response.status_code}"
    if response.status_code in (401, 403, 404):
        return False
    # A redirect to the login page is the anonymous visitor's refusal.
    return not (response.status_code == 302 and response.location.startswith("/connexion"))


# Who gets in, by (endpoint, method). Everyone else is sent to the login page (anonymous) or
# refused (403, or 404 where the object is hidden from them).
MATRIX: dict[tuple[str, str], frozenset[str]] = {
    # Public pages, and the ways in and out.
    ("core.home", "GET"): EVERYONE,
    ("core.accessibility", "GET"): EVERYONE,
    ("notifications.edit_preferences", "GET"): LOGGED_IN,
    ("notifications.edit_preferences", "POST"): LOGGED_IN,
    ("stats.show_stats", "GET"): EVERYONE,
    ("core.healthz", "GET"): EVERYONE,
    ("core.readyz", "GET"): EVERYONE,
    ("static", "GET"): EVERYONE,
    ("auth.login", "GET"): EVERYONE,
    ("auth.dev_login", "POST"): EVERYONE,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.logout_done", "GET"): EVERYONE,
    # Open data: what the committee publishes.
    ("open_data.index", "GET"): EVERYONE,
    ("open_data.decisions_json", "GET"): EVERYONE,
    ("open_data.decisions_csv", "GET"): EVERYONE,
    ("open_data.startup_events", "GET"): EVERYONE,
    # 404 while ProConnect is not configured, as here; tests/auth/test_proconnect.py covers them.
    ("auth.proconnect_login", "POST"): NOBODY,
    ("auth.proconnect_callback", "GET"): NOBODY,
    # The secretariat's administration.
    ("admin.index", "GET"): ADMIN,
    ("admin.list_users", "GET"): ADMIN,
    ("admin.invite_user", "GET"): ADMIN,
    ("admin.invite_user", "POST"): ADMIN,
    ("admin.edit_user", "GET"): ADMIN,
    ("admin.edit_user", "POST"): ADMIN,
    ("admin.deactivate_user", "POST"): ADMIN,
    ("admin.reactivate_user", "POST"): ADMIN,
    ("admin.list_incubators", "GET"): ADMIN,
    ("admin.create_incubator", "GET"): ADMIN,
    ("admin.create_incubator", "POST"): ADMIN,
    ("admin.edit_incubator", "GET"): ADMIN,
    ("admin.edit_incubator", "POST"): ADMIN,
    ("core.list_audit_events", "GET"): ADMIN,
    # The UO catalogue and framework contracts.
    ("catalogue.index", "GET"): ADMIN,
    ("catalogue.list_work_unit_types", "GET"): ADMIN,
    ("catalogue.list_work_unit_types", "POST"): ADMIN,
    ("catalogue.edit_work_unit_type", "GET"): ADMIN,
    ("catalogue.edit_work_unit_type", "POST"): ADMIN,
    ("catalogue.deactivate_work_unit_type", "POST"): ADMIN,
    ("catalogue.reactivate_work_unit_type", "POST"): ADMIN,
    ("catalogue.create_contract", "GET"): ADMIN,
    ("catalogue.create_contract", "POST"): ADMIN,
    ("catalogue.show_contract", "GET"): ADMIN,
    ("catalogue.edit_contract", "GET"): ADMIN,
    ("catalogue.edit_contract", "POST"): ADMIN,
    ("catalogue.set_price", "GET"): ADMIN,
    ("catalogue.set_price", "POST"): ADMIN,
    # Startups: every role browses them; the secretariat edits them and their teams.
    ("startups.list_startups", "GET"): WITH_A_ROLE,
    ("startups.show_startup", "GET"): WITH_A_ROLE,
    ("startups.create_startup", "GET"): ADMIN,
    ("startups.create_startup", "POST"): ADMIN,
    ("startups.edit_startup", "GET"): ADMIN,
    ("startups.edit_startup", "POST"): ADMIN,
    ("startups.add_member", "POST"): ADMIN,
    ("startups.remove_member", "POST"): ADMIN,
    # Dossiers: the team writes; the team, its sponsor and the committee read what was
    # submitted; the secretariat returns a submitted version for completion.
    ("dossiers.create_dossier", "POST"): frozenset({"intrapreneur"}),
    ("dossiers.edit_draft", "GET"): frozenset({"intrapreneur"}),
    ("dossiers.edit_draft", "POST"): frozenset({"intrapreneur"}),
    ("dossiers.autosave_draft", "POST"): frozenset({"intrapreneur"}),
    ("dossiers.add_attachment", "POST"): frozenset({"intrapreneur"}),
    ("dossiers.start_new_version", "POST"): frozenset({"intrapreneur"}),
    ("dossiers.show_dossier", "GET"): TEAM | COMMITTEE,
    ("dossiers.show_version", "GET"): TEAM | COMMITTEE,
    ("dossiers.compare_versions", "GET"): TEAM | COMMITTEE,
    ("dossiers.download_attachment", "GET"): TEAM | COMMITTEE,
    ("dossiers.return_version", "POST"): ADMIN,
    # Séances: convened members and the secretariat; the team sees its own item and
    # answers the members' written questions.
    ("committee_admin.list_meetings", "GET"): COMMITTEE,
    ("committee.show_meeting", "GET"): COMMITTEE,
    ("committee.show_item", "GET"): COMMITTEE | {"intrapreneur"},
    ("committee.participation", "GET"): COMMITTEE,
    ("committee_admin.download_invitation", "GET"): COMMITTEE,
    ("committee.ask_question", "POST"): COMMITTEE,
    ("committee.answer_question", "POST"): frozenset({"intrapreneur"}),
    ("committee.declare_conflict", "POST"): COMMITTEE,
    ("committee.give_proxy", "POST"): COMMITTEE,
    ("committee.cast_vote", "POST"): COMMITTEE,
    ("committee_admin.create_meeting", "GET"): ADMIN,
    ("committee_admin.create_meeting", "POST"): ADMIN,
    ("committee_admin.edit_meeting", "GET"): ADMIN,
    ("committee_admin.edit_meeting", "POST"): ADMIN,
    ("committee_admin.manage_meeting", "GET"): ADMIN,
    ("committee_admin.convene_members", "POST"): ADMIN,
    ("committee_admin.add_to_agenda", "POST"): ADMIN,
    ("committee_admin.remove_from_agenda", "POST"): ADMIN,
    ("committee_admin.advance_meeting", "POST"): ADMIN,
    ("committee_admin.run_meeting", "GET"): ADMIN,
    ("committee_admin.live_state", "GET"): ADMIN,
    ("committee_admin.open_item", "POST"): ADMIN,
    ("committee_admin.close_item", "POST"): ADMIN,
    ("committee_admin.remind_voters", "POST"): ADMIN,
    ("notifications.list_messages", "GET"): ADMIN,
    ("notifications.send_now", "POST"): ADMIN,
    # Decisions: everyone concerned reads them; the secretariat writes and publishes them.
    ("decisions.show_decision", "GET"): WITH_A_ROLE,
    ("decisions.startup_history", "GET"): WITH_A_ROLE,
    ("decisions.show_minutes", "GET"): COMMITTEE,
    ("decisions.download_minutes", "GET"): COMMITTEE,
    ("decisions.edit_decision", "GET"): ADMIN,
    ("decisions.edit_decision", "POST"): ADMIN,
    ("decisions.publish_decision", "POST"): ADMIN,
    ("decisions.supersede_decision", "POST"): ADMIN,
    # Orders: the secretariat drafts and sends, the DSAF engages; both read and export.
    ("orders.generate_orders", "POST"): ADMIN,
    ("orders.edit_order", "GET"): ADMIN,
    ("orders.edit_order", "POST"): ADMIN,
    ("orders.send_order", "POST"): ADMIN,
    ("orders.engage_order", "POST"): frozenset({"finance"}),
    ("orders.cancel_order", "POST"): ORDERS,
    ("orders.declare_consumption", "POST"): ORDERS,
    ("orders.show_order", "GET"): ORDERS,
    ("orders.find_order", "GET"): ORDERS,
    ("orders.startup_budget", "GET"): ORDERS,
    ("exports.index", "GET"): ORDERS,
    ("exports.show_register", "GET"): ORDERS,
    ("exports.download_register", "GET"): ORDERS,
    ("exports.order_xlsx", "GET"): ORDERS,
    ("exports.request_export", "POST"): ORDERS,
    # A background export is its requester's only (the DSAF user here).
    ("exports.show_job", "GET"): frozenset({"finance"}),
    ("exports.download_job", "GET"): frozenset({"finance"}),
}


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in _methods(rule)
    }
    assert routes - MATRIX.keys() == set(), "routes absentes de la matrice d'accès"
    assert MATRIX.keys() - routes == set(), "routes de la matrice qui n'existent plus"


def test_each_role_reaches_exactly_what_the_matrix_says(app, db_session, world):
    # Requests of another app instance get sessions of their own (the test's app context
    # would lend them the test's session), so that rolling back one observation leaves the
    # world as it was for the next.
    app = make_test_app(app.config["DATABASE_URL"])
    wrong = []
    for rule in app.url_map.iter_rules():
        for method in _methods(rule):
            allowed = MATRIX.get((rule.endpoint, method), NOBODY)
            for role in ROLES:
                got_in = reaches(app, db_session, world, rule, method, role)
                if got_in != (role in allowed):
                    wrong.append(
                        f"{method} {rule.rule} [{role}] : {'entre' if got_in else 'refusé'}"
                    )
    assert wrong == []
