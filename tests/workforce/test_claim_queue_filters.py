"""The approval queue of an area: how long each claim has waited, its filters (Sub-ICB
location, month, network) and sorts (waiting time, amount), kept across its pages and
after a decision; and clean claims approved together after one confirmation, each through
the same decision as one by one."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import ARRSAllocationFactory, ClaimFactory, ClaimLineFactory
from tests.factories.worlds import line_values
from tests.html import parse
from tests.pages import page_text
from workforce import actions
from workforce.models import ARRSAllocation, Claim, ClaimStatus

D = datetime.date
QUEUE = "/areas/QZ1/claims/"
APPROVE = "/areas/QZ1/claims/approve/"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def waiting_claim(pcn, month, amount, days, **fields):
    """A claim for the month, submitted `days` ago, with one full-time line asking for
    the amount."""
    from tests.factories import PostFactory

    post = PostFactory(pcn=pcn, bare=True)
    return ClaimFactory(
        pcn=pcn,
        month=month,
        status=ClaimStatus.SUBMITTED,
        submitted_at=days_ago(days),
        lines=[line_values(post, amount)],
        **fields,
    )


def allocate(pcn, amount):
    return ARRSAllocationFactory(
        pcn=pcn,
        financial_year=2025,
        weighted_population=Decimal(1000),
        population_date=D(2025, 1, 1),
        rate=Decimal("26.631"),
        amount=Decimal(amount),
    )


@pytest.fixture
def queue(world, reference_data):
    """ICB QZ1's queue: Riverside PCN (Z01) April 2025 £1,000 submitted today, May
    £3,000 yesterday, June £2,000 3 days ago; Hilltop PCN (Z02) June £5,000 10 days ago.
    Each network has £100,000 for 2025/26."""
    riverside, hilltop = world["pcn"], world["other_pcn"]
    allocate(riverside, "100000.00")
    allocate(hilltop, "100000.00")
    return {
        "april": waiting_claim(riverside, D(2025, 4, 1), "1000.00", 0),
        "may": waiting_claim(riverside, D(2025, 5, 1), "3000.00", 1),
        "june": waiting_claim(riverside, D(2025, 6, 1), "2000.00", 3),
        "hilltop": waiting_claim(hilltop, D(2025, 6, 1), "5000.00", 10),
    }


def rows(response):
    """The queue's rows as (network, month, waiting, amount)."""
    table = parse(response.content.decode()).find("table", "nhsuk-table--sortable")
    found = []
    for tr in table.find("tbody").find_all("tr"):
        cells = [td.text.strip() for td in tr.find_all("td")]
        found.append((cells[2], cells[3], cells[1], cells[6]))
    return found


# --- how long each claim has waited, sorting ------------------------------------------


def test_each_claim_says_how_long_it_has_waited(queue, approver_client):
    assert rows(approver_client.get(QUEUE)) == [
        ("Hilltop PCN (U99002)", "June 2025", "10 days", "£5,000.00"),
        ("Riverside PCN (U99001)", "June 2025", "3 days", "£2,000.00"),
        ("Riverside PCN (U99001)", "May 2025", "1 day", "£3,000.00"),
        ("Riverside PCN (U99001)", "April 2025", "today", "£1,000.00"),
    ]


def test_the_queue_sorts_by_waiting_time_and_by_amount(queue, approver_client):
    longest_first = rows(approver_client.get(QUEUE + "?sort=-waiting"))
    assert [r[2] for r in longest_first] == ["10 days", "3 days", "1 day", "today"]
    shortest_first = rows(approver_client.get(QUEUE + "?sort=waiting"))
    assert [r[2] for r in shortest_first] == ["today", "1 day", "3 days", "10 days"]
    largest_first = rows(approver_client.get(QUEUE + "?sort=-claimed"))
    assert [r[3] for r in largest_first] == ["£5,000.00", "£3,000.00", "£2,000.00", "£1,000.00"]
    smallest_first = rows(approver_client.get(QUEUE + "?sort=claimed"))
    assert [r[3] for r in smallest_first] == ["£1,000.00", "£2,000.00", "£3,000.00", "£5,000.00"]


