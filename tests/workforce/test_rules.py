"""The rules a post is checked against when saved (DOMAIN.md §3.1, §3.3, A.3)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ListSizeFactory
from workforce.models import Post
from workforce.rules import role_bands

D = datetime.date


def test_a_gp_post_cannot_be_arrs_funded_before_october_2024(make_post):
    # §3.1: GPs reimbursable from 1 October 2024.
    with pytest.raises(ValidationError) as refused:
        make_post("gp", D(2024, 4, 1), afc_band="")
    assert "from 1 October 2024" in refused.value.message_dict["start_date"][0]
    assert not Post.objects.exists()
    assert make_post("gp", D(2024, 10, 1), afc_band="").pk


def test_not_arrs_funded_may_start_any_time(make_post):
    assert make_post("gp", D(2024, 4, 1), afc_band="", arrs_funded=False).pk


def test_the_band_is_one_of_the_roles(make_post):
    with pytest.raises(ValidationError) as refused:
        make_post("clinical-pharmacist", D(2025, 4, 1), afc_band="5")
    assert refused.value.message_dict["afc_band"] == [
        "Choose the band: Clinical pharmacist posts are on Agenda for Change band 7 or 8a."
    ]


@pytest.mark.parametrize(
    ("bands", "expected"),
    [("7–8a", ["7", "8a"]), ("up to 5", ["1", "2", "3", "4", "5"]), ("4", ["4"]), ("", []),
     ("4–8a", ["4", "5", "6", "7", "8a"])],
)  # fmt: skip
def test_role_bands(bands, expected):
    class Role:
        afc_bands = bands

    assert role_bands(Role()) == expected


def test_a_cap_that_refuses(make_post):
    # §3.3 / A.3 rule 8: one digital and transformation lead per network.
    make_post("digital-and-transformation-lead", D(2025, 4, 1), afc_band="8a")
    with pytest.raises(ValidationError) as refused:
        make_post("digital-and-transformation-lead", D(2025, 9, 1), afc_band="8a",
                  full_name="Second")  # fmt: skip
    assert "the cap is 1" in refused.value.messages[0]
    assert Post.objects.count() == 1


def test_a_successor_after_the_first_leaves_is_within_the_cap(make_post):
    make_post("digital-and-transformation-lead", D(2025, 4, 1), afc_band="8a",
              end_date=D(2025, 8, 31))  # fmt: skip
    assert make_post("digital-and-transformation-lead", D(2025, 9, 1), afc_band="8a").pk


def test_a_cap_the_source_allows_exceptions_to_warns(make_post):
    # A.3 rule 8: pharmacy technicians 1 per network in 2020/21 "unless supply allowed".
    make_post("pharmacy-technician", D(2020, 4, 1), afc_band="5")
    second = make_post("pharmacy-technician", D(2020, 6, 1), afc_band="5", full_name="Second")
    assert any("the cap is 1" in w and "allows exceptions" in w for w in second.warnings)


def test_a_cap_doubles_at_100000_patients(make_post, world):
    # A.3 rule 8: enhanced practice nurses 1 per network, 2 at 100,000 patients or more.
    ListSizeFactory(practice=world["practices"][0], extract_date=D(2024, 3, 1),
                    registered_patients=90_000, bare=True)  # fmt: skip
    make_post("enhanced-practice-nurse", D(2024, 4, 1))
    assert make_post("enhanced-practice-nurse", D(2024, 4, 1), full_name="Second").pk
    with pytest.raises(ValidationError, match="the cap is 2"):
        make_post("enhanced-practice-nurse", D(2024, 4, 1), full_name="Third")


def test_over_37_and_a_half_hours_says_so(make_post):
    post = make_post("clinical-pharmacist", D(2025, 4, 1), weekly_hours=Decimal(40))
    assert post.warnings == [
        "40 hours a week is 1.0667 WTE: ARRS reimburses a post at most as 1.0 WTE (37.5 "
        "hours), so claims for it are capped at 1.0 WTE."
    ]


# --- a post's change never contradicts its claims (issue 25 items 5 and 11) -----------

CLAIMED = (
    "Priya Pharmacist's post as Clinical pharmacist was claimed for in the approved claim of "
    "Riverside PCN for April 2025; {}."
)


def network_url(name, *args):
    from django.urls import reverse

    return reverse(name, args=["U99001", *args])


def test_a_post_cannot_start_after_a_month_it_was_approved_for(approved, network_manager_client):
    """Before: the start moved to 1 May 2025 and April's approved £5,016.66 stood for a
    month the register said the post was not in."""
    from tests.pages import date_fields, open_form, page_text

    post = approved.lines.get().post
    edit = network_url("workforce:post_edit", post.pk)
    data = {**open_form(network_manager_client, edit), **date_fields("start_date", D(2025, 5, 1))}
    response = network_manager_client.post(edit, data)
    assert response.status_code == 200
    assert CLAIMED.format("its days in that month cannot change") in page_text(response)
    post.refresh_from_db()
    assert post.start_date == D(2025, 4, 1)


def test_a_post_cannot_end_before_a_month_it_was_approved_for(approved, network_manager_client):
    """Before: the post ended on 15 April 2025, silently, under a claim for all of April."""
    from tests.pages import date_fields, open_form, page_text

    post = approved.lines.get().post
    end = network_url("workforce:post_end", post.pk)
    data = {**open_form(network_manager_client, end), **date_fields("end_date", D(2025, 4, 15))}
    response = network_manager_client.post(end, data)
    assert CLAIMED.format("its days in that month cannot change") in page_text(response)
    post.refresh_from_db()
    assert post.end_date is None
    # Its last day on 30 April keeps every day claimed.
    data.update(date_fields("end_date", D(2025, 4, 30)))
    assert network_manager_client.post(end, data).status_code == 302
    post.refresh_from_db()
    assert post.end_date == D(2025, 4, 30)


def admin_change(client, post, **changes):
    """Post's admin change form as opened, with `changes`, saved."""
    from django.urls import reverse

    from tests.pages import open_form

    url = reverse("admin:workforce_post_change", args=[post.pk])
    return client.post(url, {**open_form(client, url), **changes})


def test_admin_cannot_move_a_claimed_post_to_another_network(approved, world, login, superuser):
    """Before: the admin's save answered 500 (a KeyError working out the budget)."""

    from tests.pages import page_text

    post = approved.lines.get().post
    response = admin_change(login(superuser), post, pcn=world["other_pcn"].pk)
    assert response.status_code == 200
    assert CLAIMED.format(
        "it stays in that network's register: end it there and add a post at the other network"
    ) in page_text(response)
    post.refresh_from_db()
    assert post.pcn == approved.pcn


def test_admin_cannot_move_a_claimed_posts_start(approved, login, superuser):

    from tests.pages import page_text

    post = approved.lines.get().post
    response = admin_change(login(superuser), post, start_date="2025-04-10")
    assert CLAIMED.format("its days in that month cannot change") in page_text(response)
    post.refresh_from_db()
    assert post.start_date == D(2025, 4, 1)
