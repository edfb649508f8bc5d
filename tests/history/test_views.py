"""The network history over every kind of record: each change in words, in a number of
queries that does not depend on the kinds of record a page holds."""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.actions import (
    add_clinical_director,
    add_collaboration,
    add_team_member,
    record_network_agreement,
    update_pcn,
)
from pcn_portal.history.network import SOURCES
from practices.actions import set_network_weighted_population
from services import actions as service_actions
from services.models import LocalPriority
from tests.pages import page_text
from workforce import actions as workforce_actions
from workforce.models import ARRSRole

D = datetime.date
BASE = "/networks/U99001"
PAGE_BUDGET = 12  # queries on a portal page (the project brief's page budget)


def every_kind_of_change(world, manager, superuser):
    """A change to the network and to each kind of record that hangs off it."""
    pcn = world["pcn"]
    update_pcn(pcn=pcn, by=superuser, changes={"footprint_notes": "Approved."})
    add_clinical_director(
        pcn=pcn, by=manager, full_name="Dr Every Kind", profession="gp", start_date=D(2024, 4, 1)
    )
    add_team_member(
        pcn=pcn, by=manager, full_name="Tam Team", role="other", start_date=D(2024, 4, 1)
    )
    add_collaboration(
        pcn=pcn,
        by=manager,
        partner_name="Kind Community Trust",
        partner_kind="other",
        start_date=D(2024, 4, 1),
    )
    record_network_agreement(pcn=pcn, by=manager, financial_year=2025, schedules={1: "signed"})
    set_network_weighted_population(
        pcn=pcn, by=superuser, financial_year=2025, weighted_patients=34567, source="ICB letter"
    )
    post = workforce_actions.add_post(
        pcn=pcn,
        by=manager,
        full_name="Priya Kinds",
        role=ARRSRole.objects.get(code="clinical-pharmacist"),
        employer_type="lead_provider",
        start_date=D(2025, 4, 1),
        weekly_hours=Decimal("37.5"),
        afc_band="7",
        annual_salary=Decimal(48000),
    )
    claim = workforce_actions.start_claim(pcn=pcn, by=manager, month=D(2025, 5, 1))
    line = claim.lines.get()
    workforce_actions.change_line(
        line=line,
        by=manager,
        changes={"salary": Decimal("3999.50"), "weekly_hours": Decimal("30.00")},
    )
    workforce_actions.submit_claim(claim=claim, by=manager, declaration=True)
    workforce_actions.end_post(post=post, by=manager, end_date=D(2025, 9, 30))
    service_actions.align_care_home(
        pcn=pcn,
        by=manager,
        cqc_location_id="1-777777",
        name="KINDLY VIEW HOUSE",
        start_date=D(2025, 4, 1),
        beds=40,
    )
    priority = LocalPriority.objects.get(pcn=pcn)
    service_actions.update_local_priority(
        priority=priority,
        by=manager,
        changes={"title": "Diabetes prevention", "description": "Every practice runs a clinic."},
    )


def test_a_page_of_every_kind_of_record_runs_within_the_page_budget(
    network_manager_client, network_manager, world, superuser, reference_data
):
    every_kind_of_change(world, network_manager, superuser)
    url = f"{BASE}/history/"
    network_manager_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = network_manager_client.get(url)
    page = page_text(response)

    kinds = {s.label for s in SOURCES if f" {s.label} " in f" {page} "}
    assert len(kinds) == len(SOURCES), {s.label for s in SOURCES} - kinds
    assert len(queries) <= PAGE_BUDGET
    # Each change in words, the records named as a person reads them.
    assert "Membership of Test Surgery Z99001 (Z99001)" in page
    assert "Footprint notes: blank → Approved." in page
    assert "Clinical director Dr Every Kind" in page
    assert "Collaboration with Kind Community Trust" in page
    assert "Network Agreement 2025/26 schedule 1" in page
    assert "Weighted population for 2025/26" in page
    assert "Post of Priya Kinds" in page
    assert "Weekly hours: 37.50" in page  # a decimal as it is stored
    assert "End date: blank → 30 September 2025" in page
    assert "Line for Priya Kinds (Clinical pharmacist) in the claim for May 2025" in page
    assert "→ 3999.50" in page and "→ 30.00" in page
    assert "Alignment of Kindly View House" in page
    assert "Beds at Kindly View House in April 2025" in page
    assert "Description: blank → Every practice runs a clinic." in page
    assert "Progress on EHCH-1" in page
    # People by their names, never their logins; records in words, never "record 2".
    assert "Mo Test" in page and "mo.manager" not in page
    assert "Submitted by: blank → Mo Test" in page
    assert not re.search(r"\brecord \d", page), re.search(r".{60}\brecord \d.{20}", page)

    # One kind alone, and the CSV of every kind, say the same.
    posts = page_text(network_manager_client.get(url, {"kind": "claim_lines"}))
    assert "in the claim for May 2025" in posts and "Kindly View" not in posts
    csv = b"".join(network_manager_client.get(url, {"format": "csv"}).streaming_content)
    csv = csv.decode("utf-8-sig")
    assert "Line for Priya Kinds (Clinical pharmacist) in the claim for May 2025" in csv
    assert "End date: blank → 30 September 2025" in csv


