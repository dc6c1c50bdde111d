"""Browser journeys in Chromium (Playwright) against pytest-django's live server.

Every page a journey visits goes through `check_page`: axe-core finds no violations, no request
to the service failed or returned an error, the GOV.UK font really loaded and the console has
no errors. Debian's Chromium is used as installed; nothing is downloaded.
"""

import os

# The live server runs in a thread of this process and Playwright's sync API runs an event
# loop in it, which Django's async-safety check would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The root conftest.py shows Fontconfig only the documents' Arimo, for the PDF tests. Chromium
# is a browser as people have it: it keeps the machine's fonts for the characters the GOV.UK
# web font does not carry. (The PDFs name their font by @font-face either way.)
os.environ.pop("FONTCONFIG_FILE", None)

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

from conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
TIMEOUT_MS = 10_000

_axe = Axe()


@dataclass
class Watch:
    """What went wrong on a page since it was last checked."""

    base_url: str
    javascript: bool
    problems: list[str] = field(default_factory=list)
    mirror: Page | None = None  # where axe audits this page's documents if JavaScript is off

    def on_response(self, response: Response) -> None:
        if response.url.startswith(self.base_url) and response.status >= 400:
            self.problems.append(f"{response.status} for {response.request.method} {response.url}")

    def on_request_failed(self, request: Request) -> None:
        if request.url.startswith(self.base_url):
            self.problems.append(f"request failed ({request.failure}): {request.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def on_page_error(self, error: Exception) -> None:
        self.problems.append(f"uncaught script error: {error}")


_watches: dict[int, Watch] = {}


def watch(page: Page, base_url: str, *, javascript: bool = True) -> Page:
    record = Watch(base_url=base_url, javascript=javascript)
    page.on("response", record.on_response)
    page.on("requestfailed", record.on_request_failed)
    page.on("console", record.on_console)
    page.on("pageerror", record.on_page_error)
    page.set_default_timeout(TIMEOUT_MS)
    _watches[id(page)] = record
    return page


def forget_problems(page: Page) -> None:
    """For a response the test expects to be an error (a 404 it asserts on itself)."""
    _watches[id(page)].problems.clear()


def _describe(violation: dict) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"


def _axe_violations(page: Page, record: Watch) -> list[dict]:
    if record.javascript:
        return _axe.run(page).response["violations"]
    # Without JavaScript the page's timers never fire, so axe cannot run in it. Audit the same
    # document, scripts removed, in a page of its own where they can.
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.DOTALL | re.IGNORECASE)
    url = page.url.split("#")[0]
    if record.mirror is None:
        assert page.context.browser is not None
        record.mirror = page.context.browser.new_page()

    def this_document(address: str) -> bool:
        return address.split("#")[0] == url

    record.mirror.route(
        this_document, lambda route: route.fulfill(body=html, content_type="text/html")
    )
    try:
        record.mirror.goto(url)
        return _axe.run(record.mirror).response["violations"]
    finally:
        record.mirror.unroute(this_document)


def check_page(page: Page) -> None:
    """Fail on axe violations, failed or error responses, a missing GOV.UK font, or console
    errors seen since the page was last checked."""
    page.wait_for_load_state("load")
    record = _watches[id(page)]
    where = f"{page.url} ({page.title()})"
    # Scripts run by Playwright itself (axe, the font check) are not blocked by the page's
    # Content-Security-Policy, nor by the context having JavaScript switched off.
    font_loaded = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts].filter(
                f => f.family.includes('GDS Transport') && f.status === 'loaded'
            ).length > 0;
        }"""
    )
    violations = [_describe(v) for v in _axe_violations(page, record)]
    assert not violations, f"axe violations on {where}:\n" + "\n".join(violations)
    problems, record.problems = list(record.problems), []
    assert not problems, f"problems loading {where}:\n" + "\n".join(problems)
    assert font_loaded, f"the GDS Transport font did not load on {where}"


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def browser(django_db_setup, live_server) -> Iterator[Browser]:
    # Closed before the live server and the test database, so that no kept-alive connection
    # from the browser holds a database session while the test database is dropped.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, chromium_sandbox=False, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser, live_server, settings, tmp_path) -> Iterator[Callable[..., Page]]:
    """open_page() gives a page in a fresh browser context: one per person signed in.
    open_page(javascript=False) gives one with JavaScript switched off."""
    settings.MEDIA_ROOT = tmp_path / "media"
    contexts = []

    def open_(*, javascript: bool = True) -> Page:
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript, locale="en-GB"
        )
        contexts.append(context)
        return watch(context.new_page(), live_server.url, javascript=javascript)

    yield open_
    for record in _watches.values():
        if record.mirror is not None:
            record.mirror.close()
    for context in contexts:
        context.close()
    _watches.clear()


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()


def on_my_tasks(url: str) -> bool:
    return urlparse(url).path == "/"


def sign_in(page: Page, user, *, through_the_form: bool = False) -> None:
    """Sign in, landing on My tasks (checked).

    Through the real sign-in page (checked too) when the journey is about signing in:
    `through_the_form=True`. Otherwise the browser is given the session cookie of a session
    made by Django's test client: typing into the form and auditing the same sign-in page
    again in every journey cost about a second each time, some fifty times a run, and told
    us nothing new (test_the_sign_in_page_works_from_the_keyboard and the referral journey
    still sign in through the page)."""
    if through_the_form:
        page.goto("/sign-in/")
        check_page(page)
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(on_my_tasks)
        check_page(page)
        return
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": _watches[id(page)].base_url,
            }
        ]
    )
    page.goto("/")
    page.wait_for_url(on_my_tasks)
    check_page(page)
