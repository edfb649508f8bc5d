"""Every main page of a network manager and of a commissioner fits a phone (375 px) and a
desktop (1280 px): the page never scrolls sideways (a wide table scrolls in its own region),
on a desktop a manager's tables fit without scrolling at all, and axe finds nothing at
either width.

The pages are those each persona works in, on the hand-counted area (tests/factories/
worlds.py: hand_counted_area) with Riverside's partners: a claim with its lines, the staff
register, the budget and its chart, a specification and a requirement's forms."""

import pytest

from pcn_portal.core.dates import financial_year_of, today
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/pcn-portal-screenshots/layout"
WIDTHS = (375, 1280)
NETWORK = "/networks/U99001/"


def manager_pages(area):
    year = financial_year_of(today())
    spec = area["spec"]
    requirement = spec.requirements.in_year(year).order_by("code").first()
    services = f"{NETWORK}services/{year}/{spec.code}/"
    return [
        "/",
        NETWORK,
        f"{NETWORK}practices/",
        f"{NETWORK}practices/Z99001/",
        f"{NETWORK}practices/history/",
        f"{NETWORK}clinical-directors/",
        f"{NETWORK}team/",
        f"{NETWORK}governance/",
        f"{NETWORK}partners/",
        f"{NETWORK}workforce/posts/",
        f"{NETWORK}workforce/claims/",
        f"{NETWORK}workforce/claims/{year}-05/",
        f"{NETWORK}workforce/budget/{year}/",
        f"{NETWORK}services/",
        services,
        f"{services}requirements/{requirement.code}/",
        f"{NETWORK}services/care-homes/",
        f"{NETWORK}services/priorities/",
        f"{NETWORK}history/",
    ]


def commissioner_pages(area):
    year = financial_year_of(today())
    return [
        "/",
        "/areas/QZ1/",
        "/areas/QZ1/footprints/",
        "/areas/QZ1/arrs/",
        "/areas/QZ1/services/",
        "/areas/QZ1/claims/",
        "/areas/QZ1/board-pack/",
        "/networks/",
        NETWORK,
        f"{NETWORK}workforce/claims/{year}-05/",
        f"{NETWORK}workforce/budget/{year}/",
        "/directory/",
    ]


# Each table region's caption and how far its table runs past it.
SCROLLED_TABLES = """[...document.querySelectorAll('.app-table-scroll')]
  .filter((region) => region.scrollWidth - region.clientWidth > 4)
  .map((region) => [region.getAttribute('aria-label'), region.scrollWidth - region.clientWidth])"""


def too_wide_and_not_accessible(page, live_server, axe, paths, persona, width, tables_fit=False):
    """Each page's width where it is wider than the screen, and axe's report where it
    finds anything, by address; with `tables_fit`, each table that scrolls in its own
    region as well."""
    page.set_viewport_size({"width": width, "height": 900})
    wide, reports = {}, {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if "/budget/" in path:
            page.wait_for_function("document.getElementById('budget-chart').dataset.drawn")
        scrolled = page.evaluate("document.documentElement.scrollWidth")
        if scrolled > width:
            wide[path] = scrolled
        if tables_fit and (tables := page.evaluate(SCROLLED_TABLES)):
            wide[path] = tables
        results = axe.run(page)
        if results.violations_count:
            reports[path] = results.generate_report()
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=f"{SHOTS}/{persona}-{width}-{name}.png", full_page=True)
    return wide, reports


@pytest.mark.parametrize("width", WIDTHS)
def test_a_network_managers_pages_fit_the_screen(
    page, live_server, network_manager, area, partners, axe, width
):
    log_in(page, live_server, network_manager)
    # On a desktop every table of a manager's pages fits: the staff register, the
    # membership history, the partners, the budget's months and roles, none scrolled off.
    wide, reports = too_wide_and_not_accessible(
        page, live_server, axe, manager_pages(area), "manager", width, tables_fit=width == 1280
    )
    assert wide == {}, f"pages (or their tables) wider than {width} px"
    assert reports == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_commissioners_pages_fit_the_screen(page, live_server, approver, area, axe, width):
    log_in(page, live_server, approver)
    wide, reports = too_wide_and_not_accessible(
        page, live_server, axe, commissioner_pages(area), "commissioner", width
    )
    assert wide == {}, f"pages wider than {width} px"
    assert reports == {}
