"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

The fixtures are made available to every test by caremarket/conftest.py."""

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CAREMARKET_CHROMIUM", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Chromium's own network chatter is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []  # what the Content Security Policy blocked: every page must work within it
    page.on("console", lambda message: refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert refused == []


def accessibility_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's serious and critical findings for the page as it is now, and content outside
    every landmark ("region", moderate), which leaves a screen reader's user lost."""
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results if v["impact"] in impacts or v["id"] == "region"
    ]


TOUCHING = """() => {
  const shown = [...document.querySelectorAll('.govuk-button, button')].filter((b) => b.offsetParent !== null)
  const boxes = shown.map((b) => [b.innerText.trim(), b.getBoundingClientRect()])
  const found = []
  boxes.forEach(([name, a], i) => boxes.slice(i + 1).forEach(([other, b]) => {
    const apart = Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom)
    if (apart < 5) found.push(`${name} | ${other}`)
  }))
  return found
}"""


def touching_buttons(page) -> list[str]:
    """Buttons on the page less than 5 px apart: a finger meant for one may press the other."""
    return page.evaluate(TOUCHING)


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    """Enter a date in the GOV.UK date input whose legend is ``legend``, box by box."""
    group = page.get_by_role("group", name=legend)
    for label, value in (("Day", day), ("Month", month), ("Year", year)):
        group.get_by_label(label, exact=True).fill(value)


def sign_in(page, username: str, password: str, *, fresh: bool = False) -> None:
    """Sign in on the page with a password, then give the code from the person's authenticator
    app when Caremarket asks for one (accounts.two_factor; the app is made if they have none)."""
    from caremarket.accounts.models import User
    from caremarket.conftest import authenticator_app, code_from

    if fresh:
        page.context.clear_cookies()
    person = User.objects.filter(username=username).first()  # none: the sign-in is meant to fail
    app = authenticator_app(person) if person else None
    page.goto("/sign-in/")
    page.get_by_label("Email address or username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if app and page.get_by_role("heading", name="Enter the code from your authenticator app").count():
        page.get_by_label("Code").fill(code_from(app))
        page.get_by_role("button", name="Continue").click()