def test_the_download_holds_the_days_waited_as_a_number(queue, approver_client):
    csv = approver_client.get(QUEUE + "?format=csv&sort=-waiting")
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    heading = lines.index(next(line for line in lines if line.startswith("Submitted,")))
    assert lines[heading].split(",")[1] == "Waiting"
    assert [line.split(",")[1] for line in lines[heading + 1 :]] == ["10", "3", "1", "0"]


# --- filters ----------------------------------------------------------------------------


def test_an_icb_queue_filters_by_sub_icb_location_month_and_network(queue, approver_client):
    networks = {r[0] for r in rows(approver_client.get(QUEUE + "?sub_icb=Z02"))}
    assert networks == {"Hilltop PCN (U99002)"}
    june = rows(approver_client.get(QUEUE + "?month=2025-06"))
    assert [(r[0], r[1]) for r in june] == [
        ("Hilltop PCN (U99002)", "June 2025"),
        ("Riverside PCN (U99001)", "June 2025"),
    ]
    riverside = rows(approver_client.get(QUEUE + "?network=U99001&sort=-claimed"))
    assert [r[3] for r in riverside] == ["£3,000.00", "£2,000.00", "£1,000.00"]
    both = rows(approver_client.get(QUEUE + "?network=U99001&month=2025-05"))
    assert [(r[0], r[1]) for r in both] == [("Riverside PCN (U99001)", "May 2025")]


def test_the_filter_form_offers_the_area_s_choices(queue, approver_client):
    page = parse(approver_client.get(QUEUE).content.decode())
    options = {
        select.attrs["name"]: [o.text.strip() for o in select.find_all("option")]
        for select in page.find_all("select")
    }
    assert options == {
        "sub_icb": ["All Sub-ICB locations", "NHS Test ICB - Z01", "NHS Test ICB - Z02"],
        "month": ["All months", "June 2025", "May 2025", "April 2025"],
        "network": ["All networks", "Hilltop PCN (U99002)", "Riverside PCN (U99001)"],
    }
    # A Sub-ICB location's own queue has no Sub-ICB filter, and only its networks.
    page = parse(approver_client.get("/areas/Z01/claims/").content.decode())
    names = {select.attrs["name"]: select for select in page.find_all("select")}
    assert set(names) == {"month", "network"}
    assert [o.text.strip() for o in names["network"].find_all("option")] == [
        "All networks",
        "Riverside PCN (U99001)",
    ]


def test_a_month_filtered_on_stays_chosen_once_its_last_claim_is_decided(
    queue, approver, approver_client
):
    actions.decide_claim(claim=queue["may"], by=approver, approve=True)
    response = approver_client.get(QUEUE + "?month=2025-05")
    assert "No claim is waiting for a decision" in page_text(response)
    options = parse(response.content.decode()).find("select", name="month").find_all("option")
    assert [o.text.strip() for o in options if "selected" in o.attrs] == ["May 2025"]


