"""What if we hire? Posts priced on the budget page's worked example, checked by hand.

The network is the budget's worked example for 2025/26 (budget_year_2025 in
tests/factories/worlds.py), seen on 10 November 2025: allocation £932,085.00, forecast
£77,916.67, so today's headroom is £854,168.33. April's claim is approved and May's
submitted, so a new post does not move those months' forecast (the forecast keeps what was
claimed). The test role's maximum is £60,000 a year nationally to 30 September 2025 and
£66,000 from 1 October; in outer London it is £66,000 all year (the factory's figure).
"""

import datetime
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ARRSRoleFactory, MaximumAmountFactory, PostFactory, RoleCapFactory
from tests.html import parse
from workforce import actions, budget, whatif
from workforce.models import LondonZone

D = datetime.date
URL = "/networks/U99001/workforce/budget/{}/what-if/"
TODAY = Decimal("854168.33")


def terms(role, **given):
    """A full-time national post from 1 April 2025 costing £66,000 a year (£5,500 a
    month), unless told otherwise."""
    return {
        "role": role,
        "afc_band": "7",
        "weekly_hours": Decimal("37.5"),
        "london_zone": LondonZone.NATIONAL,
        "annual_salary": Decimal("54000"),
        "annual_employer_ni": Decimal("5000"),
        "annual_employer_pension": Decimal("7000"),
        "start_date": D(2025, 4, 1),
        "end_date": None,
        **given,
    }


def priced(pcn, year, *candidates):
    return whatif.price(pcn, year, list(candidates))[1]


def by_month(post):
    return {m.month: m for m in post.months}


def test_a_full_year_hire(year_2025):
    """£5,500 a month all year. April–September the maximum is £60,000 ÷ 12 = £5,000, so
    £5,000 is reimbursed; October–March £66,000 ÷ 12 = £5,500 = the cost, all reimbursed.
    Year: 6 × 5,000 + 6 × 5,500 = £63,000 of a cost of 12 × 5,500 = £66,000.
    April and May are claimed, so the forecast gains June–March:
    4 × 5,000 + 6 × 5,500 = £53,000; headroom 854,168.33 − 53,000 = £801,168.33."""
    [post] = priced(year_2025["pcn"], 2025, terms(year_2025["role"]))
    months = by_month(post)
    assert len(months) == 12
    assert months[D(2025, 9, 1)].maximum == Decimal("5000.00")
    assert months[D(2025, 9, 1)].reimbursed == Decimal("5000.00")
    assert months[D(2025, 10, 1)].reimbursed == Decimal("5500.00")
    assert post.cost == Decimal("66000.00")
    assert post.known == Decimal("63000.00")
    assert post.forecast == Decimal("53000.00")
    assert post.headroom_today == TODAY
    assert post.headroom_after == Decimal("801168.33")


def test_the_what_if_agrees_with_the_budget_once_the_post_is_added(year_2025, network_manager):
    """Adding the priced post for real leaves the budget with the headroom the what-if
    said, to the penny."""
    pcn, role = year_2025["pcn"], year_2025["role"]
    [post] = priced(pcn, 2025, terms(role, start_date=D(2025, 11, 17)))
    actions.add_post(
        pcn=pcn, by=network_manager, full_name="New Hire", employer_type="lead_provider",
        **terms(role, start_date=D(2025, 11, 17)),
    )  # fmt: skip
    assert budget.budget_position(pcn, 2025).headroom == post.headroom_after


