"""In Debian's chromium, with and without JavaScript: an intrapreneur writes a fiche produit
with three indicators and two budget lines, saves the draft, reloads, finds everything, and
submits it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

INDICATORS = [
    ("Dossiers déposés en ligne", "%", "5", "60", "Statistiques de la démarche"),
    ("Délai de traitement", "jours", "21", "7", "Tableau de bord des agents"),
    ("Satisfaction", "note sur 10", "6", "8", "Questionnaire à la fin de la démarche"),
]
LINES = [("DEVOPS-SENIOR", "6"), ("PM", "2,5")]


def fill_sheet(page: Page) -> None:
    page.get_by_label("Problème à résoudre").fill(
        "Les cantines peinent à trouver des produits durables.\nLes règles changent souvent."
    )
    page.get_by_label("Usagers concernés").fill("Gestionnaires de restauration collective.")
    page.get_by_label("Solution et nature du produit").fill("Un catalogue des fournisseurs.")
    page.get_by_label("Conditions de succès").fill("Des régions partenaires.")
    page.get_by_label("Modalités d'organisation").fill("Une équipe de cinq personnes.")
    page.get_by_label("Acteurs associés").fill("Ministère de l'Agriculture, régions.")
    page.get_by_label("Compétences à mobiliser").fill("Développement, design, déploiement.")
    page.get_by_label("Phase demandée").select_option(label="Accélération")
    for number, values in enumerate(INDICATORS, start=1):
        page.get_by_role("button", name="Ajouter un indicateur").click()
        row = page.get_by_role("group", name=f"Indicateur {number}", exact=True)
        for label, value in zip(
            ["Indicateur", "Unité", "Valeur de départ", "Cible", "Mode de mesure"],
            values,
            strict=True,
        ):
            row.get_by_label(label).fill(value)
    for number, (code, quantity) in enumerate(LINES, start=1):
        page.get_by_role("button", name="Ajouter une ligne de budget").click()
        row = page.get_by_role("group", name=f"Ligne de budget {number}", exact=True)
        row.get_by_label("Unité d'œuvre").select_option(value=code)
        row.get_by_label("Quantité (UO)").fill(quantity)
        row.get_by_label("Début").fill("2027-01-01")
        row.get_by_label("Fin").fill("2027-12-31")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_intrapreneur_writes_saves_reloads_and_submits_a_fiche(
    browser: Browser, live_server: str, javascript: bool
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server}/connexion")
    page.get_by_role("button", name=re.compile("Julie Moreau")).click()
    page.goto(f"{live_server}/startups/cantine-locale")
    page.get_by_role("button", name="Créer une fiche produit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiche produit – Cantine Locale")

    fill_sheet(page)
    page.get_by_role("button", name="Enregistrer le brouillon", exact=True).last.click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()

    page.reload()
    expect(page.get_by_label("Problème à résoudre")).to_have_value(
        "Les cantines peinent à trouver des produits durables.\nLes règles changent souvent."
    )
    for number, values in enumerate(INDICATORS, start=1):
        row = page.get_by_role("group", name=f"Indicateur {number}", exact=True)
        expect(row.get_by_label("Indicateur")).to_have_value(values[0])
        expect(row.get_by_label("Mode de mesure")).to_have_value(values[4])
    second_line = page.get_by_role("group", name="Ligne de budget 2", exact=True)
    expect(second_line.get_by_label("Quantité (UO)")).to_have_value("2,5")
    expect(second_line.get_by_label("Unité d'œuvre")).to_have_value("PM")

    page.get_by_role("button", name="Déposer la fiche produit").click()
    expect(page.get_by_text("Fiche produit déposée (version 1)")).to_be_visible()
    expect(page.get_by_role("cell", name="Déposée", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Satisfaction")).to_be_visible()
    expect(page.get_by_role("cell", name="2,5 UO")).to_be_visible()
    expect(page.get_by_role("cell", name="50 jours")).to_be_visible()
    context.close()
