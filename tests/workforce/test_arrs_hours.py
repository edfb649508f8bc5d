"""A network's ARRS hours by day (workforce.models.ARRSHours), kept by the database's
triggers on posts: on every day around every change, the hours the area pages read equal
the posts' own sum (Post.objects.arrs().current(day)), whichever way the posts changed.

Riverside's posts, hand-counted: A 37.5 h from 1 April 2024; B 18.75 h from 1 June 2024
to 30 September 2024 (its last day); C 10 h, not ARRS-funded.
"""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from networks.models import PrimaryCareNetwork
from pcn_portal.areas.figures import arrs_hours_on
from tests.factories import PostFactory, PrimaryCareNetworkFactory
from workforce.models import ARRSHours, Post

D = datetime.date
DAYS = [
    D(2024, 3, 31),
    D(2024, 4, 1),
    D(2024, 5, 31),
    D(2024, 6, 1),
    D(2024, 9, 30),
    D(2024, 10, 1),
    D(2025, 6, 30),
    D(2025, 7, 1),
    D(2030, 1, 1),
]

pytestmark = pytest.mark.django_db


def kept(pcn, day):
    """What the area pages read: the network's kept hours on the day (0 when none)."""
    found = PrimaryCareNetwork.objects.filter(pk=pcn.pk).annotate(hours=arrs_hours_on(day))
    return found.values_list("hours", flat=True).get() or Decimal("0")


def summed(pcn, day):
    """The posts' own sum on the day."""
    posts = Post.objects.arrs().current(day).filter(pcn=pcn)
    return posts.aggregate(h=Sum("weekly_hours"))["h"] or Decimal("0")


def assert_kept(*networks):
    for pcn in networks:
        assert [kept(pcn, day) for day in DAYS] == [summed(pcn, day) for day in DAYS], pcn


@pytest.fixture
def riverside():
    pcn = PrimaryCareNetworkFactory()
    a = PostFactory(pcn=pcn, start_date=D(2024, 4, 1), weekly_hours=Decimal("37.5"))
    b = PostFactory(
        pcn=pcn,
        start_date=D(2024, 6, 1),
        end_date=D(2024, 9, 30),
        weekly_hours=Decimal("18.75"),
    )
    c = PostFactory(pcn=pcn, weekly_hours=Decimal("10"), arrs_funded=False)
    return {"pcn": pcn, "a": a, "b": b, "c": c}


def test_the_hours_by_day_as_hand_counted(riverside):
    pcn = riverside["pcn"]
    assert [kept(pcn, day) for day in DAYS] == [
        Decimal("0"),  # before A's first day
        Decimal("37.50"),
        Decimal("37.50"),
        Decimal("56.25"),  # B's first day
        Decimal("56.25"),  # B's last day counts
        Decimal("37.50"),  # the day after it
        Decimal("37.50"),
        Decimal("37.50"),
        Decimal("37.50"),  # C is not ARRS-funded
    ]
    assert_kept(pcn)


def test_a_post_ended_changed_and_funded_anew(riverside):
    a, c = riverside["a"], riverside["c"]
    a.end_date = D(2025, 6, 30)
    a.save()
    assert kept(riverside["pcn"], D(2025, 7, 1)) == Decimal("0")
    a.weekly_hours = Decimal("30")
    a.start_date = D(2024, 5, 1)
    a.save()
    c.arrs_funded = True
    c.save()
    assert_kept(riverside["pcn"])


def test_a_post_moved_to_another_network_counts_there_only(riverside):
    other = PrimaryCareNetworkFactory()
    b = riverside["b"]
    b.pcn = other
    b.save()
    assert kept(other, D(2024, 6, 1)) == Decimal("18.75")
    assert kept(riverside["pcn"], D(2024, 6, 1)) == Decimal("37.50")
    assert_kept(riverside["pcn"], other)


def test_deleted_posts_no_longer_count(riverside):
    riverside["a"].delete()
    assert_kept(riverside["pcn"])
    Post.objects.filter(pcn=riverside["pcn"]).delete()
    assert not ARRSHours.objects.filter(pcn=riverside["pcn"]).exists()
    assert kept(riverside["pcn"], D(2024, 6, 1)) == Decimal("0")


def test_statements_on_many_posts_at_once(riverside):
    """A bulk load and a queryset update (no save() per post) are kept too."""
    other = PrimaryCareNetworkFactory()
    template = riverside["a"]
    Post.objects.bulk_create(
        Post(
            pcn=network,
            staff_member=template.staff_member,
            role=template.role,
            employer_type=template.employer_type,
            start_date=D(2024, 4, 1) + datetime.timedelta(days=30 * i),
            end_date=D(2025, 6, 30) if i % 2 else None,
            weekly_hours=Decimal("7.5") * (i + 1),
            annual_salary=template.annual_salary,
            annual_employer_ni=template.annual_employer_ni,
            annual_employer_pension=template.annual_employer_pension,
        )
        for i, network in enumerate([riverside["pcn"], other] * 3)
    )
    assert_kept(riverside["pcn"], other)
    Post.objects.filter(pcn=other).update(weekly_hours=Decimal("20"))
    assert_kept(riverside["pcn"], other)


def test_a_post_with_no_end_written_as_the_last_day_there_is(riverside):
    a = riverside["a"]
    a.end_date = D(9999, 12, 31)
    a.save()
    assert kept(riverside["pcn"], D(9999, 12, 31)) == Decimal("37.50")
    assert_kept(riverside["pcn"])