def test_filters_and_sort_survive_pagination_and_a_decision(world, reference_data, approver_client):
    """Twelve Riverside claims and one of Hilltop: the queue filtered on Riverside, by
    amount, has two pages; page 2's links keep the filter and sort, and a decision from
    page 2 returns there."""
    allocate(world["pcn"], "1000000.00")
    for n in range(12):
        month = D(2025 + (n + 3) // 12, (n + 3) % 12 + 1, 1)
        waiting_claim(world["pcn"], month, f"{1000 + n}.00", n)
    waiting_claim(world["other_pcn"], D(2025, 6, 1), "9999.00", 0)
    here = QUEUE + "?network=U99001&sort=-claimed&page=2"
    response = approver_client.get(here)
    assert [r[3] for r in rows(response)] == ["£1,001.00", "£1,000.00"]
    page = parse(response.content.decode())
    pages = [a.attrs["href"] for a in page.find("nav", "nhsuk-pagination").find_all("a")]
    assert pages and all("network=U99001" in href and "sort=-claimed" in href for href in pages)
    link = next(
        a.attrs["href"]
        for a in page.find("table", "nhsuk-table--sortable").find_all("a")
        if "/decide/" in a.attrs["href"]
    )
    decided = approver_client.post(link, {"decision": "approve", "next": here})
    assert decided["Location"] == here


# --- which claims are clean -------------------------------------------------------------


def adjusted(queue, world, approver):
    """Riverside's July 2025 claim, submitted 2 days ago, correcting its approved April
    claim: not clean."""
    april = actions.decide_claim(claim=queue["april"], by=approver, approve=True)
    line = april.lines.get()
    adjustment = {
        **line_values(line.post, "100.00"), "salary": Decimal("0"), "corrects": line,
        "reason": "Pension was wrong",
    }  # fmt: skip
    return ClaimFactory(
        pcn=april.pcn, month=D(2025, 7, 1), status=ClaimStatus.SUBMITTED,
        submitted_at=days_ago(2), lines=[adjustment],
    )  # fmt: skip


def test_a_claim_with_an_adjustment_or_lines_held_out_is_not_clean(queue, world, approver):
    july = adjusted(queue, world, approver)
    june = queue["june"]
    later = ClaimFactory(pcn=june.pcn, month=june.month, supplement=1)
    ClaimLineFactory(
        claim=later, post=june.lines.get().post, held_from=june, maximum_amount=None,
        reimbursable_amount=Decimal("0"), held_reason="No maximum",
    )  # fmt: skip
    counted = {c.pk: c for c in actions.with_clean_counts(Claim.objects.all())}
    assert "corrects an earlier month" in actions.not_clean_reason(counted[july.pk])
    assert "1 line held out of it" in actions.not_clean_reason(counted[june.pk])
    assert actions.not_clean_reason(counted[queue["hilltop"].pk]) == ""
    assert "approved, not waiting" in actions.not_clean_reason(counted[queue["april"].pk])


def test_only_the_area_s_approvers_see_the_ticks(
    queue, world, approver, approver_client, icb_viewer_client
):
    adjusted(queue, world, approver)
    page = parse(approver_client.get(QUEUE).content.decode())
    ticks = [i.attrs["value"] for i in page.find_all("input", type="checkbox")]
    assert ticks == ["U99002/2025-06", "U99001/2025-06", "U99001/2025-05"]
    assert "Decide on its own: it corrects an earlier month" in page.text
    viewer = parse(icb_viewer_client.get(QUEUE).content.decode())
    assert viewer.find_all("input", type="checkbox") == []
    assert "Approve with others" not in viewer.text
    assert "Approve clean claims together" not in viewer.text


# --- approving clean claims together ----------------------------------------------------


def confirmation(response):
    """What the confirmation page's form posts: each claim with its version."""
    form = parse(response.content.decode()).find("form", action="")
    data = {}
    for field in form.find_all("input"):
        name = field.attrs["name"]
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(field.attrs["value"])
    return data


def test_clean_claims_are_approved_together_after_one_confirmation(
    queue,
    world,
    approver,
    network_manager,
    approver_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    july = adjusted(queue, world, approver)
    back = QUEUE + "?sort=-claimed"
    response = approver_client.get(
        APPROVE,
        {"claim": ["U99002/2025-06", "U99001/2025-06", "U99001/2025-07"], "next": back},
    )
    text = page_text(response)
    assert "Approve 2 claims together" in text
    assert "Hilltop PCN (U99002) June 2025 £5,000.00" in text
    assert "Riverside PCN (U99001) June 2025 £2,000.00" in text
    assert "Total £7,000.00" in text
    assert "Riverside PCN, July 2025: it corrects an earlier month" in text
    data = confirmation(response)
    assert data["claim"] == ["U99002/2025-06", "U99001/2025-06"]
    assert data["next"] == [back]

    with django_capture_on_commit_callbacks(execute=True):
        done = approver_client.post(APPROVE, data)
    assert done.status_code == 302 and done["Location"] == back
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses[queue["hilltop"].pk] == statuses[queue["june"].pk] == ClaimStatus.APPROVED
    assert statuses[july.pk] == ClaimStatus.SUBMITTED
    # Each decision recorded as one made on its own page, and its network e-mailed.
    change = queue["june"].status_changes.last()
    assert (change.status, change.by) == (ClaimStatus.APPROVED, approver)
    assert [m.to for m in mailoutbox] == [[network_manager.email]]  # Riverside's manager
    landed = page_text(approver_client.get(back))
    assert "Approved 2 claims together, £7,000.00 in all" in landed
    # Hilltop PCN has no manager: nobody is said to be e-mailed for it.
    assert "No manager of Hilltop PCN has an e-mail address in PCN Portal" in landed

    # The same confirmation sent again approves nothing, and says why.
    again = approver_client.post(APPROVE, data, follow=True)
    text = page_text(again)
    assert "No claim was approved" in text
    assert "Hilltop PCN, June 2025: The claim for June 2025 is already approved" in text
    assert queue["june"].status_changes.filter(status=ClaimStatus.APPROVED).count() == 1


def test_a_claim_past_its_network_s_allocation_is_left_out(queue, world, approver_client):
    ARRSAllocation.objects.filter(pcn=world["other_pcn"]).update(amount=Decimal("4000.00"))
    response = approver_client.get(APPROVE, {"claim": ["U99002/2025-06", "U99001/2025-06"]})
    text = page_text(response)
    assert "Approve 1 claim together" in text
    assert "Hilltop PCN, June 2025: Approving Hilltop PCN's claim for June 2025 would take" in text
    # Sent anyway, it is refused by the approval's own check.
    approver_client.post(APPROVE, {"claim": ["U99002/2025-06"]})
    assert Claim.objects.get(pk=queue["hilltop"].pk).status == ClaimStatus.SUBMITTED


def test_the_bulk_approval_refuses_a_claim_that_is_not_clean(
    queue, world, approver, network_manager, approver_client
):
    """Sent without the confirmation page (or after the claim changed), a claim with an
    adjustment is left out and named; the clean one beside it is approved."""
    july = adjusted(queue, world, approver)
    response = approver_client.post(
        APPROVE, {"claim": ["U99001/2025-07", "U99001/2025-06"]}, follow=True
    )
    text = page_text(response)
    assert "Approved 1 claim together, £2,000.00 in all: Riverside PCN, June 2025" in text
    assert "Each network's managers have been e-mailed" in text
    assert "Riverside PCN, July 2025: It is not clean: it corrects an earlier month" in text
    july.refresh_from_db()
    assert july.status == ClaimStatus.SUBMITTED


def test_a_claim_changed_since_the_confirmation_is_left_out(queue, approver, approver_client):
    response = approver_client.get(APPROVE, {"claim": ["U99001/2025-06"]})
    data = confirmation(response)
    actions.decide_claim(claim=queue["june"], by=approver, approve=False, note="Wrong hours")
    approver_client.post(APPROVE, data)
    assert Claim.objects.get(pk=queue["june"].pk).status == ClaimStatus.REJECTED


def test_only_approvers_approve_together(queue, icb_viewer_client, network_manager_client):
    data = {"claim": ["U99001/2025-06"]}
    assert icb_viewer_client.post(APPROVE, data).status_code == 403
    assert network_manager_client.post(APPROVE, data).status_code == 404  # not their area
    assert Claim.objects.get(pk=queue["june"].pk).status == ClaimStatus.SUBMITTED


def test_nothing_ticked_goes_back_to_the_queue(queue, approver_client):
    back = QUEUE + "?month=2025-06"
    response = approver_client.get(APPROVE, {"next": back})
    assert response["Location"] == back
    assert "Tick the claims to approve together first" in page_text(approver_client.get(back))


# --- the page stays within its queries ------------------------------------------------


def test_the_queue_s_queries_stay_flat_as_claims_are_added(
    world, reference_data, approver_client, django_assert_max_num_queries
):
    allocate(world["pcn"], "1000000.00")
    for n in range(3):
        waiting_claim(world["pcn"], D(2025, n + 4, 1), "1000.00", n)
    with django_assert_max_num_queries(12) as few:
        approver_client.get(QUEUE + "?sort=-waiting&month=2025-04")
    for n in range(3, 15):
        month = D(2023 + (n + 3) // 12, (n + 3) % 12 + 1, 1)
        waiting_claim(world["pcn" if n % 2 else "other_pcn"], month, "1000.00", n)
    with django_assert_max_num_queries(12) as many:
        approver_client.get(QUEUE + "?sort=-waiting&month=2025-04")
    assert len(page_queries(many)) == len(page_queries(few))


def page_queries(captured):
    """The page's own queries: the session's upkeep (a write when the idle timeout is
    renewed) left out."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
