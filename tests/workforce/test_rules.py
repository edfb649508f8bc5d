"""The rules a post is checked against when saved (DOMAIN.md §3.1, §3.3, A.3)."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ListSizeFactory
from workforce import actions
from workforce.calculations import monthly_maximum
from workforce.models import ARRSRole, Post
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


# --- One person, paid once (issue 25 item 3) ---------------------------------------------

APRIL_2025 = D(2025, 4, 1)
GPHC = "GPhC 2071234"
CP_MONTH = Decimal("5581.00")  # 2025/26 clinical pharmacist £66,972 ÷ 12, 1.0 WTE, April


def cp(start, **fields):
    """A full-time clinical pharmacist post's fields, band 7."""
    return {
        "role": ARRSRole.objects.get(code="clinical-pharmacist"),
        "start_date": start,
        "full_name": "Priya Pharmacist",
        "employer_type": "lead_provider",
        "weekly_hours": Decimal("37.5"),
        "afc_band": "7",
        "annual_salary": Decimal(55000),
        **fields,
    }


def april_maximum(*posts):
    return sum(monthly_maximum(post, APRIL_2025).amount for post in posts)


def test_two_full_time_posts_of_one_registration_in_one_network(pcn, network_manager):
    # Before: two lines of £5,581.00 for one person in April 2025 (£11,162.00). After: the
    # second post is refused, naming the first.
    first = actions.add_post(
        pcn=pcn, by=network_manager, **cp(APRIL_2025, professional_registration=GPHC)
    )
    with pytest.raises(ValidationError) as refused:
        actions.add_post(
            pcn=pcn,
            by=network_manager,
            **cp(
                APRIL_2025, professional_registration="gphc2071234", full_name="Priya  Pharmacist"
            ),
        )
    assert refused.value.messages == [
        "Priya Pharmacist (GPhC 2071234) already has an ARRS-funded Clinical pharmacist post "
        "in this network from 1 April 2025 with no end date, 37.5 hours a week. With this "
        "post they would be funded for 75 hours a week on 1 April 2025, more than one "
        "whole-time post (37.5 hours): ARRS pays for one person at most once, so this post "
        "was not saved. End the other post the day before this one starts, or reduce the "
        "hours."
    ]
    assert list(Post.objects.all()) == [first]
    assert april_maximum(first) == CP_MONTH


def test_a_move_with_a_one_day_overlap_is_refused(pcn, world, network_manager, other_manager):
    # Before: Riverside 1–15 April (15/30 × £5,581 = £2,790.50) and Hilltop from 15 April
    # (16/30 = £2,976.53) paid £5,767.03 against a month's maximum of £5,581.00.
    riverside = actions.add_post(
        pcn=pcn,
        by=network_manager,
        **cp(APRIL_2025, end_date=D(2025, 4, 15), professional_registration=GPHC),
    )
    hilltop = world["other_pcn"]
    with pytest.raises(ValidationError) as refused:
        actions.add_post(
            pcn=hilltop, by=other_manager, **cp(D(2025, 4, 15), professional_registration="2071234")
        )
    # Hilltop's manager cannot see Riverside: only that a post exists, nothing of it.
    message = refused.value.messages[0]
    assert message.startswith(
        "Another network's register has an ARRS-funded post for professional registration "
        "2071234 at the same time as this one"
    )
    for leak in ("Riverside", "RIVERSIDE", "U99001", "Priya", "April", "2025", "Clinical"):
        assert leak not in message
    # After: the move starting the day after the last day claims exactly one month.
    moved = actions.add_post(
        pcn=hilltop, by=other_manager, **cp(D(2025, 4, 16), professional_registration="2071234")
    )
    assert monthly_maximum(riverside, APRIL_2025).amount == Decimal("2790.50")
    assert monthly_maximum(moved, APRIL_2025).amount == Decimal("2790.50")
    assert april_maximum(riverside, moved) == CP_MONTH


def test_someone_who_sees_both_networks_is_told_which_post(pcn, world, network_manager, approver):
    actions.add_post(pcn=pcn, by=network_manager, **cp(APRIL_2025, professional_registration=GPHC))
    with pytest.raises(ValidationError) as refused:
        actions.add_post(
            pcn=world["other_pcn"],
            by=approver,
            **cp(D(2025, 6, 1), weekly_hours=Decimal(10), professional_registration=GPHC),
        )
    assert "post at Riverside PCN from 1 April 2025 with no end date" in refused.value.messages[0]
    assert "47.5 hours a week on 1 June 2025" in refused.value.messages[0]


