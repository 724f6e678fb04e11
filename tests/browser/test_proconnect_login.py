"""In Debian's chromium: log in and out through the ProConnect-like provider."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_agent_logs_in_and_out_with_proconnect(browser: Browser, live_server: str):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/startups")
    expect(page).to_have_title("Connexion – Comité")
    expect(page.get_by_role("link", name="Qu’est-ce que ProConnect ?")).to_be_visible()

    page.get_by_role("button", name="S’identifier avec ProConnect").click()

    # At the provider: choose who logs in.
    page.get_by_placeholder("sub").fill("claire.dubois")
    page.get_by_role("button", name="Authorize").click()

    # Back on Comité, on the page first asked for.
    expect(page).to_have_url(f"{live_server}/startups")
    expect(page.get_by_text("Vous êtes connecté en tant que Claire Dubois.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Startups")

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="End session").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/$"))
    expect(page.get_by_text("Vous êtes déconnecté de Comité et de ProConnect.")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    context.close()
