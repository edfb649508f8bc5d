"""An ICB approver's monthly round in the approval queue: decides three claims from page 2
of the queue filtered on one Sub-ICB location and stays on that page of that filter after
each; approves two clean claims of another network together after one confirmation; and
an ICB viewer reads a claim from the queue on its read-only page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def month(n):
    """The nth month from April 2024."""
    return D(2024 + (n + 3) // 12, (n + 3) % 12 + 1, 1)


def queue_of(world):
    """Riverside PCN (Z01): 16 claims, April 2024 to July 2025, £1,000 + n each, the
    oldest submitted first; Hilltop PCN (Z02): June and July 2025, £2,000 and £3,000.
    Each network has £1,000,000 for 2024/25 and for 2025/26."""
    from tests.conftest import _load_reference_data
    from tests.factories import ARRSAllocationFactory, ClaimFactory, PostFactory
    from tests.factories.worlds import line_values
    from workforce.models import ClaimStatus

    _load_reference_data()
    riverside, hilltop = world["pcn"], world["other_pcn"]
    for pcn in (riverside, hilltop):
        for year in (2024, 2025):
            ARRSAllocationFactory(
                pcn=pcn, financial_year=year, weighted_population=Decimal(1000),
                population_date=D(year, 1, 1), rate=Decimal("26.631"),
                amount=Decimal("1000000.00"),
            )  # fmt: skip

    def waiting(pcn, when, amount, days):
        post = PostFactory(pcn=pcn, bare=True)
        ClaimFactory(
            pcn=pcn, month=when, status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.now() - datetime.timedelta(days=days),
            lines=[line_values(post, amount)],
        )  # fmt: skip

    for n in range(16):
        waiting(riverside, month(n), f"{1000 + n}.00", 40 - n)
    waiting(hilltop, D(2025, 6, 1), "2000.00", 5)
    waiting(hilltop, D(2025, 7, 1), "3000.00", 4)


def test_an_approver_keeps_their_place_and_approves_clean_claims_together(
    page, browser, live_server, world, approver, icb_viewer, network_manager, assert_accessible
):
    queue_of(world)
    log_in(page, live_server, approver)
    page.goto(live_server.url + "/areas/QZ1/claims/")
    table = page.get_by_role("table")
    expect(table).to_contain_text("40 days")
    assert_accessible(page)

    # Filtered on Riverside's Sub-ICB location, longest waiting first, page 2.
    page.get_by_label("Sub-ICB location (formerly CCG)").select_option(label="NHS Test ICB - Z01")
    page.get_by_role("button", name="Apply filters").click()
    waiting = table.get_by_role("columnheader", name="Waiting")
    waiting.get_by_role("link").click()
    expect(waiting).to_have_attribute("aria-sort", "descending")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    filtered = page.url
    assert "sub_icb=Z01" in filtered and "sort=-waiting" in filtered
    expect(table.get_by_role("row")).to_have_count(1 + 6)
    expect(table).not_to_contain_text("Hilltop PCN")
    assert_accessible(page)

    # Three decisions from page 2, each returning to page 2 of the same filter and sort.
    for decided in range(1, 4):
        first = table.get_by_role("row").nth(1)
        name = first.get_by_role("cell").nth(3).inner_text()
        first.get_by_role("link", name="Riverside PCN (U99001)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        if decided == 1:
            assert_accessible(page)
        page.get_by_label("Approve the claim").check()
        page.get_by_role("button", name="Record decision").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
            f"Approved the claim of Riverside PCN for {name}"
        )
        assert page.url == filtered
        expect(table.get_by_role("row")).to_have_count(1 + 6 - decided)
        expect(table).not_to_contain_text(name)
    assert_accessible(page)

    # Hilltop's two clean claims, approved together after one confirmation.
    page.goto(live_server.url + "/areas/QZ1/claims/?network=U99002")
    page.get_by_label("Approve Hilltop PCN, June 2025, with the others ticked").check()
    page.get_by_label("Approve Hilltop PCN, July 2025, with the others ticked").check()
    page.get_by_role("button", name="Approve the ticked claims").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve 2 claims together")
    expect(page.get_by_role("table")).to_contain_text("Total £5,000.00")
    assert_accessible(page)
    page.get_by_role("button", name="Approve 2 claims, £5,000.00").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Approved 2 claims together, £5,000.00 in all: Hilltop PCN, June 2025; Hilltop PCN, "
        "July 2025"
    )
    assert page.url.endswith("/areas/QZ1/claims/?network=U99002")
    expect(page.locator(".nhsuk-inset-text")).to_contain_text("No claim is waiting")
    assert_accessible(page)

    # An ICB viewer reads a waiting claim on its read-only page, with no ticks to approve.
    other = browser.new_context()
    viewer_page = other.new_page()
    log_in(viewer_page, live_server, icb_viewer)
    viewer_page.goto(live_server.url + "/areas/QZ1/claims/")
    expect(viewer_page.get_by_role("checkbox")).to_have_count(0)
    viewer_page.get_by_role("link", name="Riverside PCN (U99001)").first.click()
    expect(viewer_page).to_have_url(re.compile(r"/networks/U99001/workforce/claims/\d{4}-\d{2}/$"))
    expect(viewer_page.get_by_role("heading", level=1)).to_contain_text("ARRS claim for")
    assert_accessible(viewer_page)
    other.close()
