"""Admin change pages cost the same number of queries for a small record and a record
ten times its size: a network's membership spells and a claim's lines are read with the
records they show, not one row at a time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

D = datetime.date


def queries_for(client, url):
    client.get(url)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def network_with(spells):
    pcn = factories.PrimaryCareNetworkFactory()
    for i in range(spells):
        practice = factories.PracticeFactory()
        # Half the spells ended, as a network's history has them.
        end = D(2022, 3, 31) if i % 2 else None
        start = D(2019, 7, 1) + datetime.timedelta(days=i)
        factories.MembershipFactory(practice=practice, pcn=pcn, start_date=start, end_date=end)
        if i % 5 == 0:
            factories.ClinicalDirectorFactory(pcn=pcn, practice=practice)
    return pcn


def claim_with(lines):
    claim = factories.ClaimFactory(month=D(2025, 4, 1))
    for _ in range(lines):
        factories.ClaimLineFactory(claim=claim)
    return claim


@pytest.mark.django_db
def test_network_change_page_queries_do_not_grow_with_its_spells(login, superuser):
    client = login(superuser)
    small, large = network_with(3), network_with(30)
    url = "admin:networks_primarycarenetwork_change"
    few, _ = queries_for(client, reverse(url, args=[small.pk]))
    many, page = queries_for(client, reverse(url, args=[large.pk]))
    assert many == few
    # The ten newest spells are on the page, each with its practice chosen, and a link
    # to all 30.
    shown = large.memberships.order_by("-start_date")[:10]
    content = page.content.decode()
    assert all(m.practice.code in content for m in shown)
    assert content.count("selected>") >= 10
    assert "first 10 of its 30" in content
    assert f"pcn__id__exact={large.pk}" in content


@pytest.mark.django_db
def test_claim_change_page_queries_do_not_grow_with_its_lines(login, superuser):
    client = login(superuser)
    small, large = claim_with(2), claim_with(20)
    url = "admin:workforce_claim_change"
    few, _ = queries_for(client, reverse(url, args=[small.pk]))
    many, page = queries_for(client, reverse(url, args=[large.pk]))
    assert many == few
    content = page.content.decode()
    for line in large.lines.select_related("post__staff_member")[:10]:
        assert line.post.staff_member.full_name in content
    assert "first 10 of its 20" in content
    assert f"claim__id__exact={large.pk}" in content


@pytest.mark.django_db
def test_practice_change_page_queries_do_not_grow_with_its_list_sizes(login, superuser):
    client = login(superuser)
    small, large = factories.PracticeFactory(), factories.PracticeFactory()
    for practice, n in ((small, 2), (large, 20)):
        for i in range(n):
            factories.ListSizeFactory(
                practice=practice, extract_date=D(2020 + i // 12, i % 12 + 1, 1)
            )
    url = "admin:practices_practice_change"
    few, _ = queries_for(client, reverse(url, args=[small.pk]))
    many, _ = queries_for(client, reverse(url, args=[large.pk]))
    assert many == few
