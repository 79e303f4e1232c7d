"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

Every test under tests/e2e/ is marked `e2e` (select with `-m e2e`, skip with `-m "not e2e"`).
Helpers for tests: `from tests.e2e.conftest import login, shot`.
"""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

# Playwright's sync API keeps an asyncio loop in this thread; the ORM calls made by the test
# itself (creating users, checking rows) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36")
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(browser, live_server, **context_options) -> Page:
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Uncaught JavaScript errors and CSP refusals are bugs on any page: collected here, checked at teardown.
    page.js_errors = []

    def on_console(msg):
        if msg.type == "error" and "Content Security Policy" in msg.text:
            page.js_errors.append(f"CSP: {msg.text}")

    page.on("pageerror", lambda exc: page.js_errors.append(f"uncaught: {exc}"))
    page.on("console", on_console)
    return page


def _close_page(page: Page) -> None:
    errors = list(page.js_errors)
    page.context.close()
    assert not errors, "JavaScript errors in the browser:\n" + "\n".join(errors)


@pytest.fixture
def page(browser, live_server):
    """A desktop browser tab (zh-CN, 1366x900) in a fresh context (no cookies); base_url is the live server."""
    page = _open_page(browser, live_server, locale="zh-CN", viewport={"width": 1366, "height": 900})
    yield page
    _close_page(page)


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized tab (390x844, touch, mobile user agent), as in WeChat's built-in browser."""
    page = _open_page(browser, live_server, locale="zh-CN", viewport={"width": 390, "height": 844},
                      is_mobile=True, has_touch=True, device_scale_factor=2, user_agent=PHONE_UA)
    yield page
    _close_page(page)


def login(page: Page, live_server, username: str, password: str):
    """Submit the login form; returns the response to the POST (check the outcome in the test)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click("form button[type=submit]")
    return navigation.value


def shot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot as screenshots/<name>.png (name: letters, digits, - and _)."""
    if not re.fullmatch(r"[\w-]+", name):
        raise ValueError(f"bad screenshot name {name!r}")
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
