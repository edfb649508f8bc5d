"""The claim's life through the pages: a manager starts, corrects and submits a claim; an
approver rejects it with a reason the network sees; the manager corrects and resubmits;
the approver approves. E-mails go out when the transaction commits."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.actions import assign
from tests.conftest import make_user
from tests.html import parse
from tests.pages import form_data, opened, page_text
from workforce.models import Claim

D = datetime.date


def url(name, *args):
    return reverse(name, args=["U99001", *args])


@pytest.fixture
def post(make_post):
    return make_post("clinical-pharmacist", D(2025, 4, 1), full_name="Priya Pharmacist")


def start(client, month="2025-06"):
    return client.post(url("workforce:claim_start"), {"month": month})


def line_data(**values):
    return {
        "salary": "4000.00",
        "employer_ni": "450.00",
        "employer_pension": "560.00",
        "weekly_hours": "37.5",
        **values,
    }


def test_the_claims_whole_life(
    post,
    allocation,
    network_manager,
    network_manager_client,
    approver,
    approver_client,
    network_viewer_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = network_manager_client
    response = start(client)
    assert response.status_code == 302
    claim = Claim.objects.get(month=D(2025, 6, 1))
    page = client.get(response["Location"]).content.decode()
    assert "Started the claim for June 2025 with 1 line" in page
    assert "Priya Pharmacist" in page
    # The rate row is named: clinical pharmacist 2025/26, national £66,972 (A.1).
    assert "Rate row used: Clinical pharmacist from 1 Apr 2025 to 31 Mar 2026: £66,972" in page

    # The manager enters what was paid and the hours worked.
    response = client.post(url("workforce:claim_line_edit", "2025-06", post.pk), line_data())
    assert response.status_code == 302
    line = claim.lines.get()
    assert line.reimbursable_amount == Decimal("5010.00")

    # Submitting without the declaration is refused.
    response = client.post(url("workforce:claim_submit", "2025-06"), {})
    assert "Tick the declaration to submit the claim" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("workforce:claim_submit", "2025-06"), {"declaration": "on"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert [m.to for m in mailoutbox] == [[approver.email]]
    assert "U99001" in mailoutbox[0].subject

    # Read-only for the network now.
    page = client.get(url("workforce:claim_detail", "2025-06")).content.decode()
    assert "Check and submit" not in page and "read-only" in page
    client.post(url("workforce:claim_line_edit", "2025-06", post.pk), line_data(salary="1.00"))
    line.refresh_from_db()
    assert line.salary == Decimal("4000.00")

    # Viewers and managers cannot decide; the approver sees it in the area's queue.
    assert network_viewer_client.get(url("workforce:claim_decide", "2025-06")).status_code == 403
    assert (
        client.post(url("workforce:claim_decide", "2025-06"), {"decision": "approve"}).status_code
        == 403
    )
    queue = approver_client.get(reverse("areas:claim_queue", args=["Z01"])).content.decode()
    assert "Riverside PCN (U99001)" in queue and "£5,010.00" in queue
    assert "Priya Pharmacist, Clinical pharmacist" in queue  # its lines

    # Rejecting needs a reason.
    decide = url("workforce:claim_decide", "2025-06")
    response = approver_client.post(decide, {"decision": "reject"})
    assert "Say why the claim is rejected" in response.content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = approver_client.post(
            decide, {"decision": "reject", "decision_note": "Pension is 12.5% of salary"}
        )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert [m.to for m in mailoutbox] == [[network_manager.email]]
    assert "Pension is 12.5% of salary" in mailoutbox[0].body

    # The network sees the reason, corrects the line and submits again.
    page = client.get(url("workforce:claim_detail", "2025-06")).content.decode()
    assert "Reason: Pension is 12.5% of salary" in page
    client.post(
        url("workforce:claim_line_edit", "2025-06", post.pk), line_data(employer_pension="500.00")
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("workforce:claim_submit", "2025-06"), {"declaration": "on"})
    claim.refresh_from_db()
    assert claim.status == "submitted"

    # Approved.
    with django_capture_on_commit_callbacks(execute=True):
        response = approver_client.post(decide, {"decision": "approve"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "approved"
    page = client.get(url("workforce:claim_detail", "2025-06")).content.decode()
    history = page[page.index("Status history") :]
    for what in ("Draft", "Submitted", "Rejected: Pension is 12.5% of salary", "Approved"):
        assert what in history
    assert "Ada Test" in history and "Mo Test" in history


def test_two_approvers_at_once_one_wins_the_other_is_told(
    post, allocation, network_manager, approver, approver_client, client, world
):
    from workforce import actions

    claim = actions.start_claim(pcn=world["pcn"], by=network_manager, month=D(2025, 6, 1))
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    second = make_user("bea.approver", first_name="Bea", last_name="Second")
    admin = get_user_model().objects.get(username="persona.admin")
    assign(user=second, by=admin, scope="icb", role="approver", organisation=world["icb"])
    client.force_login(second)

    decide = url("workforce:claim_decide", "2025-06")
    # Both open the claim; the first approves, then the second rejects from the old page.
    page = client.get(decide).content.decode()
    version = page.split('name="version" value="')[1].split('"')[0]
    assert approver_client.post(decide, {"decision": "approve"}).status_code == 302
    response = client.post(
        decide, {"decision": "reject", "decision_note": "Too high", "version": version}
    )
    text = response.content.decode()
    assert (
        "already approved" in text and "Ada Test decided it" in text and "ada.approver" not in text
    )
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == ("approved", approver)


def test_an_approval_past_the_allocation_is_refused_on_the_page(
    post, network_manager, approver_client, world
):
    from tests.factories import ARRSAllocationFactory
    from workforce import actions

    ARRSAllocationFactory(pcn=world["pcn"], financial_year=2025,
                          weighted_population=100, population_date=D(2025, 1, 1),
                          rate=Decimal("26.631"), amount=Decimal("2663.10"))  # fmt: skip
    claim = actions.start_claim(pcn=world["pcn"], by=network_manager, month=D(2025, 6, 1))
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    response = approver_client.post(
        url("workforce:claim_decide", "2025-06"), {"decision": "approve"}
    )
    text = response.content.decode()
    assert "past the network&#x27;s allocation of £2,663.10" in text
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_a_claim_for_a_month_twice_is_refused_with_a_link_to_it(post, network_manager_client, pcn):
    start(network_manager_client)
    response = start(network_manager_client)
    summary = parse(response.content.decode()).find("div", "nhsuk-error-summary")
    assert f"{pcn.display_name} already has a claim for June 2025: open it." in summary.text
    assert summary.find("a").attrs["href"] == url("workforce:claim_detail", "2025-06")
    assert Claim.objects.filter(pcn=pcn).count() == 1


def test_a_claim_started_twice_from_one_form_is_started_once(post, network_manager_client, pcn):
    """A double click on Start claim: the second is answered as the first was."""
    form = opened(network_manager_client, url("workforce:claim_start"))
    data = {**form, "month": "2025-06"}
    first = network_manager_client.post(url("workforce:claim_start"), data)
    again = network_manager_client.post(url("workforce:claim_start"), data, follow=True)
    assert (
        first["Location"] == again.redirect_chain[0][0] == url("workforce:claim_detail", "2025-06")
    )
    text = page_text(again)
    assert "Started the claim for June 2025 with 1 line" in text
    assert "This was already saved" in text
    assert Claim.objects.filter(pcn=pcn).count() == 1


def test_a_month_in_the_address_that_is_not_one_is_not_found(network_manager_client, pcn):
    assert network_manager_client.get(url("workforce:claim_detail", "2025-13")).status_code == 404
    assert network_manager_client.get(url("workforce:claim_detail", "june")).status_code == 404


class TestTheRegister:
    def test_add_a_post_through_the_page(self, network_manager_client, pcn):
        from workforce.models import ARRSRole

        role = ARRSRole.objects.get(code="gp")
        data = {
            "full_name": "Dr Grace Green",
            "role": role.pk,
            "employer_type": "lead_provider",
            "start_date_day": "1", "start_date_month": "4", "start_date_year": "2024",
            "weekly_hours": "30", "afc_band": "", "annual_salary": "73113",
            "annual_employer_ni": "9000", "annual_employer_pension": "10000",
            "london_zone": "national", "arrs_funded": "on",
        }  # fmt: skip
        response = network_manager_client.post(url("workforce:post_add"), data)
        assert "GP posts can be ARRS-funded from 1 October 2024" in response.content.decode()
        data["start_date_month"] = "10"
        response = network_manager_client.post(url("workforce:post_add"), data, follow=True)
        text = response.content.decode()
        assert "Added the GP post of Dr Grace Green." in text
        assert "Dr Grace Green" in text and "0.8" in text

    def test_current_or_all(self, make_post, network_viewer_client):
        make_post("clinical-pharmacist", D(2020, 4, 1), full_name="Long Gone",
                  end_date=D(2021, 3, 31))  # fmt: skip
        make_post("clinical-pharmacist", D(2024, 4, 1), full_name="Still Here")
        current = network_viewer_client.get(url("workforce:post_list")).content.decode()
        assert "Still Here" in current and "Long Gone" not in current
        every = network_viewer_client.get(url("workforce:post_list") + "?show=all").content.decode()
        assert "Long Gone" in every
        assert "Add a post" not in every  # a viewer cannot add

    def test_end_a_post(self, make_post, network_manager_client):
        post = make_post("clinical-pharmacist", D(2024, 4, 1))
        response = network_manager_client.post(
            url("workforce:post_end", post.pk),
            {"end_date_day": "16", "end_date_month": "11", "end_date_year": "2025"},
            follow=True,
        )
        assert "their last day is 16 November 2025" in response.content.decode()
        post.refresh_from_db()
        assert post.end_date == D(2025, 11, 16)

    def test_the_register_downloads(self, make_post, network_viewer_client):
        make_post("clinical-pharmacist", D(2024, 4, 1), full_name="Still Here")
        response = network_viewer_client.get(url("workforce:post_list") + "?format=csv")
        assert b"Still Here" in b"".join(response.streaming_content)

    def test_the_register_shows_the_columns_a_manager_needs_and_downloads_them_all(
        self, make_post, network_viewer_client
    ):
        """On screen the band goes with the role and the London zone is left to the post's
        page, so the columns fit a 1280 px screen; the download keeps every figure."""
        make_post("clinical-pharmacist", D(2024, 4, 1), full_name="Still Here")
        page = parse(network_viewer_client.get(url("workforce:post_list")).content.decode())
        table = page.find("table")
        assert [th.text for th in table.find("thead").find_all("th")] == [
            "Person",
            "Role",
            "Employer",
            "Dates (last day included)",
            "Weekly hours (WTE)",
            "Actual salary and on-costs",
            "ARRS-funded",
        ]
        assert "Clinical pharmacist, band 7" in table.find("tbody").text
        response = network_viewer_client.get(url("workforce:post_list") + "?format=csv")
        heading = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
        columns = ("Role", "AfC band", "London zone", "ARRS-funded",
                   "Full-time equivalent salary", "Actual salary")  # fmt: skip
        for column in columns:
            assert column in heading.split(",")


def grow(make_post, pcn, manager, times):
    from workforce import actions

    for i in range(times):
        make_post("clinical-pharmacist", D(2025, 4, 1), full_name=f"Person {i:03d}")
    for month in (D(2025, 5, 1), D(2025, 6, 1)):
        claim = actions.start_claim(pcn=pcn, by=manager, month=month)
        actions.submit_claim(claim=claim, by=manager, declaration=True)


@pytest.mark.parametrize(
    ("name", "args", "persona"),
    [
        ("workforce:post_list", ["U99001"], "network_viewer_client"),
        ("workforce:claim_list", ["U99001"], "network_viewer_client"),
        ("workforce:claim_detail", ["U99001", "2025-06"], "network_viewer_client"),
        ("workforce:claim_submit", ["U99001", "2025-06"], "network_manager_client"),
        ("workforce:claim_decide", ["U99001", "2025-06"], "approver_client"),
        ("areas:claim_queue", ["QZ1"], "approver_client"),
    ],
)
def test_queries_do_not_grow_with_the_lines(request, make_post, pcn, network_manager, name,
                                            args, persona):  # fmt: skip
    client = request.getfixturevalue(persona)

    def count():
        client.get(reverse(name, args=args))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=args)).status_code == 200
        return len(queries)

    grow(make_post, pcn, network_manager, 2)
    small = count()
    # A submitted claim is kept as it is: rejected, the network may drop it.
    from workforce import actions

    approver = request.getfixturevalue("approver")
    for claim in Claim.objects.all():
        actions.decide_claim(claim=claim, by=approver, approve=False, note="Start again")
    Claim.objects.all().delete()
    grow(make_post, pcn, network_manager, 18)  # 20 posts: ten times as many lines
    assert count() == small


def test_editing_a_post_is_refused_over_a_later_change(
    make_post, network_manager, network_manager_client
):
    from workforce import actions

    post = make_post("clinical-pharmacist", D(2024, 4, 1))
    page = network_manager_client.get(url("workforce:post_edit", post.pk)).content.decode()
    version = page.split('name="version" value="')[1].split('"')[0]
    # Someone ends the post meanwhile.
    actions.end_post(post=post, by=network_manager, end_date=D(2025, 3, 31))
    data = {
        "version": version, "full_name": "Priya Pharmacist", "role": post.role_id,
        "employer_type": "lead_provider", "start_date_day": "1", "start_date_month": "4",
        "start_date_year": "2024", "weekly_hours": "30", "afc_band": "7",
        "annual_salary": "48000", "annual_employer_ni": "5500",
        "annual_employer_pension": "6700", "london_zone": "national", "arrs_funded": "on",
    }  # fmt: skip
    response = network_manager_client.post(url("workforce:post_edit", post.pk), data)
    assert "after you opened it" in response.content.decode()
    post.refresh_from_db()
    assert (post.weekly_hours, post.end_date) == (Decimal("37.5"), D(2025, 3, 31))


def test_a_post_added_after_the_claim_started_gets_its_line(
    make_post, post, network_manager_client
):
    start(network_manager_client)
    make_post("clinical-pharmacist", D(2025, 6, 16), full_name="Late Starter")
    page = network_manager_client.get(url("workforce:claim_detail", "2025-06")).content.decode()
    assert "Add their lines to the claim" in page
    response = network_manager_client.post(url("workforce:claim_add_lines", "2025-06"), follow=True)
    text = response.content.decode()
    assert "Added 1 line to the claim for June 2025." in text
    # 16 to 30 June: 15 of 30 days; 66,972 ÷ 12 × 15 ÷ 30 = £2,790.50 maximum.
    assert "Late Starter" in text and "15 of 30 days" in text and "£2,790.50" in text
    assert Claim.objects.get(month=D(2025, 6, 1)).lines.count() == 2


def test_a_waiting_claim_with_no_submitter_recorded_says_so(pcn, approver_client):
    """A claim that came in with no one named (its submitter's account removed, or loaded
    from elsewhere) still shows in the queue and on its page."""
    import datetime

    from django.utils import timezone

    from tests.factories import ClaimFactory

    ClaimFactory(
        pcn=pcn,
        month=datetime.date(2025, 4, 1),
        status="submitted",
        submitted_at=timezone.now(),
        submitted_by=None,
    )
    queue = approver_client.get(reverse("areas:claim_queue", args=["Z01"]))
    assert queue.status_code == 200
    assert "Not recorded" in queue.content.decode()
    page = approver_client.get(reverse("workforce:claim_detail", args=[pcn.code, "2025-04"]))
    assert page.status_code == 200


# --- adjustments ------------------------------------------------------------------------


def test_a_manager_adds_an_adjustment_the_approver_sees(
    approved, network_manager, network_manager_client, approver_client
):
    """May 2025's draft claim corrects April's approved line by −£16.66: May's claim comes
    to £5,016.66 − £16.66 = £5,000.00."""
    from workforce import actions

    may = actions.start_claim(pcn=approved.pcn, by=network_manager, month=D(2025, 5, 1))
    page = network_manager_client.get(url("workforce:claim_detail", "2025-05"))
    assert "Add an adjustment" in page_text(page)
    adjust = url("workforce:claim_adjust", "2025-05")
    form = network_manager_client.get(adjust)
    assert "April 2025: Priya Pharmacist, Clinical pharmacist (£5,016.66 reimbursed)" in (
        page_text(form)
    )
    response = network_manager_client.post(
        adjust,
        {
            **opened(network_manager_client, adjust),
            "corrects": approved.lines.get().pk,
            "amount": "-16.66",
            "reason": "April's pension was £541.67, not £558.33.",
        },
        follow=True,
    )
    text = page_text(response)
    assert (
        "Added an adjustment of −£16.66 to the claim for May 2025, correcting the line for "
        "Priya Pharmacist in April 2025." in text
    )
    assert "Adjustment: Priya Pharmacist" in text
    assert "corrects the approved line for April 2025 (£5,016.66 reimbursed)" in text
    assert "Reason: April's pension was £541.67, not £558.33." in text
    assert "Total £5,016.66 £5,581.00 £5,000.00" in text  # cost, maximum, claimed

    actions.submit_claim(claim=may, by=network_manager, declaration=True)
    decide = approver_client.get(url("workforce:claim_decide", "2025-05"))
    text = page_text(decide)
    assert "Adjustment: Priya Pharmacist" in text and "−£16.66" in text
    assert "£5,000.00" in text

    # The network's history names the adjustment as such.
    history = page_text(network_manager_client.get(reverse("history:network", args=["U99001"])))
    assert "Adjustment of the approved line for" in history

    # The claim's download carries it, with its signed amount and reason.
    csv = network_manager_client.get(url("workforce:claim_detail", "2025-05") + "?format=csv")
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Person,Role,")
    assert rows[0].endswith("Adjustment of the approved line for,Reason for the adjustment")
    assert any("April 2025" in row and "-16.66" in row and "pension was" in row for row in rows[1:])


# --- the approval queue: where a decision returns, who is linked where ---------------------


@pytest.fixture
def waiting(post, allocation, network_manager):
    """Riverside PCN's June 2025 claim, submitted and waiting in the queues of Z01 and QZ1."""
    from workforce import actions

    claim = actions.start_claim(pcn=allocation.pcn, by=network_manager, month=D(2025, 6, 1))
    return actions.submit_claim(claim=claim, by=network_manager, declaration=True)