def test_a_hire_from_the_17th(year_2025):
    """Full time from 17 November 2025, costing £72,000 a year (£6,000 a month).
    November: 14 of 30 days (17th to 30th). Cost 6,000 × 14/30 = £2,800.00. Maximum: the
    £66,000 row from 1 October, running £5,500 a month: to 1 December 2 months = 11,000.00,
    to 17 November 1 + 16/30 months = 8,433.33, so 11,000.00 − 8,433.33 = £2,566.67.
    December–March: cost £6,000, maximum £5,500: 4 × 5,500 = £22,000.
    Reimbursed 2,566.67 + 22,000 = £24,566.67 of a cost of 2,800 + 24,000 = £26,800.00;
    headroom 854,168.33 − 24,566.67 = £829,601.66."""
    [post] = priced(
        year_2025["pcn"],
        2025,
        terms(
            year_2025["role"],
            start_date=D(2025, 11, 17),
            annual_salary=Decimal("60000"),
            annual_employer_ni=Decimal("6000"),
            annual_employer_pension=Decimal("6000"),
        ),
    )
    november = by_month(post)[D(2025, 11, 1)]
    assert (november.days_in_post, november.days_in_month) == (14, 30)
    assert november.cost == Decimal("2800.00")
    assert november.maximum == Decimal("2566.67")
    assert november.reimbursed == Decimal("2566.67")
    assert len(post.months) == 5
    assert post.cost == Decimal("26800.00")
    assert post.known == Decimal("24566.67")
    assert post.headroom_after == Decimal("829601.66")


def test_a_london_post(year_2025):
    """Outer London, full time from 1 August 2025, costing £72,000 a year (£6,000 a month).
    The outer-London maximum is £66,000 all year, £5,500 a month, so August and September
    reimburse £5,500 where a national post gets £5,000. August–March: 8 × 5,500 =
    £44,000 of a cost of 8 × 6,000 = £48,000; headroom 854,168.33 − 44,000 = £810,168.33."""
    london, national = priced(
        year_2025["pcn"],
        2025,
        *(
            terms(
                year_2025["role"],
                london_zone=zone,
                start_date=D(2025, 8, 1),
                annual_salary=Decimal("60000"),
                annual_employer_ni=Decimal("6000"),
                annual_employer_pension=Decimal("6000"),
            )
            for zone in (LondonZone.OUTER, LondonZone.NATIONAL)
        ),
    )
    assert by_month(london)[D(2025, 8, 1)].reimbursed == Decimal("5500.00")
    assert by_month(national)[D(2025, 8, 1)].reimbursed == Decimal("5000.00")
    assert london.cost == Decimal("48000.00")
    assert london.known == Decimal("44000.00")
    assert london.headroom_after == Decimal("810168.33")
    assert national.known == Decimal("43000.00")  # 2 × 5,000 + 6 × 5,500


@pytest.fixture
def lead_role(year_2025):
    """A role capped at one post per network, with a maximum of £48,000 a year, and the
    network's one post of it (full time from 1 April 2025, £48,000 a year: £4,000 a month,
    all reimbursed; June–March in the forecast: 10 × 4,000 = £40,000)."""
    cap = RoleCapFactory(rule="1 test lead per network.", valid_from=D(2022, 10, 1))
    MaximumAmountFactory(role=cap.role, period_start=D(2025, 4, 1), national=48_000)
    PostFactory(
        pcn=year_2025["pcn"],
        role=cap.role,
        start_date=D(2025, 4, 1),
        annual_salary=40_000,
        annual_employer_ni=4_000,
        annual_employer_pension=4_000,
    )
    return cap.role


def test_a_hire_that_meets_a_cap(year_2025, lead_role):
    """A second lead from 1 January 2026 would make 2 posts at once against a cap of 1:
    the register would refuse it, and the page says so, naming the cap. Its figures are
    still shown: January–March 3 × £4,000 = £12,000; headroom today 854,168.33 − 40,000
    (the lead in post) = £814,168.33, after it £802,168.33."""
    [post] = priced(
        year_2025["pcn"],
        2025,
        terms(
            lead_role,
            start_date=D(2026, 1, 1),
            annual_salary=Decimal("40000"),
            annual_employer_ni=Decimal("4000"),
            annual_employer_pension=Decimal("4000"),
        ),
    )
    [cap] = post.caps
    assert (cap.check.peak, cap.check.limit, cap.outcome) == (2, 1, "refused")
    assert cap.message.startswith(
        f"With this post the network would have 2 posts of {lead_role} at once from "
        "1 January 2026; the cap is 1 (1 test lead per network."
    )
    assert post.refused
    assert post.known == Decimal("12000.00")
    assert post.headroom_today == Decimal("814168.33")
    assert post.headroom_after == Decimal("802168.33")