def test_part_time_posts_of_one_person_up_to_full_time_are_saved(
    pcn, world, network_manager, other_manager
):
    actions.add_post(
        pcn=pcn,
        by=network_manager,
        **cp(APRIL_2025, weekly_hours=Decimal("22.5"), professional_registration=GPHC),
    )
    other = actions.add_post(
        pcn=world["other_pcn"],
        by=other_manager,
        **cp(APRIL_2025, weekly_hours=Decimal(15), professional_registration=GPHC),
    )
    assert other.pk and other.warnings == []
    # 22.5 h = 0.6 WTE (£3,348.60) + 15 h = 0.4 WTE (£2,232.40) = one month's £5,581.00.
    assert april_maximum(*Post.objects.all()) == CP_MONTH


def test_another_register_with_the_same_number_is_another_person(pcn, network_manager):
    actions.add_post(pcn=pcn, by=network_manager, **cp(APRIL_2025, professional_registration=GPHC))
    gp = actions.add_post(
        pcn=pcn,
        by=network_manager,
        **cp(
            D(2025, 5, 1),
            role=ARRSRole.objects.get(code="gp"),
            afc_band="",
            full_name="Dr Who",
            professional_registration="GMC 2071234",
        ),
    )
    assert gp.pk


def test_posts_not_arrs_funded_do_not_count(pcn, network_manager):
    actions.add_post(
        pcn=pcn,
        by=network_manager,
        **cp(APRIL_2025, professional_registration=GPHC, arrs_funded=False),
    )
    assert actions.add_post(
        pcn=pcn, by=network_manager, **cp(APRIL_2025, professional_registration=GPHC)
    ).pk


def test_lengthening_a_post_into_the_next_one_is_refused(pcn, network_manager):
    first = actions.add_post(
        pcn=pcn,
        by=network_manager,
        **cp(APRIL_2025, end_date=D(2025, 6, 30), professional_registration=GPHC),
    )
    actions.add_post(
        pcn=pcn, by=network_manager, **cp(D(2025, 7, 1), professional_registration=GPHC)
    )
    with pytest.raises(ValidationError, match="75 hours a week on 1 July 2025"):
        actions.end_post(post=first, by=network_manager, end_date=D(2025, 7, 31))


def test_the_same_name_without_a_registration_only_warns(pcn, network_manager):
    # Two colleagues can share a name: with no registration to compare, the portal says
    # what it sees and saves.
    actions.add_post(pcn=pcn, by=network_manager, **cp(APRIL_2025))
    second = actions.add_post(pcn=pcn, by=network_manager, **cp(D(2025, 5, 1)))
    assert second.pk
    assert second.warnings == [
        "Priya Pharmacist also has an ARRS-funded Clinical pharmacist post here (from "
        "1 April 2025 with no end date, 37.5 hours a week) with no professional registration "
        "to tell them apart: if they are the same person, they would be funded for 75 hours "
        "a week on 1 May 2025, more than one whole-time post (37.5 hours), and ARRS pays for "
        "one person at most once. If it is the same person, end or correct one of the posts; "
        "if not, add each one's professional registration."
    ]


