"""The staff register's forms opened by two network managers at once, each in their own
session: the second to save is told who saved first, with their value beside theirs on
every field, whether it lives on the post or on the person in it, and nothing is lost."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import persona
from tests.pages import date_fields, form_data, open_form, page_text
from workforce.models import Post

D = datetime.date


def url(name, *args):
    return reverse(name, args=["U99001", *args])


@pytest.fixture
def post(make_post):
    return make_post(
        "clinical-pharmacist",
        D(2024, 4, 1),
        full_name="Priya Pharmacist",
        professional_registration="GPhC 2071234",
    )


@pytest.fixture
def mo(network_manager_client):
    """Mo Test, a manager of the network, in their own session."""
    return network_manager_client


@pytest.fixture
def bea(co_manager_client):
    """Bea Test, another manager of the same network, in a session of her own."""
    return co_manager_client


def saved(post):
    return Post.objects.select_related("staff_member").get(pk=post.pk)


@pytest.mark.parametrize(
    ("field", "hers", "his"),
    [
        ("full_name", "Priya Patel", "Priya Shah"),
        ("professional_registration", "GPhC 2071235", "GPhC 2079999"),
    ],
)
def test_the_holder_changed_twice_the_second_is_told(post, mo, bea, field, hers, his):
    edit = url("workforce:post_edit", post.pk)
    his_form, her_form = open_form(mo, edit), open_form(bea, edit)

    assert bea.post(edit, {**her_form, field: hers}).status_code == 302
    refused = mo.post(edit, {**his_form, field: his})

    assert refused.status_code == 200
    text = page_text(refused)
    assert "Bea Test saved a change to this post on" in text
    assert "Nothing you entered has been saved" in text
    assert f"Bea Test saved “{hers}” here; yours is “{his}”." in text
    assert getattr(saved(post).staff_member, field) == hers
    # Mo's value is still in the form: saving again keeps it, knowingly.
    again = form_data(refused.content.decode())
    assert again[field] == his
    assert mo.post(edit, again).status_code == 302
    assert getattr(saved(post).staff_member, field) == his


def test_a_name_changed_on_a_form_opened_before_a_salary_change_is_told_not_a_500(post, mo, bea):
    edit = url("workforce:post_edit", post.pk)
    his_form, her_form = open_form(mo, edit), open_form(bea, edit)

    # A correction from the post's first day (its own terms).
    correction = {"annual_salary": "50000", **date_fields("terms_from", D(2024, 4, 1))}
    assert bea.post(edit, {**her_form, **correction}).status_code == 302
    refused = mo.post(edit, {**his_form, "full_name": "Priya Shah"})

    assert refused.status_code == 200
    text = page_text(refused)
    assert "Bea Test saved a change to this post on" in text
    assert "Bea Test saved “50,000.00” here; yours is “48,000.00”." in text
    assert "Bea Test saved “Priya" not in text  # she never changed the name
    assert form_data(refused.content.decode())["full_name"] == "Priya Shah"
    now = saved(post)
    assert (now.annual_salary, now.staff_member.full_name) == (50000, "Priya Pharmacist")


def test_both_records_changed_by_two_people_names_each_beside_their_field(
    post, mo, bea, network_manager
):
    from workforce import actions

    edit = url("workforce:post_edit", post.pk)
    her_form = open_form(bea, edit)
    actions.change_post(post=saved(post), by=network_manager, changes={"weekly_hours": 30})
    actions.change_post(
        post=saved(post),
        by=persona("cy.third", scope="pcn", role="editor", organisation=post.pcn),
        changes={"full_name": "Priya Patel"},
    )
    text = page_text(bea.post(edit, {**her_form, "full_name": "Priya Shah"}))
    assert "Mo Test and Cy Test saved changes to this post on" in text
    assert "Mo Test saved “30.00” here; yours is “37.50”." in text
    assert "Cy Test saved “Priya Patel” here; yours is “Priya Shah”." in text


def test_ending_a_post_twice_the_second_is_told_the_first_last_day(post, mo, bea):
    end = url("workforce:post_end", post.pk)
    his_form, her_form = open_form(mo, end), open_form(bea, end)

    ended = bea.post(end, {**her_form, **date_fields("end_date", D(2025, 11, 30))})
    assert ended.status_code == 302
    refused = mo.post(end, {**his_form, **date_fields("end_date", D(2025, 12, 31))})

    assert refused.status_code == 200
    text = page_text(refused)
    assert "Bea Test saved a change to this post on" in text
    assert "Bea Test saved “30 November 2025” here; yours is “31 December 2025”." in text
    assert saved(post).end_date == D(2025, 11, 30)
    assert mo.post(end, form_data(refused.content.decode())).status_code == 302
    assert saved(post).end_date == D(2025, 12, 31)


def test_ending_a_post_changed_meanwhile_is_told_and_keeps_their_change(post, mo, bea):
    end, edit = url("workforce:post_end", post.pk), url("workforce:post_edit", post.pk)
    his_end = open_form(mo, end)
    fewer_hours = {"weekly_hours": "30", **date_fields("terms_from", D(2024, 4, 1))}
    assert bea.post(edit, {**open_form(bea, edit), **fewer_hours}).status_code == 302

    refused = mo.post(end, {**his_end, **date_fields("end_date", D(2025, 12, 31))})

    text = page_text(refused)
    assert "Bea Test saved a change to this post on" in text
    assert "They also changed what this form does not show, and saving keeps it: " in text
    assert "weekly hours “30.00” (Bea Test)" in text
    assert saved(post).end_date is None
    assert mo.post(end, form_data(refused.content.decode())).status_code == 302
    now = saved(post)
    assert (now.end_date, now.weekly_hours) == (D(2025, 12, 31), Decimal("30"))


def test_adding_the_same_registration_again_shows_why_on_the_form(post, mo):
    """Issue 25 item 3: a manager entering the same pharmacist a second time (the
    registration typed differently) sees the post it clashes with and nothing is saved."""
    add = url("workforce:post_add")
    data = open_form(mo, add)
    data.update(
        full_name="Priya Pharmacist",
        professional_registration="GPHC-2071234",
        role=post.role_id,
        employer_type="lead_provider",
        weekly_hours="37.5",
        afc_band="7",
        annual_salary="55000",
        annual_employer_ni="0",
        annual_employer_pension="0",
        london_zone="national",
        arrs_funded="on",
        **date_fields("start_date", D(2025, 4, 1)),
    )
    answer = mo.post(add, data)
    assert answer.status_code == 200
    assert (
        "Priya Pharmacist (GPhC 2071234) already has an ARRS-funded Clinical pharmacist post "
        "in this network from 1 April 2024 with no end date, 37.5 hours a week. With this "
        "post they would be funded for 75 hours a week on 1 April 2025"
    ) in page_text(answer)
    assert Post.objects.count() == 1


def test_the_post_form_asks_the_eligibility_questions(mo):
    text = page_text(mo.get(url("workforce:post_add")))
    assert "GP's CCT date (GP posts)" in text
    assert "Is the GP engaged as a locum? (GP posts)" in text
    assert "in the 12 months before starting?" in text
