"""A post's terms change from a day, and its salary is the full-time equivalent.

Hand figures: a full-time clinical pharmacist on £48,000 a year (full-time equivalent),
£5,500 employer NI and £6,700 pension costs £4,000.00 + £458.33 + £558.33 a month on a
claim line (£5,016.67 in a forecast, rounded once), under the 2025/26 maximum of
£66,972 ÷ 12 = £5,581.00 (DOMAIN.md A.1)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tests.pages import date_fields, open_form, page_text
from workforce import actions, budget
from workforce.models import ARRSHours, Claim

D = datetime.date
pytestmark = pytest.mark.django_db


def month_row(pcn, month):
    position = budget.budget_position(pcn, 2025)
    return next(row for row in position.months if row.month == month)


def line_of(pcn, month, by):
    claim = actions.start_claim(pcn=pcn, by=by, month=month)
    return claim.lines.get()


def test_a_pay_rise_from_a_day_leaves_earlier_months_as_they_were(make_post, pcn, network_manager):
    post = make_post("clinical-pharmacist", D(2025, 4, 1))
    # The forecast rounds a month's cost once: £60,200 ÷ 12 = £5,016.67.
    assert month_row(pcn, D(2025, 9, 1)).expected == Decimal("5016.67")

    actions.change_post(
        post=post,
        by=network_manager,
        changes={"annual_salary": Decimal(50400)},
        terms_from=D(2025, 10, 1),
    )

    # September keeps £48,000; October is (£50,400 + £5,500 + £6,700) ÷ 12 = £5,216.67.
    assert month_row(pcn, D(2025, 9, 1)).expected == Decimal("5016.67")
    assert month_row(pcn, D(2025, 10, 1)).expected == Decimal("5216.67")
    assert line_of(pcn, D(2025, 9, 1), network_manager).salary == Decimal("4000.00")
    assert line_of(pcn, D(2025, 10, 1), network_manager).salary == Decimal("4200.00")


def test_hours_changed_in_the_middle_of_a_month_take_each_part_at_its_own_terms(
    make_post, pcn, network_manager
):
    post = make_post("clinical-pharmacist", D(2025, 4, 1))
    actions.change_post(
        post=post,
        by=network_manager,
        changes={"weekly_hours": Decimal(30)},
        terms_from=D(2025, 10, 15),
    )
    line = line_of(pcn, D(2025, 10, 1), network_manager)
    # 14 days at 37.5 hours, 17 at 30: £4,000 × 14/31 + £3,200 × 17/31 = £3,561.29.
    assert line.salary == Decimal("3561.29")
    # The month's hours, weighted by days: (37.5 × 14 + 30 × 17) ÷ 31 = 33.39.
    assert line.weekly_hours == Decimal("33.39")
    # Its maximum: £5,581.00 × 14/31 + £5,581.00 × 0.8 × 17/31, to the penny.
    assert line.maximum_amount == Decimal("4968.89")
    # The network's ARRS hours fall on the 15th.
    kept = dict(ARRSHours.objects.filter(pcn=pcn).values_list("from_date", "weekly_hours"))
    assert kept == {D(2025, 4, 1): Decimal("37.5"), D(2025, 10, 15): Decimal("30")}


def test_a_later_change_keeps_the_terms_changed_before_it(make_post, pcn, network_manager):
    post = make_post("clinical-pharmacist", D(2025, 4, 1))
    actions.change_post(
        post=post,
        by=network_manager,
        changes={"annual_salary": Decimal(50400)},
        terms_from=D(2026, 4, 1),
    )
    actions.change_post(
        post=post,
        by=network_manager,
        changes={"weekly_hours": Decimal(30)},
        terms_from=D(2026, 1, 1),
    )
    periods = [
        (t.first_day, t.weekly_hours, t.annual_salary)
        for t in post.later_terms.order_by("first_day")
    ]
    # The pay rise from April keeps the 30 hours from January.
    assert periods == [
        (D(2026, 1, 1), Decimal("30.00"), Decimal("48000.00")),
        (D(2026, 4, 1), Decimal("30.00"), Decimal("50400.00")),
    ]


def test_a_change_into_an_approved_month_is_refused_naming_the_claim(
    approved, pcn, network_manager
):
    post = approved.lines.get().post
    with pytest.raises(ValidationError) as refused:
        actions.change_post(
            post=post,
            by=network_manager,
            changes={"annual_salary": Decimal(50400)},
            terms_from=D(2025, 4, 15),
        )
    message = " ".join(refused.value.messages)
    assert "approved claim of Riverside PCN for April 2025" in message
    assert "from 1 May 2025 or later" in message
    assert not post.later_terms.exists()
    # From May, after the approved month, it is saved.
    actions.change_post(
        post=post,
        by=network_manager,
        changes={"annual_salary": Decimal(50400)},
        terms_from=D(2025, 5, 1),
    )
    assert post.later_terms.get().first_day == D(2025, 5, 1)


def test_one_person_is_funded_once_on_the_hours_of_each_day(make_post, pcn, network_manager):
    first = make_post(
        "clinical-pharmacist", D(2025, 4, 1), professional_registration="GPhC 2071234"
    )
    second = {"full_name": "Priya Pharmacist", "professional_registration": "GPhC 2071234"}
    with pytest.raises(ValidationError, match="45 hours a week on 1 January 2026"):
        make_post(
            "pharmacy-technician",
            D(2026, 1, 1),
            weekly_hours=Decimal("7.5"),
            afc_band="5",
            **second,
        )
    actions.change_post(
        post=first,
        by=network_manager,
        changes={"weekly_hours": Decimal(30)},
        terms_from=D(2026, 1, 1),
    )
    make_post(
        "pharmacy-technician", D(2026, 1, 1), weekly_hours=Decimal("7.5"), afc_band="5", **second
    )


def test_the_salary_is_full_time_and_the_cost_is_worked_out_from_the_hours(
    make_post, pcn, network_manager
):
    # A clinical pharmacist at 15 hours (0.4 WTE) on £48,000 full-time is paid £19,200:
    # £1,600.00 a month, not £4,000.00 (the whole £48,000 ÷ 12).
    make_post("clinical-pharmacist", D(2025, 4, 1), weekly_hours=Decimal(15))
    line = line_of(pcn, D(2025, 4, 1), network_manager)
    assert line.salary == Decimal("1600.00")


def test_the_form_asks_from_which_day_changed_terms_apply(
    make_post, pcn, network_manager, network_manager_client
):
    post = make_post("clinical-pharmacist", D(2025, 4, 1))
    url = reverse("workforce:post_edit", args=[pcn.code, post.pk])
    data = {**open_form(network_manager_client, url), "annual_salary": "50400"}
    refused = network_manager_client.post(url, data)
    assert refused.status_code == 200
    assert "Enter the first day the new hours, band, pay, zone or funding apply" in (
        page_text(refused)
    )
    assert not post.later_terms.exists()
    saved = network_manager_client.post(url, {**data, **date_fields("terms_from", D(2025, 10, 1))})
    assert saved.status_code == 302
    assert post.later_terms.get().annual_salary == Decimal(50400)
    page = page_text(network_manager_client.get(url))
    assert "Hours and pay, period by period" in page
    assert "1 Apr 2025 to 30 Sep 2025" in page
    assert "£50,400.00 full-time" in page


def test_stored_salaries_become_full_time_equivalents_keeping_the_cost(make_post):
    from importlib import import_module

    migration = import_module("workforce.migrations.0011_post_terms_from_a_day")
    post = make_post(
        "clinical-pharmacist", D(2025, 4, 1), weekly_hours=Decimal(15), annual_salary=28894
    )
    with connection.schema_editor() as editor:
        migration.salaries_to_full_time(None, editor)
    post.refresh_from_db()
    assert post.annual_salary == Decimal("72235.00")
    assert post.actual_salary == Decimal("28894.00")


def test_no_claim_is_changed_by_a_terms_change_after_it(approved, network_manager):
    post = approved.lines.get().post
    actions.change_post(
        post=post,
        by=network_manager,
        changes={"weekly_hours": Decimal(30)},
        terms_from=D(2025, 6, 1),
    )
    line = Claim.objects.get(pk=approved.pk).lines.get()
    assert (line.salary, line.weekly_hours) == (Decimal("4000.00"), Decimal("37.50"))
