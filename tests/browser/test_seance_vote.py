"""In Debian's chromium, with and without JavaScript: three members vote on an item of a
séance, one of them after declaring a conflict of interest, and the result is shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from comite import create_app
from comite.auth.models import User
from comite.committee import services
from comite.committee.models import AgendaItem
from comite.demo import demo_email
from comite.dossiers import services as dossier_services
from comite.dossiers.workflow import DossierKind
from comite.extensions import db
from comite.startups.models import Startup
from tests.committee.conftest import complete_sheet

pytestmark = pytest.mark.browser


def prepare_seance(database_url: str) -> tuple[int, int, object]:
    """A submitted fiche on the agenda of a séance in progress, its item open for voting."""
    app = create_app(
        {"COMITE_ENV": "test", "SECRET_KEY": "browser-test-key", "DATABASE_URL": database_url}
    )
    with app.app_context():

        def user(local_part: str) -> User:
            return db.session.scalars(
                sa.select(User).where(User.email == demo_email(local_part))
            ).one()

        julie, claire = user("julie.moreau"), user("claire.dubois")
        members = [user("marc.lefevre"), user("sophie.martin"), user("karim.benali")]
        startup = db.session.scalars(
            sa.select(Startup).where(Startup.slug == "carte-grise-en-ligne")
        ).one()
        dossier = dossier_services.create_dossier(
            db.session, startup, DossierKind.PRODUCT_SHEET, julie
        )
        version = dossier.latest
        dossier_services.save_draft(db.session, version, complete_sheet(), version.revision, julie)
        dossier_services.submit(db.session, version, julie)
        meeting = services.create_meeting(
            db.session,
            services.MeetingDetails(
                "Comité de décembre", dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)
            ),
            claire,
        )
        services.convene(db.session, meeting, members, members[0], claire)
        item = services.add_to_agenda(db.session, meeting, version, claire)
        for verb in ("publish_agenda", "start"):
            services.advance_meeting(db.session, meeting, verb, claire)
        services.open_item(db.session, item, claire)
        db.session.commit()
        ids = meeting.id, item.id
    return *ids, app


def close(app, item_id: int) -> None:
    with app.app_context():
        item = db.session.get(AgendaItem, item_id)
        claire = db.session.scalars(
            sa.select(User).where(User.email == demo_email("claire.dubois"))
        ).one()
        services.close_item(db.session, item, claire, dt.date(2026, 12, 3))
        db.session.commit()
        db.engine.dispose()


def member_page(browser: Browser, live_server: str, name: str, javascript: bool) -> Page:
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{live_server}/connexion")
    page.get_by_role("button", name=re.compile(name)).click()
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_three_members_vote_one_recused_and_the_result_is_shown(
    browser: Browser, live_server, javascript: bool
):
    meeting_id, item_id, app = prepare_seance(live_server.database_url)
    item_url = f"{live_server}/seances/{meeting_id}/points/{item_id}"

    karim = member_page(browser, live_server, "Karim Benali", javascript)
    karim.goto(item_url)
    karim.get_by_label("Raison du conflit d'intérêts").fill("J'ai travaillé avec l'intrapreneure.")
    karim.get_by_role("button", name="Je me déporte sur ce point").click()
    expect(karim.get_by_text("Votre conflit d'intérêts est enregistré")).to_be_visible()
    expect(karim.get_by_role("button", name="Continuer")).to_have_count(0)

    marc = member_page(browser, live_server, "Marc Lefèvre", javascript)
    marc.goto(item_url)
    marc.get_by_role("button", name="Continuer").click()
    expect(marc.get_by_text("Votre vote est enregistré : continuer.")).to_be_visible()

    sophie = member_page(browser, live_server, "Sophie Martin", javascript)
    sophie.goto(item_url)
    sophie.get_by_role("button", name="Arrêter").click()
    expect(sophie.get_by_text("Votre vote est enregistré : arrêter.")).to_be_visible()
    sophie.get_by_label("Commentaire (facultatif)").fill("Finalement oui.")
    sophie.get_by_role("button", name="Continuer").click()
    expect(sophie.get_by_text("Votre vote est enregistré : continuer.")).to_be_visible()
    expect(sophie.get_by_text("2 votants")).to_be_visible()

    close(app, item_id)
    # Sophie's page still shows the buttons: a late vote is refused in French, not ignored.
    sophie.get_by_role("button", name="Arrêter").click()
    expect(sophie.get_by_text("Le vote sur ce point n'est pas ouvert.")).to_be_visible()
    if javascript:
        # The participation panel refreshes itself.
        expect(marc.get_by_text("Continuer : 2 pour continuer, 0 pour arrêter")).to_be_visible(
            timeout=10_000
        )
    else:
        marc.reload()
        expect(marc.get_by_text("Continuer : 2 pour continuer, 0 pour arrêter")).to_be_visible()
    expect(marc.get_by_text("Sophie Martin : Continuer")).to_be_visible()
    expect(marc.get_by_text("Déporté : Karim Benali.")).to_be_visible()
    for page in (karim, marc, sophie):
        page.context.close()
