"""In Debian's chromium: log in with the development login and search the startups."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def log_in_as_secretariat(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/startups")
    # Anonymous: sent to the login page, then back to the list.
    expect(page).to_have_title("Connexion – Comité")
    page.get_by_role("button", name=re.compile("Claire Dubois")).click()
    expect(page).to_have_url(f"{base_url}/startups")
    expect(page.get_by_role("heading", level=1)).to_have_text("Startups")


def result_rows(page: Page):
    return page.get_by_role("table").get_by_role("row")


def test_live_search_narrows_the_list_as_one_types(browser: Browser, live_server: str):
    context = browser.new_context()
    page = context.new_page()
    violations = []
    page.on("console", lambda message: message.type == "error" and violations.append(message.text))
    log_in_as_secretariat(page, live_server)
    expect(page.get_by_text("12 startups")).to_be_visible()
    page.evaluate("window.__noReload = true")

    page.get_by_label("Rechercher une startup").press_sequentially("ca", delay=50)
    expect(page.get_by_text("2 startups")).to_be_visible()
    page.get_by_label("Rechercher une startup").press_sequentially("rte", delay=50)
    expect(page.get_by_text("1 startup", exact=True)).to_be_visible()
    expect(result_rows(page)).to_have_count(2)  # header + Carte Grise en Ligne
    expect(page.get_by_role("link", name="Carte Grise en Ligne")).to_be_visible()

    # The list changed in place (no reload) and the address can be bookmarked.
    assert page.evaluate("window.__noReload") is True
    expect(page).to_have_url(re.compile(r"q=carte"))

    page.get_by_label("Phase").select_option(label="Accélération")
    expect(page.get_by_text("Aucune startup ne correspond à votre recherche.")).to_be_visible()
    assert violations == []
    context.close()


def test_search_works_with_javascript_disabled(browser: Browser, live_server: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in_as_secretariat(page, live_server)

    page.get_by_label("Rechercher une startup").fill("permis")
    page.get_by_role("button", name="Rechercher").click()

    expect(page).to_have_url(re.compile(r"/startups\?q=permis"))
    expect(page.get_by_text("1 startup", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Permis Rapide")).to_be_visible()

    page.get_by_role("link", name="Permis Rapide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Permis Rapide")
    expect(page.get_by_role("listitem").filter(has_text="Thomas Bernard").first).to_be_visible()
    context.close()
