"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Under CI=true a missing browser fails the run; elsewhere the browser tests are skipped
with the reason.
"""

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium chromium-driver)"
    for item in items:
        if item.get_closest_marker("browser"):
            if os.environ.get("CI") == "true":
                item.add_marker(pytest.mark.usefixtures("_browser_required"))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _browser_required():
    pytest.fail(f"Chromium is required under CI=true but is not at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def page(page, live_server):
    """A page whose console is watched: a Content-Security-Policy violation fails the test."""
    page.csp_violations = []

    def record(message):
        if "Content Security Policy" in message.text:
            page.csp_violations.append(message.text)

    page.on("console", record)
    page.set_default_timeout(10_000)
    yield page
    assert page.csp_violations == [], "the page broke its Content-Security-Policy"


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe on the page as it is now, at a phone's width (375 px) and a desktop's
    (1280 px), and fail with the violations it reports at either; the page is left at the
    width it had."""

    def _check(page):
        size = page.viewport_size or {"width": 1280, "height": 900}
        widths = [size["width"], *(w for w in AXE_WIDTHS if w != size["width"])]
        try:
            for width in widths:
                page.set_viewport_size({"width": width, "height": size["height"]})
                results = axe.run(page)
                assert results.violations_count == 0, f"At {width} px: {results.generate_report()}"
        finally:
            page.set_viewport_size(size)

    return _check


AXE_WIDTHS = (375, 1280)