def test_a_hire_inside_a_cap_is_within_it(year_2025, lead_role):
    """With no lead in post, the lead priced would be the network's one: 1 of a cap of 1."""
    year_2025["pcn"].posts.filter(role=lead_role).delete()
    [post] = priced(year_2025["pcn"], 2025, terms(lead_role, start_date=D(2026, 1, 1)))
    [cap] = post.caps
    assert (cap.check.peak, cap.check.limit, cap.outcome) == (1, 1, "within")


def test_a_year_without_maximum_amounts_shows_the_cost_and_not_known(year_2025):
    """A role whose maximum amounts end on 31 March 2026 priced in 2026/27: no maximum is
    published, so what ARRS would reimburse is not known (never £0) and the cost is still
    shown: full time from 1 May 2026 at £30,000 with NI worked out (15% of 30,000 − 5,000 =
    £3,750) and £6,000 pension: £39,750 a year, 11 × 3,312.50 = £36,437.50."""
    role = MaximumAmountFactory(period_start=D(2025, 4, 1), period_end=D(2026, 3, 31)).role
    [post] = priced(
        year_2025["pcn"],
        2026,
        terms(
            role,
            start_date=D(2026, 5, 1),
            annual_salary=Decimal("30000"),
            annual_employer_ni=Decimal("3750"),
            annual_employer_pension=Decimal("6000"),
        ),
    )
    assert all(m.reimbursed is None for m in post.months)
    assert post.cost == Decimal("36437.50")
    assert post.awaiting == Decimal("36437.50")
    assert "No maximum amount is recorded" in post.missing[0]


# --- the page ------------------------------------------------------------------------


def form_fields(role, **given):
    fields = {
        "role": role.code,
        "afc_band": "7",
        "weekly_hours": "37.5",
        "london_zone": "national",
        "annual_salary": "54000",
        "annual_employer_ni": "5000",
        "annual_employer_pension": "7000",
        "start_date_day": "1",
        "start_date_month": "4",
        "start_date_year": "2025",
    }
    return {**fields, **given}


def test_the_budget_page_links_to_the_what_if(year_2025, network_manager_client):
    page = network_manager_client.get("/networks/U99001/workforce/budget/2025/")
    assert URL.format(2025) in page.content.decode()


def test_a_manager_prices_two_posts_side_by_side(year_2025, network_manager_client):
    role = year_2025["role"]
    answer = network_manager_client.get(URL.format(2025), form_fields(role))
    assert answer.status_code == 302
    first = answer.url
    assert "post=" in first
    answer = network_manager_client.get(
        first + "&" + "&".join(
            f"{k}={v}" for k, v in form_fields(role, start_date_day="17",
                                                start_date_month="11").items()
        )
    )  # fmt: skip
    assert answer.status_code == 302
    page = network_manager_client.get(answer.url)
    text = page.content.decode()
    tree = parse(text)

    def cells(name):
        return [cell.text for cell in tree.find_all("td", data_figure=name)]

    # The second from 17 November: 2,566.67 (14 of 30 days of £5,500) + 4 × 5,500.
    assert cells("cost") == ["66,000.00", "24,566.67"]
    assert cells("reimbursed") == ["63,000.00", "24,566.67"]
    assert cells("headroom-today") == ["854,168.33", "854,168.33"]
    assert cells("headroom-after") == ["801,168.33", "829,601.66"]
    assert "Add post 1 to the register" in text
    assert f"/networks/U99001/workforce/posts/add/?role={role.pk}" in text.replace("&amp;", "&")
    assert not year_2025["pcn"].posts.filter(start_date=D(2025, 11, 17)).exists()


def test_the_form_names_what_is_wrong(year_2025, network_manager_client):
    fields = form_fields(year_2025["role"], afc_band="5", annual_employer_ni="")
    page = network_manager_client.get(URL.format(2025), fields)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Choose the band: Test practitioner posts are on band 7" in text
    assert "the portal works it out only for pay from 1 April 2026" in text
    later = ARRSRoleFactory(name="Later role", reimbursable_from=D(2025, 10, 1))
    page = network_manager_client.get(URL.format(2025), form_fields(later))
    assert "Later role posts can be ARRS-funded from 1 October 2025" in page.content.decode()