def claim_links(response):
    """The addresses the queue's table links each claim to."""
    table = parse(response.content.decode()).find("table", "nhsuk-table--sortable")
    return [a.attrs["href"] for a in table.find_all("a") if "/networks/" in a.attrs["href"]]


def breadcrumb_links(response):
    nav = parse(response.content.decode()).find("nav", "nhsuk-breadcrumb")
    return [(a.text, a.attrs["href"]) for a in nav.find_all("a", "nhsuk-breadcrumb__link")]


def test_a_decision_returns_to_the_queue_it_came_from(waiting, approver_client):
    """Working from the ICB's queue, at its page and sort, the approver comes back there,
    not to the queue of the network's Sub-ICB location."""
    queue = "/areas/QZ1/claims/?sort=-claimed&page=1"
    [link] = claim_links(approver_client.get(queue))
    assert link.startswith(url("workforce:claim_decide", "2025-06") + "?next=")
    decide_page = approver_client.get(link).content.decode()
    back = [a for a in parse(decide_page).find_all("a") if a.text == "Back to the claims to decide"]
    assert [a.attrs["href"] for a in back] == [queue]
    sent = form_data(decide_page)
    assert sent["next"] == queue
    response = approver_client.post(link, {**sent, "decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == queue
    landed = page_text(approver_client.get(response["Location"]))
    assert "Approved the claim of Riverside PCN for June 2025" in landed


@pytest.mark.parametrize(
    "next_url",
    [
        "https://elsewhere.example/areas/QZ1/claims/",  # another site
        "//elsewhere.example/areas/QZ1/claims/",
        "/networks/U99001/",  # this site, but not a queue
        "/areas/QZ1/claims/../../../admin/",
        "javascript:alert(1)",
    ],
)
def test_a_decision_goes_only_to_a_claims_queue_of_this_site(waiting, approver_client, next_url):
    """Any other `next` is not followed: the approver returns to their own area's queue
    (the ICB's, for an ICB approver)."""
    response = approver_client.post(
        url("workforce:claim_decide", "2025-06"), {"decision": "approve", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/areas/QZ1/claims/"


def test_an_icb_viewer_is_linked_to_the_read_only_claim(waiting, icb_viewer_client):
    """The viewer's queue links the claim's own page, which they may read, not the
    decision page, which refuses them."""
    [link] = claim_links(icb_viewer_client.get("/areas/QZ1/claims/"))
    assert link == url("workforce:claim_detail", "2025-06")
    assert icb_viewer_client.get(link).status_code == 200


def test_the_queue_s_breadcrumbs_lead_back_up(waiting, approver_client):
    assert breadcrumb_links(approver_client.get("/areas/QZ1/claims/")) == [
        ("Home", "/"),
        ("NHS Test ICB", "/areas/QZ1/"),
    ]
    assert breadcrumb_links(approver_client.get("/areas/Z01/claims/")) == [
        ("Home", "/"),
        ("NHS Test ICB", "/areas/QZ1/"),
        ("NHS Test ICB - Z01", "/areas/Z01/"),
    ]


def test_managers_without_an_e_mail_address_are_not_said_to_be_e_mailed(
    waiting, network_manager, approver_client, mailoutbox, django_capture_on_commit_callbacks
):
    network_manager.email = ""
    network_manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = approver_client.post(
            url("workforce:claim_decide", "2025-06"), {"decision": "approve"}, follow=True
        )
    text = page_text(response)
    assert mailoutbox == []
    assert "have been e-mailed" not in text
    assert (
        "No manager of the network has an e-mail address in PCN Portal: tell them yourself." in text
    )


def test_managers_with_an_e_mail_address_are_said_to_be_e_mailed(
    waiting, network_manager, approver_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = approver_client.post(
            url("workforce:claim_decide", "2025-06"), {"decision": "approve"}, follow=True
        )
    assert [m.to for m in mailoutbox] == [[network_manager.email]]
    assert "The network's managers have been e-mailed." in page_text(response)