def rows_on(response):
    return response.content.decode().split("<tbody")[1].split("</tbody>")[0].count("<tr")


def test_the_pages_of_a_long_history(network_manager_client, network_manager, world):
    for i in range(60):
        add_team_member(
            pcn=world["pcn"], by=network_manager, full_name=f"Member {i:02}", role="other",
            start_date=D(2024, 4, 1),
        )  # fmt: skip
    total = 60 + sum(
        s.events.objects.filter(s.of_pcn(world["pcn"])).count() for s in SOURCES if s.key != "team"
    )
    url = f"{BASE}/history/"
    first = network_manager_client.get(url)
    assert rows_on(first) == 50 and f"Download all {total} rows" in page_text(first)
    with CaptureQueriesContext(connection) as queries:
        second = network_manager_client.get(url, {"page": 2})
    assert len(queries) <= PAGE_BUDGET
    assert rows_on(second) == total - 50
    # Newest first: the first team member is on the last page, the last on the first.
    assert "Member 59" in page_text(first) and "Member 00" not in page_text(first)
    assert "Member 00" in page_text(second) and "Member 59" not in page_text(second)
    # Past the end, the last page; not a number, the first.
    past = network_manager_client.get(url, {"page": 9})
    assert page_text(past) == page_text(second)
    assert page_text(network_manager_client.get(url, {"page": "x"})) == page_text(first)
    only_team = network_manager_client.get(url, {"kind": "team", "page": 2})
    assert rows_on(only_team) == 10 and "Download all 60 rows" in page_text(only_team)


# --- records networks share: a care home, a partner organisation ---------------------------

HILLTOP = "/networks/U99002"


def history_of(client, base):
    return page_text(client.get(f"{base}/history/"))


def test_evidence_is_named_by_the_file_as_uploaded_never_where_or_how_it_is_stored(
    world, network_manager_client
):
    history = history_of(network_manager_client, BASE)
    assert "Evidence alignment-letter.pdf" in history
    assert "File name as uploaded: alignment-letter.pdf" in history
    assert "evidence/U99001/" not in history and "0" * 32 not in history
    assert "Token" not in history and "application/pdf" not in history


def test_a_change_to_a_care_home_shows_in_the_history_of_the_network_holding_it(
    moved_home, world, network_manager_client, other_manager_client, other_manager, superuser
):
    # Meadow View is Hilltop's today; Riverside's alignment ended on 31 March 2026.
    riverside, hilltop = (
        moved_home.alignments.select_related("home", "pcn").get(pcn=world[key])
        for key in ("pcn", "other_pcn")
    )
    service_actions.update_care_home(
        alignment=hilltop, by=other_manager, changes={"name": "MEADOW VIEW NURSING HOME"}
    )
    hilltops = history_of(other_manager_client, HILLTOP)
    assert "Care home details Care home Meadow View Nursing Home Changed" in hilltops
    assert "Name: MEADOW VIEW → MEADOW VIEW NURSING HOME Otto Test" in hilltops
    assert "NURSING HOME" not in history_of(network_manager_client, BASE)

    # A national admin's correction made for Riverside shows in both: Riverside's, for
    # whom it was made, and Hilltop's, which holds the home.
    service_actions.update_care_home(
        alignment=riverside, by=superuser, changes={"postcode": "ZZ2 9ZZ"}
    )
    for history in (
        history_of(network_manager_client, BASE),
        history_of(other_manager_client, HILLTOP),
    ):
        assert "Postcode: ZZ2 2ZZ → ZZ2 9ZZ Nadia National" in history


def test_a_change_to_a_partner_shows_in_every_network_working_with_it(
    partners, network_manager_client, other_manager_client, network_manager, superuser
):
    from networks.actions import correct_record, update_partner_organisation

    shared = partners["shared"]
    shared.name = "Valley Mind Trust"
    correct_record(record=shared, by=superuser)  # a national admin, in admin
    update_partner_organisation(
        partner=partners["own"], by=network_manager, changes={"name": "Riverside Trust"}
    )
    riversides = history_of(network_manager_client, BASE)
    hilltops = history_of(other_manager_client, HILLTOP)
    for history in (riversides, hilltops):
        assert "Partner organisations Partner organisation Valley Mind Trust Changed" in history
        assert "Name: Valley Mental Health Trust → Valley Mind Trust Nadia National" in history
    assert "Name: Riverside Community Trust → Riverside Trust Mo Test" in riversides
    assert "Riverside Trust" not in hilltops  # Riverside's alone