def test_employer_ni_is_worked_out_from_april_2026(year_2025, network_manager_client):
    fields = form_fields(
        year_2025["role"],
        annual_salary="30000",
        annual_employer_ni="",
        start_date_month="5",
        start_date_year="2026",
    )
    answer = network_manager_client.get(URL.format(2026), fields)
    assert answer.status_code == 302
    assert "~3750.00~" in answer.url  # 15% of (30,000 − 5,000)
    # The test role's £66,000 has no last day, so 2026/27 is priced; a role whose
    # maximum ends on 31 March 2026 is not known there, and never shown as £0.
    role = MaximumAmountFactory(period_start=D(2025, 4, 1), period_end=D(2026, 3, 31)).role
    answer = network_manager_client.get(URL.format(2026), {**fields, "role": role.code})
    tree = parse(network_manager_client.get(answer.url).content.decode())
    assert tree.find("td", data_figure="reimbursed").text.startswith("Not known")
    # 11 months (May–March) of (30,000 + 3,750 + 7,000) ÷ 12 = £3,395.83 each (a month's
    # cost is rounded to the penny, as a claim line's is): 11 × 3,395.83 = £37,354.13.
    assert tree.find("td", data_figure="cost").text == "37,354.13"
    assert tree.find("td", data_figure="awaiting").text == "37,354.13"


def test_an_address_that_is_not_a_post_is_left_out(year_2025, network_viewer_client):
    page = network_viewer_client.get(URL.format(2025), {"post": ["nonsense", "a~b~c"]})
    assert page.status_code == 200
    assert "could not be read" in page.content.decode()


def test_a_viewer_prices_but_is_not_offered_to_add(year_2025, network_viewer_client):
    answer = network_viewer_client.get(URL.format(2025), form_fields(year_2025["role"]))
    page = network_viewer_client.get(answer.url)
    assert page.status_code == 200
    assert "Add post 1" not in page.content.decode()


def test_a_manager_of_another_network_is_refused(year_2025, other_manager_client):
    assert other_manager_client.get(URL.format(2025)).status_code == 404


def test_the_page_keeps_to_the_query_budget(year_2025, lead_role, network_manager_client):
    """The budget page's own 12 queries (4 to load the user and the network, 8 for today's
    position: workforce.budget.budget_position), of which the share rules come with the
    roles (their maximum amounts, caps and share rules, one query), and the network's posts
    of a role whose cap a priced post meets: 13. Four posts cost no more than one."""
    role = year_2025["role"]
    values = []
    for fields in (
        form_fields(lead_role, start_date_month="1", start_date_year="2026"),
        form_fields(role),
        form_fields(role, london_zone="outer"),
        form_fields(role, start_date_day="17", start_date_month="11"),
    ):
        answer = network_manager_client.get(URL.format(2025), {**fields, "post": values})
        values = [unquote(v) for v in re.findall(r"post=([^&]+)", answer.url)]
    assert len(values) == 4

    def count(posts):
        network_manager_client.get(URL.format(2025), {"post": posts})
        with CaptureQueriesContext(connection) as queries:
            page = network_manager_client.get(URL.format(2025), {"post": posts})
        assert page.status_code == 200
        assert "The register would refuse this post" in page.content.decode()
        return len(queries)

    assert count(values) == count(values[:1]) <= 13  # the budget page's 12, and the cap's posts


def test_removing_a_post_keeps_the_others(year_2025, network_manager_client):
    """Two posts priced alike: removing the first leaves the second."""
    answer = network_manager_client.get(URL.format(2025), form_fields(year_2025["role"]))
    value = unquote(re.findall(r"post=([^&]+)", answer.url)[0])
    page = network_manager_client.get(URL.format(2025), {"post": [value, value]})
    tree = parse(page.content.decode())
    [remove] = [a for a in tree.find_all("a") if a.text.startswith("Remove post 1")]
    assert unquote(remove.attrs["href"]).count("post=") == 1