def test_the_admin_form_refuses_a_clash(pcn, network_manager, superuser):
    from workforce.admin import PostAdminForm

    first = actions.add_post(
        pcn=pcn, by=network_manager, **cp(APRIL_2025, professional_registration=GPHC)
    )
    form_class = type(
        "Form",
        (PostAdminForm,),
        {"user": superuser, "Meta": type("Meta", (), {"model": Post, "exclude": ["synthetic"]})},
    )
    data = {
        f: getattr(first, f)
        for f in (
            "employer_type",
            "weekly_hours",
            "afc_band",
            "annual_salary",
            "annual_employer_ni",
            "annual_employer_pension",
            "london_zone",
        )
    }
    form = form_class(
        data={
            **data,
            "pcn": pcn.pk,
            "staff_member": first.staff_member_id,
            "role": first.role_id,
            "start_date": "2025-05-01",
            "arrs_funded": "on",
        }
    )
    assert not form.is_valid()
    assert "75 hours a week on 1 May 2025" in str(form.non_field_errors())


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_cannot_both_fund_one_person(pcn, world, network_manager,
                                                       other_manager, monkeypatch):  # fmt: skip
    """Each save reads the person's other posts, then waits up to a second for the other
    save to have read them too: without the lock on the registration both would read none
    and both save. With it the second waits for the first to commit, then sees its post."""
    import threading

    from django.db import connection

    from workforce import rules

    read = threading.Barrier(2)
    reading = rules._overlapping_funded

    def slow_reading(post):
        found = reading(post)
        with contextlib.suppress(threading.BrokenBarrierError):
            read.wait(timeout=1)
        return found

    monkeypatch.setattr(rules, "_overlapping_funded", slow_reading)
    outcomes = []

    def save(network, by):
        try:
            actions.add_post(pcn=network, by=by, **cp(APRIL_2025, professional_registration=GPHC))
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(pcn, network_manager)),
        threading.Thread(target=save, args=(world["other_pcn"], other_manager)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[1] == "saved"
    assert "would fund more than one whole-time post" in sorted(outcomes)[0]
    assert Post.objects.count() == 1


# --- Who a role may fund (issue 25 item 9) -----------------------------------------------


GP_START = D(2024, 10, 1)


def gp_post(make_post, start=GP_START, **answers):
    return make_post("gp", start, afc_band="", full_name="Dr Gill", **answers)


ELIGIBLE_GP = {"cct_date": D(2023, 8, 1), "locum": False, "gp_before_scheme": False}


def test_a_gp_within_two_years_of_cct_is_saved(make_post):
    # DOMAIN.md §3.1 / A.3 rule 10: CCT 1 August 2023, post from 1 October 2024 (14 months).
    post = gp_post(make_post, **ELIGIBLE_GP)
    assert post.pk and post.warnings == []


def test_a_gp_more_than_two_years_after_cct_is_refused(make_post):
    with pytest.raises(ValidationError) as refused:
        gp_post(make_post, **{**ELIGIBLE_GP, "cct_date": D(2022, 9, 30)})
    assert refused.value.message_dict["cct_date"][0].startswith(
        "This post starts on 1 October 2024, more than two years after the GP's CCT on "
        "30 September 2022: ARRS funds only GPs within two years of their CCT when the post "
        "starts. Record it as not ARRS-funded ("
    )
    assert not Post.objects.exists()
    # Exactly two years after is within (CCT 1 October 2022).
    assert gp_post(make_post, **{**ELIGIBLE_GP, "cct_date": D(2022, 10, 1)}).pk


@pytest.mark.parametrize("answer", ["locum", "gp_before_scheme"])
def test_a_locum_or_a_gp_already_in_post_is_refused(make_post, answer):
    with pytest.raises(ValidationError) as refused:
        gp_post(make_post, **{**ELIGIBLE_GP, answer: True})
    assert "ARRS does not fund" in refused.value.message_dict[answer][0]


def test_a_gp_not_arrs_funded_needs_no_answers(make_post):
    assert gp_post(make_post, arrs_funded=False, locum=True).pk


def test_gp_answers_not_given_are_asked_for(make_post):
    post = gp_post(make_post)
    assert post.pk
    assert [w.split(":")[0] for w in post.warnings] == [
        "Give the GP's CCT date",
        "Say whether the GP is engaged as a locum",
        "Say whether the GP was already employed as a GP before 1 October 2024",
    ]


def test_from_2026_27_any_gp_may_be_engaged(make_post):
    # A.1 2026/27: the two-year limit is removed.
    assert gp_post(make_post, D(2026, 4, 1), cct_date=D(2010, 1, 1)).warnings == []


def test_the_12_month_rule_of_the_2025_26_nurse_roles(make_post):
    # A.3 rule 11: not for someone employed here in the previous 12 months, unless
    # recruited to a more senior or specialist nursing role.
    with pytest.raises(ValidationError) as refused:
        make_post("new-to-general-practice-nurse", D(2025, 5, 1), afc_band="5",
                  employed_here_in_previous_year=True)  # fmt: skip
    assert refused.value.message_dict["employed_here_in_previous_year"][0].startswith(
        "ARRS does not fund a New-to-general-practice nurse employed by the network or a "
        "member practice in the 12 months before the post"
    )
    senior = make_post(
        "experienced-general-practice-nurse",
        D(2025, 5, 1),
        afc_band="6",
        employed_here_in_previous_year=True,
        more_senior_nursing_role=True,
    )
    assert senior.pk and senior.warnings == []
    unanswered = make_post("healthcare-support-worker", D(2025, 5, 1), afc_band="3",
                           full_name="Hal Support")  # fmt: skip
    assert unanswered.warnings[0].startswith(
        "Say whether the Healthcare support worker was employed by the network or a member "
        "practice in the 12 months before the post"
    )


def test_2019_20_networks_over_100000_are_warned_not_refused(make_post, world):
    # DOMAIN.md A.2 2019/20: 1 WTE clinical pharmacist per network, "more for PCNs over
    # 100k", by how much no source says.
    make_post("clinical-pharmacist", D(2019, 7, 1))
    with pytest.raises(ValidationError, match="the cap is 1"):
        make_post("clinical-pharmacist", D(2019, 8, 1), full_name="Second")
    for practice, patients in zip(world["practices"][:2], (80_000, 20_001), strict=True):
        ListSizeFactory(practice=practice, extract_date=D(2019, 7, 1),
                        registered_patients=patients, bare=True)  # fmt: skip
    second = make_post("clinical-pharmacist", D(2019, 8, 1), full_name="Second")
    assert second.pk
    assert any("Networks of more than 100,000 patients were entitled to more" in w
               for w in second.warnings)  # fmt: skip


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
