"""In Debian's chromium, with and without JavaScript, every person in their own browser
context and logged in through the ProConnect-like provider: a fiche produit from its first
draft to the decision in its sponsor's history, every page audited by axe-core.

The intrapreneur writes and submits the fiche; the secretariat returns it, the intrapreneur
completes it; the secretariat plans a séance, convenes three members, puts the fiche on the
agenda and opens the vote; one member declares a conflict of interest and two vote (two votes
out of two members not recused: the quorum, more than half, is reached) while the secretariat
watches the tally; the decision is completed with its budget in UO and published, its
purchase order generated, completed and sent to the DSAF, who records the legal commitment
and downloads the decisions register; the sponsor reads the startup's history.

On SQLite, each step leaves a full-page screenshot in tests/artifacts/<js|sans-js>/, and
the audit fails the test at the end with every serious or critical problem, page by page."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from comite.core.formatting import date_fr
from comite.demo import demo_email
from tests.browser.accessibility import AxeAudit
from tests.browser.test_product_sheet import fill_sheet
from tests.proconnect_provider import ProConnectLikeProvider
from tests.smtp_server import Mailbox

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
STARTUP, SLUG = "Carte Grise en Ligne", "carte-grise-en-ligne"

# Who plays the story, from the demo data (comite/demo.py): ProConnect `sub` and name.
PERSONAS = {
    "intrapreneur": ("julie.moreau", "Julie", "Moreau"),  # intrapreneur of Carte Grise
    "secretariat": ("claire.dubois", "Claire", "Dubois"),  # admin
    "president": ("marc.lefevre", "Marc", "Lefèvre"),  # member
    "member": ("sophie.martin", "Sophie", "Martin"),  # member
    "recused": ("karim.benali", "Karim", "Benali"),  # member
    "finance": ("nadia.petit", "Nadia", "Petit"),  # DSAF
    "sponsor": ("thomas.bernard", "Thomas", "Bernard"),  # sponsor of Carte Grise
}

# Each run plans its own séance (both runs share the live server's database).
MEETINGS = {
    True: ("Comité d'investissement de janvier", "2027-01-14"),
    False: ("Comité d'investissement de février", "2027-02-11"),
}


class Journey:
    """The browsers of the story's people, the screenshots and the accessibility audit."""

    def __init__(self, browser: Browser, base_url: str, javascript: bool, folder: Path) -> None:
        self.browser = browser
        self.base_url = base_url
        self.javascript = javascript
        # Where the screenshots go; None: neither screenshots nor audit.
        self.folder = folder
        self.audit = AxeAudit(browser, javascript)
        self.pages: dict[str, Page] = {}
        self.step_number = 0

    def log_in(self, persona: str, path: str) -> Page:
        """A fresh browser context: the page asked for, the login page, ProConnect, back."""
        context = self.browser.new_context(
            java_script_enabled=self.javascript,
            base_url=self.base_url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(path)
        expect(page).to_have_title("Connexion – Comité")
        if not self.pages:  # the same login page for everyone: checked once
            self.check(page, "connexion")
        page.get_by_role("button", name="S’identifier avec ProConnect").click()
        page.get_by_placeholder("sub").fill(PERSONAS[persona][0])
        page.get_by_role("button", name="Authorize").click()
        expect(page).to_have_url(f"{self.base_url}{path}")
        _, given_name, usual_name = PERSONAS[persona]
        expect(page.get_by_role("banner")).to_contain_text(f"{given_name} {usual_name}")
        self.pages[persona] = page
        return page

    def check(self, page: Page, step: str, screenshot: bool = True) -> None:
        """Audit the page as it is now, and keep a picture of it."""
        self.audit.check(page, step)
        if screenshot:
            self.step_number += 1
            name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
            page.screenshot(path=self.folder / f"{self.step_number:02d}-{name}.png", full_page=True)

    def close(self) -> None:
        self.audit.close()
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def personas(browser_provider: ProConnectLikeProvider) -> None:
    for sub, given_name, usual_name in PERSONAS.values():
        browser_provider.set_user(
            sub,
            email=demo_email(sub),
            given_name=given_name,
            usual_name=usual_name,
            siret="13002526500013",
        )


def sees_message(page: Page, text: str) -> None:
    """The page says what the action did (an alert at the top, or in a panel)."""
    expect(page.get_by_role("main").get_by_text(text, exact=False).first).to_be_visible()


# Two journeys, one per engine and one per mode, to keep `make test` short: the pages are the
# same HTML whatever the engine, and each run is audited and photographed. The live server is
# parametrized here, in place of its own parameters.
@pytest.mark.parametrize(
    ("live_server", "javascript"),
    [("sqlite", True), ("postgresql", False)],
    ids=["sqlite-js", "postgresql-sans-js"],
    indirect=["live_server"],
)
def test_a_fiche_goes_from_draft_to_the_sponsors_history(
    browser: Browser, live_server, personas, javascript: bool, tmp_path
):
    folder = ARTIFACTS / ("js" if javascript else "sans-js")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    journey = Journey(browser, live_server, javascript, folder)
    try:
        play(journey, tmp_path)
    finally:
        journey.close()
    journey.audit.assert_clean()


def play(journey: Journey, tmp_path: Path) -> None:
    javascript = journey.javascript
    meeting_title, meeting_day = MEETINGS[javascript]

    # 1. The intrapreneur writes a fiche produit and submits it.
    julie = journey.log_in("intrapreneur", f"/startups/{SLUG}")
    expect(julie.get_by_role("heading", level=1)).to_have_text(STARTUP)
    journey.check(julie, "startup de l'intrapreneure")
    julie.get_by_role("button", name="Créer une fiche produit").click()
    expect(julie.get_by_role("heading", level=1)).to_have_text(f"Fiche produit – {STARTUP}")
    dossier_url = julie.url.removesuffix("/brouillon")
    # Submitted empty: refused, and the focus goes to the summary of the errors.
    julie.get_by_role("button", name="Déposer la fiche produit").click()
    summary = julie.get_by_role("alert").filter(has_text="Le dossier n'a pas été déposé")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^Problème à résoudre"))).to_be_visible()
    journey.check(julie, "fiche refusee incomplete")
    fill_sheet(julie)
    journey.check(julie, "fiche remplie")
    julie.get_by_role("button", name="Déposer la fiche produit").click()
    sees_message(julie, "Fiche produit déposée (version 1)")
    journey.check(julie, "fiche deposee")

    # 2. The secretariat returns it for completion; the intrapreneur completes it.
    claire = journey.log_in("secretariat", dossier_url.removeprefix(journey.base_url))
    claire.get_by_role("button", name="Renvoyer pour compléments").click()
    expect(claire.get_by_label("Ce que l'équipe doit compléter")).to_be_focused()
    expect(claire).to_have_title(re.compile("^Erreur : "))
    journey.check(claire, "renvoi sans motif")
    claire.get_by_label("Ce que l'équipe doit compléter").fill(
        "Précisez les conditions de succès : quel accès aux données du SIV, et quand ?"
    )
    claire.get_by_role("button", name="Renvoyer pour compléments").click()
    sees_message(claire, "Le dossier est renvoyé à l'équipe pour compléments.")
    journey.check(claire, "fiche renvoyee")

    julie.goto(dossier_url)
    expect(julie.get_by_text("Précisez les conditions de succès")).to_be_visible()
    julie.get_by_role("button", name="Modifier : créer la version 2").click()
    julie.get_by_label("Conditions de succès").fill(
        "Accès aux données du SIV ouvert par l'ANTS en mars ; un référent métier par préfecture."
    )
    julie.get_by_role("button", name="Déposer la fiche produit").click()
    sees_message(julie, "Fiche produit déposée (version 2)")
    journey.check(julie, "fiche completee")

    # 3. The secretariat plans the séance, convenes, builds and publishes the agenda.
    claire.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Séances"
    ).click()
    claire.get_by_role("link", name="Nouvelle séance").click()
    claire.get_by_role("button", name="Planifier la séance").click()
    expect(
        claire.get_by_role("alert").filter(has_text="Le formulaire contient des erreurs")
    ).to_be_focused()
    journey.check(claire, "seance sans titre")
    claire.get_by_label("Titre").fill(meeting_title)
    claire.get_by_label("Date").fill(meeting_day)
    claire.get_by_label("Heure de début").fill("09:30")
    claire.get_by_label("Lieu").fill("DINUM, 20 avenue de Ségur, Paris – salle 4.12")
    journey.check(claire, "nouvelle seance", screenshot=False)
    claire.get_by_role("button", name="Planifier la séance").click()
    sees_message(claire, f"La séance « {meeting_title} » est planifiée")

    # The DSFR draws checkboxes and radios on their labels: one clicks the label.
    members = claire.get_by_role("group", name=re.compile("^Membres convoqués"))
    for name in ("Marc Lefèvre", "Sophie Martin", "Karim Benali"):
        members.get_by_text(name, exact=True).click()
        expect(members.get_by_label(name)).to_be_checked()
    president = claire.get_by_role("group", name=re.compile("^Président de séance"))
    president.get_by_text("Marc Lefèvre", exact=True).click()
    expect(president.get_by_label("Marc Lefèvre")).to_be_checked()
    claire.get_by_role("button", name="Enregistrer la convocation").click()
    sees_message(claire, "Les membres convoqués et le président sont enregistrés.")
    claire.get_by_role("button", name=f"Inscrire à l'ordre du jour : {STARTUP}").click()
    sees_message(claire, f"{STARTUP} est inscrite à l'ordre du jour.")
    journey.check(claire, "seance composee")
    claire.get_by_role("button", name="Publier l'ordre du jour").click()
    sees_message(claire, "La séance est maintenant « Ordre du jour publié ».")

    # 4. The séance opens, then the vote; the secretariat watches the live page.
    claire.get_by_role("button", name="Ouvrir la séance").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text(meeting_title)
    claire.get_by_role("button", name=f"Ouvrir le vote sur {STARTUP}").click()
    sees_message(claire, f"Le vote sur {STARTUP} est ouvert.")
    live = claire.get_by_role("region", name=f"Point 1 : {STARTUP}")
    expect(live).to_contain_text("0 votant sur 3 membres non déportés")
    journey.check(claire, "vote ouvert")
    if javascript:
        claire.evaluate("window.__noReload = true")

    def tally_shows(text: str) -> None:
        # With JavaScript the page polls and changes in place; without, one refreshes it.
        if not javascript:
            claire.get_by_role("link", name="Rafraîchir").click()
        expect(live).to_contain_text(text, timeout=10_000)

    karim = journey.log_in("recused", "/seances")
    karim.get_by_role("link", name=f"Ordre du jour de {meeting_title}").click()
    karim.get_by_role("link", name=re.compile(f"^{STARTUP} – Fiche produit")).click()
    item_url = karim.url
    journey.check(karim, "point ouvert membre")
    karim.get_by_label("Raison du conflit d'intérêts").fill(
        "J'ai travaillé avec l'intrapreneure au ministère de l'Intérieur."
    )
    karim.get_by_role("button", name="Je me déporte sur ce point").click()
    sees_message(karim, "Votre conflit d'intérêts est enregistré")
    expect(karim.get_by_role("button", name="Continuer")).to_have_count(0)
    journey.check(karim, "deport")
    tally_shows("0 votant sur 2 membres non déportés")
    expect(live).to_contain_text("Karim Benali (J'ai travaillé avec l'intrapreneure")

    marc = journey.log_in("president", item_url.removeprefix(journey.base_url))
    marc.get_by_role("button", name="Continuer").click()
    expect(marc.get_by_text("Votre vote est enregistré : continuer.")).to_be_visible()
    journey.check(marc, "vote du president")
    tally_shows("1 votant sur 2 membres non déportés")

    sophie = journey.log_in("member", item_url.removeprefix(journey.base_url))
    continue_button = sophie.get_by_role("button", name="Continuer")
    if javascript:
        vote_with_the_keyboard(sophie)
        # The answer replaced the panel: the focus stays on the button just pressed.
        expect(continue_button).to_be_focused()
    else:
        sophie.get_by_label("Commentaire (facultatif)").fill("Les résultats sont là.")
        continue_button.click()
    expect(sophie.get_by_text("Votre vote est enregistré : continuer.")).to_be_visible()
    expect(sophie.get_by_text("2 votants sur 2 membres non déportés")).to_be_visible()
    journey.check(sophie, "vote au clavier" if javascript else "vote du membre")

    tally_shows("2 votants sur 2 membres non déportés")
    expect(live).to_contain_text("Tous les membres non déportés ont voté.")
    tally = live.get_by_role("table", name="Décompte provisoire des votes")
    expect(tally.get_by_role("row", name="Continuer 2")).to_be_visible()
    if javascript:
        assert claire.evaluate("window.__noReload") is True
    journey.check(claire, "decompte en direct")

    # 5. The vote closes; the decision is completed with its budget and published.
    claire.get_by_role("button", name=f"Clore le vote sur {STARTUP}").click()
    sees_message(claire, f"Le vote sur {STARTUP} est clos : Continuer : 2 pour continuer")
    claire.get_by_role("link", name=f"Projet de décision pour {STARTUP}").click()
    expect(claire.get_by_role("heading", level=1)).to_have_text(f"Projet de décision – {STARTUP}")
    decision_id = int(claire.url.rsplit("/", 1)[1])
    journey.check(claire, "projet de decision")
    claire.get_by_role("link", name="Modifier le projet").click()
    expect(claire.get_by_label("Phase suivante")).to_have_value("acceleration")
    first_line = claire.get_by_role("group", name="Ligne de budget 1", exact=True)
    expect(first_line.get_by_label("Unité d'œuvre")).to_have_value("DEVOPS-SENIOR")
    first_line.get_by_label("Quantité (UO)").fill("5")
    claire.get_by_label("Conditions").fill("Ouvrir la démarche dans deux préfectures pilotes.")
    journey.check(claire, "decision modifiee")
    claire.get_by_role("button", name="Enregistrer le projet").click()
    sees_message(claire, "Projet de décision enregistré.")
    budget = claire.get_by_role("table", name="Budget accordé en unités d'œuvre")
    expect(budget.get_by_role("row", name=re.compile("^Total 7,5 UO"))).to_be_visible()
    claire.get_by_role("button", name="Publier la décision").click()
    sees_message(claire, f"Décision publiée : {STARTUP} passe en phase « Accélération ».")
    journey.check(claire, "decision publiee")

    # 6. The draft purchase order, completed and sent to the DSAF.
    claire.get_by_role("button", name="Générer les projets de bons de commande").click()
    sees_message(claire, "Projet(s) de bon de commande créé(s)")
    expect(claire.get_by_role("heading", level=1)).to_contain_text("Projet de bon de commande")
    order_url = claire.url
    journey.check(claire, "projet de bon de commande")
    claire.get_by_role("link", name="Modifier le bénéficiaire et l'imputation").click()
    claire.get_by_label("Service bénéficiaire").fill("Direction de la modernisation")
    claire.get_by_label("Centre financier").fill("0216-CDBR-DNUM")
    claire.get_by_label("Domaine fonctionnel").fill("0216-05")
    claire.get_by_label("Activité").fill("021605010101")
    journey.check(claire, "imputation", screenshot=False)
    claire.get_by_role("button", name="Enregistrer").click()
    sees_message(claire, "est complété.")
    claire.get_by_role("button", name="Transmettre à la DSAF").click()
    sees_message(claire, "est transmis à la DSAF.")
    journey.check(claire, "bon transmis")

    # 7. The DSAF records the legal commitment and downloads the decisions register.
    nadia = journey.log_in("finance", order_url.removeprefix(journey.base_url))
    commitment = nadia.get_by_label("Numéro d'engagement juridique (Chorus)")
    commitment.fill("130001234")  # one digit short: refused beside the field, kept, focused
    nadia.get_by_role("button", name="Enregistrer l'engagement").click()
    expect(
        nadia.get_by_text("Le numéro d'engagement juridique Chorus compte 10 chiffres.")
    ).to_be_visible()
    expect(nadia).to_have_title(re.compile("^Erreur : "))
    expect(commitment).to_be_focused()
    expect(commitment).to_have_accessible_description(re.compile("compte 10 chiffres"))
    expect(commitment).to_have_value("130001234")
    commitment.fill("1300012345")
    nadia.get_by_role("button", name="Enregistrer l'engagement").click()
    sees_message(nadia, "Engagement juridique 1300012345 enregistré.")
    expect(nadia.get_by_text("Engagé", exact=True)).to_be_visible()
    journey.check(nadia, "engagement")
    nadia.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Exports"
    ).click()
    journey.check(nadia, "exports", screenshot=False)
    nadia.get_by_role("link", name="Registre des décisions du comité d'investissement").click()
    journey.check(nadia, "registre des decisions")
    with nadia.expect_download() as download:
        nadia.get_by_role("link", name="Télécharger le fichier Excel (.xlsx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    row = decision_row(path, decision_id)
    assert row["Startup"] == STARTUP
    assert row["Décision"] == "Continuer"
    assert row["Phase suivante"] == "Accélération"
    assert Decimal(str(row["Budget accordé (UO)"])) == Decimal("7.5")

    # 8. The sponsor reads the startup's history.
    thomas = journey.log_in("sponsor", f"/startups/{SLUG}")
    thomas.get_by_role("link", name="Historique des décisions").click()
    expect(thomas.get_by_role("heading", level=1)).to_have_text(
        f"Historique des décisions – {STARTUP}"
    )
    decision = thomas.get_by_role("listitem").filter(
        has=thomas.get_by_role("link", name="Décision : continuer")
    )
    expect(decision.first).to_contain_text("budget accordé : 7,5 UO")
    journey.check(thomas, "historique")

    # 9. Each was told by e-mail, through the worker and a real SMTP server; replies go to
    # the secretariat.
    mailbox = journey.base_url.mailbox
    agenda = f"Ordre du jour de la séance du {date_fr(dt.date.fromisoformat(meeting_day))}"
    for persona in ("president", "member", "recused"):
        [invitation] = received(mailbox, persona, agenda)
        [calendar] = invitation.iter_attachments()
        assert calendar.get_content_type() == "text/calendar"
        assert invitation["Reply-To"] == "secretariat.comite@incubateur.example.gouv.fr"
    assert received(mailbox, "intrapreneur", "des compléments sont demandés", dossier_url)
    assert received(mailbox, "intrapreneur", "Décision du comité d'investissement")
    assert received(mailbox, "sponsor", "Décision du comité d'investissement")
    assert received(mailbox, "finance", "à engager", order_url)


def received(mailbox: Mailbox, persona: str, subject: str, link: str = "") -> list[EmailMessage]:
    """The messages the persona received whose subject holds `subject` (and whose text
    holds `link`), once the worker has sent them: it polls its queue every 2 s at most."""
    address = demo_email(PERSONAS[persona][0])
    deadline = time.monotonic() + 20
    while True:
        found = [
            message
            for message in mailbox.to(address)
            if subject in message["Subject"]
            and link in message.get_body(preferencelist=("plain",)).get_content()
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def vote_with_the_keyboard(page: Page) -> None:
    """From the skip link to the vote with Tab, a comment typed, back with Shift+Tab, and
    Space on « Continuer »: no mouse."""
    comment = page.get_by_label("Commentaire (facultatif)")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Contenu")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if comment.evaluate("element => element === document.activeElement"):
            break
    expect(comment).to_be_focused()
    page.keyboard.type("Les résultats sont là.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continuer")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Arrêter")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Continuer")).to_be_focused()
    page.keyboard.press("Space")


def decision_row(path: Path, decision_id: int) -> dict[str, object]:
    """The register's row of that decision, by column header."""
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "N° de décision")
    headers = rows[header_index]
    found = [row for row in rows[header_index + 1 :] if row[0] == decision_id]
    assert len(found) == 1, f"décision {decision_id} absente du registre"
    return dict(zip(headers, found[0], strict=True))
