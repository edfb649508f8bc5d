"""Property test of one person paid once (issue 25 item 3): whatever posts, hours, dates
and moves between networks a manager enters for one person, the posts the portal saves
never fund them for more than one whole-time post, so their lines in a month never exceed
the month's maximum for 1.0 WTE."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcn_portal.core.dates import month_bounds
from tests.properties import examples
from workforce import actions
from workforce.calculations import monthly_maximum, reimbursed_wte
from workforce.models import ARRSRole, Claim, Post

D = datetime.date
MONTHS = [D(2025, 4, 1), D(2025, 5, 1), D(2025, 6, 1)]
# The clinical pharmacist's 2025/26 maximum, £66,972 a year, is £5,581.00 a month at 1.0 WTE
# whatever the month's length.
FULL_TIME_MONTH = Decimal("5581.00")
HOURS = [Decimal(h) for h in ("7.5", "15", "18.75", "22.5", "30", "37.5", "45")]

a_day = st.integers(min_value=0, max_value=90).map(lambda n: D(2025, 4, 1) + datetime.timedelta(n))
a_post = st.fixed_dictionaries(
    {
        "network": st.integers(0, 1),
        "start": a_day,
        "days": st.one_of(st.none(), st.integers(0, 80)),
        "hours": st.sampled_from(HOURS),
        "registration": st.sampled_from(["GPhC 2071234", "gphc2071234", "2071234"]),
    }
)
# A move: end one of the posts saved so far on a day (a later day, or an earlier one).
a_move = st.tuples(st.integers(0, 5), a_day)


# Each example saves posts: a sixth of the profile's count (20 in the suite, 200 under
# HYPOTHESIS_PROFILE=thorough; tests/properties.py).
@pytest.mark.django_db
@settings(
    max_examples=examples(6),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(posts=st.lists(a_post, min_size=1, max_size=5), moves=st.lists(a_move, max_size=3))
def test_one_persons_lines_never_exceed_one_whole_time_post(
    posts, moves, pcn, world, network_manager, other_manager
):
    networks = [(pcn, network_manager), (world["other_pcn"], other_manager)]
    role = ARRSRole.objects.get(code="clinical-pharmacist")
    with transaction.atomic():
        saved = []
        for p in posts:
            network, by = networks[p["network"]]
            end = None if p["days"] is None else p["start"] + datetime.timedelta(p["days"])
            with contextlib.suppress(ValidationError):
                saved.append(actions.add_post(
                    pcn=network, by=by, role=role, full_name="Priya Pharmacist",
                    professional_registration=p["registration"], employer_type="lead_provider",
                    start_date=p["start"], end_date=end, weekly_hours=p["hours"], afc_band="7",
                    annual_salary=Decimal(70000)))  # fmt: skip
        for n, day in moves:
            if saved:
                post = Post.objects.get(pk=saved[n % len(saved)].pk)
                by = networks[0][1] if post.pcn_id == pcn.pk else networks[1][1]
                with contextlib.suppress(ValidationError):
                    actions.end_post(post=post, by=by, end_date=max(day, post.start_date))
        posts_now = list(Post.objects.select_related("role"))
        for month in MONTHS:
            _check_month(posts_now, month)
        transaction.set_rollback(True)


def _check_month(posts, month):
    """On every day, the person's reimbursed WTE is at most 1.0; the month's lines (the
    maximum each may claim, their reimbursable amounts) at most the month's £5,581.00."""
    first, last = month_bounds(month)
    day = first
    while day <= last:
        in_post = [
            p for p in posts if p.start_date <= day and (p.end_date is None or p.end_date >= day)
        ]
        assert sum(Decimal(p.weekly_hours) for p in in_post) <= 37.5 or len(in_post) == 1
        assert sum(reimbursed_wte(p.weekly_hours) for p in in_post) <= 1
        day += datetime.timedelta(1)
    claim = Claim(month=month)
    lines = [
        actions.line_for(claim, post, salary=Decimal(7000))
        for post in posts
        if monthly_maximum(post, month).days_in_post
    ]
    assert sum(line.maximum_amount for line in lines) <= FULL_TIME_MONTH + _rounding(lines)
    assert sum(line.reimbursable_amount for line in lines) <= FULL_TIME_MONTH + _rounding(lines)


def _rounding(lines):
    """Each line is rounded to the penny on its own (workforce.calculations.money), so n
    lines whose exact maxima add up to the month's can round to a penny more for each line
    past the second (two lines' rounding errors, each under half a penny, cannot make a
    whole one). How the pennies of a person's lines are shared is issue 25 item 10's."""
    return Decimal("0.01") * max(0, len(lines) - 2)
