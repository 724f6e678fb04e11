"""axe-core in the browser tests: audit each page a scenario visits, report at the end."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPORTED_IMPACTS = {"serious", "critical"}

# What axe could not decide is reported too ("à vérifier"): a section labelled by itself, for
# one, only shows there. Except the contrast of links: the DSFR underlines them with a
# background gradient, whose colour axe does not compute.
UNDECIDABLE = {"color-contrast"}
# The DSFR header's menu is named (aria-labelledby) for when it becomes a dialog, on small
# screens; on large ones the DSFR's script removes the name from what is then a plain <div>.
# Without JavaScript (or before the script ran) the name stays on the <div>, where assistive
# technologies ignore it: axe asks to check it, and it is the DSFR's own markup.
DSFR_MARKUP = {("aria-prohibited-attr", "#menu-modal")}

RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(results => {
  const summary = (v, undecided) => ({
    id: v.id, impact: v.impact, help: v.help, undecided,
    targets: v.nodes.slice(0, 5).map(node => node.target.join(" ")),
  });
  return results.violations.map(v => summary(v, false))
    .concat(results.incomplete.map(v => summary(v, true)));
})"""


class AxeAudit:
    """Serious and critical WCAG 2.1 A/AA violations, per page, collected as the scenario
    goes; `assert_clean()` fails once, at the end, with all of them.

    Without JavaScript, axe cannot run in the page itself: it schedules its checks with
    timers, and a context with JavaScript disabled runs no timer (even for code Playwright
    evaluates). Re-opening the URL in a JavaScript context would ask the server again (a GET
    instead of the POST that produced the page, flash messages already consumed) and audit
    what the JavaScript run already audits. So the audit takes the page's own DOM as the
    browser without JavaScript built it, scripts left out, and writes it into a
    JavaScript-enabled twin page of the same origin (stylesheets and fonts come from the live
    server, so contrasts are the real ones): axe audits what a person without JavaScript sees.
    """

    def __init__(self, browser: Browser, javascript: bool) -> None:
        self.browser = browser
        self.javascript = javascript
        self.violations: dict[str, list[str]] = defaultdict(list)
        self.audited = 0
        self._twin: Page | None = None

    def check(self, page: Page, step: str) -> None:
        page.wait_for_load_state()
        target = page if self.javascript else self._twin_of(page)
        # The DSFR's script sets its components up over the first frames: audit them settled.
        target.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        # Evaluated rather than added as a <script> tag: Comité's CSP refuses inline scripts,
        # and the tests keep the CSP on (a page that breaks it must fail).
        if not target.evaluate("typeof axe !== 'undefined'"):
            target.evaluate(AXE_SOURCE)
        found = target.evaluate(RUN_AXE, WCAG_TAGS)
        self.audited += 1
        for violation in found:
            if violation["impact"] not in REPORTED_IMPACTS:
                continue
            if violation["undecided"] and (
                violation["id"] in UNDECIDABLE
                or {(violation["id"], target) for target in violation["targets"]} <= DSFR_MARKUP
            ):
                continue
            verdict = "à vérifier" if violation["undecided"] else violation["impact"]
            self.violations[f"{step} ({page.url})"].append(
                f"{violation['id']} [{verdict}] {violation['help']} : "
                + " | ".join(violation["targets"])
            )

    def assert_clean(self) -> None:
        report = "\n".join(
            f"- {where}\n" + "\n".join(f"    {line}" for line in lines)
            for where, lines in self.violations.items()
        )
        assert not self.violations, f"axe-core ({self.audited} pages) :\n{report}"

    def close(self) -> None:
        if self._twin is not None:
            self._twin.context.close()
            self._twin = None

    # -- the twin of a page without JavaScript ------------------------------------------

    def _twin_of(self, page: Page) -> Page:
        """A JavaScript page showing `page`'s DOM, scripts left out, from the same origin (so
        that stylesheets and fonts load, from the browser's cache after the first time)."""
        if self._twin is None:
            self._twin = self.browser.new_context(java_script_enabled=True).new_page()
            # A blank document of the live server's origin: no script of Comité ever runs in
            # it. Served once by the test (routing disables the cache, so it stops there).
            blank = f"{urlsplit(page.url).scheme}://{urlsplit(page.url).netloc}/__axe__"
            self._twin.route(
                blank, lambda route: route.fulfill(body="<!doctype html><title>axe</title>")
            )
            self._twin.goto(blank)
            self._twin.unroute(blank)
        html = page.evaluate(
            "() => { const copy = document.documentElement.cloneNode(true);"
            " copy.querySelectorAll('script').forEach(s => s.remove());"
            " return '<!doctype html>' + copy.outerHTML; }"
        )
        self._twin.set_content(html)
        return self._twin
