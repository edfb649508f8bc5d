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
        factories.MembershipFactory(practice=practice, pcn=pcn, end_date=end)
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
    # Every spell is on the page, with its practice chosen.
    practices = large.memberships.values_list("practice__code", flat=True)
    content = page.content.decode()
    assert all(code in content for code in practices)
    assert content.count("selected>") >= 30


@pytest.mark.django_db
def test_claim_change_page_queries_do_not_grow_with_its_lines(login, superuser):
    client = login(superuser)
    small, large = claim_with(2), claim_with(20)
    url = "admin:workforce_claim_change"
    few, _ = queries_for(client, reverse(url, args=[small.pk]))
    many, page = queries_for(client, reverse(url, args=[large.pk]))
    assert many == few
    content = page.content.decode()
    for line in large.lines.select_related("post__staff_member"):
        assert line.post.staff_member.full_name in content


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
