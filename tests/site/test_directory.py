"""The public directory and the JSON API: published data only, for anyone, cacheable."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.models import ClinicalDirector, ImportedExtract, NetworkAgreement
from pcn_portal.directory import public
from practices.models import ListSize, Membership, MembershipSource, Practice
from tests.factories import PrimaryCareNetworkFactory

D = datetime.date


@pytest.fixture
def published(world):
    """The world as ODS publishes it: its spells imported, addresses and postcodes set;
    beside it what the portal holds that is not published (a clinical director, footprint
    notes, an agreement, a spell entered in the portal and a synthetic list size)."""
    Membership.objects.update(source=MembershipSource.ODS)
    postcodes = {"Z99001": "LS1 4AP", "Z99002": "LS12 3QE", "Z99003": "BD7 1DP"}
    for code, postcode in postcodes.items():
        Practice.objects.filter(code=code).update(postcode=postcode, address_line_1="1 HIGH ST")
    pcn = world["pcn"]
    pcn.postcode, pcn.address_line_1 = "LS1 4AP", "RIVERSIDE HOUSE"
    pcn.footprint_notes = "SECRET FOOTPRINT NOTE"
    pcn.save()
    ClinicalDirector.objects.create(
        pcn=pcn, full_name="Dr Hidden Name", profession="gp", start_date=D(2020, 1, 1)
    )
    NetworkAgreement.objects.create(pcn=pcn, financial_year=2025, notes="SECRET AGREEMENT")
    entered = Practice.objects.create(code="Z99009", name="ENTERED SURGERY", postcode="LS1 9ZZ")
    Membership.objects.create(practice=entered, pcn=pcn, start_date=D(2020, 1, 1))
    ListSize.objects.create(
        practice=world["practices"][0],
        extract_date=D(2025, 1, 1),
        registered_patients=99_999,
        synthetic=True,
    )
    ImportedExtract.objects.create(file_name="epcn.xlsx", latest_open_date=D(2024, 1, 1))
    return world


SECRETS = ["SECRET FOOTPRINT NOTE", "Dr Hidden Name", "SECRET AGREEMENT", "Z99009", "99,999"]


class TestDirectory:
    def test_anyone_sees_every_network_without_logging_in(self, client, published):
        response = client.get("/directory/")
        assert response.status_code == 200
        page = response.content.decode()
        for text in ["U99001", "Riverside PCN", "U99002", "NHS Test ICB - Z01", "Test Region"]:
            assert text in page, text
        assert "33,000" in page  # 12,000 + 21,000 published; not the synthetic 99,999

    def test_nothing_unpublished_shows(self, client, published):
        pages = [
            client.get(url).content.decode()
            for url in ["/directory/", "/directory/U99001/", "/directory/areas/Z01/"]
        ]
        pages += [
            client.get(url).content.decode()
            for url in ["/api/v1/networks/", "/api/v1/networks/U99001/"]
        ]
        for page in pages:
            for secret in SECRETS:
                assert secret not in page, secret

    @pytest.mark.parametrize(
        "query, found, not_found",
        [
            ("riverside", "U99001", "U99002"),
            ("u99002", "U99002", "U99001"),
            ("Z99003", "U99002", "U99001"),
            ("surgery z99002", "U99001", "U99002"),
            ("LS12", "U99001", "U99002"),  # a postcode district of a member practice
            ("bd7", "U99002", "U99001"),
        ],
    )
    def test_search(self, client, published, query, found, not_found):
        page = client.get("/directory/", {"q": query}).content.decode()
        assert found in page and not_found not in page

    def test_a_district_is_not_a_prefix_of_another(self, client, published):
        page = client.get("/directory/", {"q": "LS"}).content.decode()
        assert "No network matches" in page

    def test_filters_by_area(self, client, published):
        page = client.get("/directory/", {"sub_icb": "Z02"}).content.decode()
        assert "U99002" in page and "U99001" not in page
        assert "U99001" in client.get("/directory/", {"icb": "QZ1"}).content.decode()

    def test_downloads(self, client, published):
        response = client.get("/directory/", {"format": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["ODS code"]: r["Registered patients"] for r in rows} == {
            "U99001": "33000",
            "U99002": "9000",
        }

    def test_a_networks_public_page(self, client, published):
        page = client.get("/directory/U99001/").content.decode()
        assert "Riverside House" in page and "Z99001" in page and "Z99002" in page
        assert client.get("/directory/U00000/").status_code == 404

    def test_the_fact_sheet_prints_and_downloads(self, client, published):
        page = client.get("/directory/areas/Z01/").content.decode()
        assert "Riverside PCN" in page and "Z99001" in page and "Hilltop" not in page
        assert 'media="print"' in page
        assert client.get("/directory/areas/NOPE1/").status_code == 404
        response = client.get("/directory/areas/Z01/", {"format": "xlsx"})
        assert response["Content-Disposition"].startswith('attachment; filename="Z01-')
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [c.value for row in workbook.active.iter_rows() for c in row]
        assert "Z99001" in cells and "Riverside PCN" in cells and "Z99003" not in cells

    def test_pages_are_cacheable_with_an_etag_from_the_last_import(self, client, published):
        response = client.get("/directory/")
        assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
        etag = response["ETag"]
        assert client.get("/directory/", HTTP_IF_NONE_MATCH=etag).status_code == 304
        ImportedExtract.objects.create(file_name="epcn2.xlsx", latest_open_date=D(2024, 2, 1))
        again = client.get("/directory/", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 200 and again["ETag"] != etag

    def test_a_signed_in_user_gets_their_own_etag(self, client, published, outsider_client):
        assert client.get("/directory/")["ETag"] != outsider_client.get("/directory/")["ETag"]

    def test_a_signed_in_users_page_is_never_kept_by_a_shared_cache(
        self, client, published, outsider_client
    ):
        """The page names the user in its header: only their browser may keep it."""
        for url in ["/directory/", "/directory/U99001/", "/directory/areas/Z01/"]:
            anonymous = client.get(url)
            assert "public" in anonymous["Cache-Control"], url
            signed_in = outsider_client.get(url)
            assert "Olive Outsider" in signed_in.content.decode()
            assert "public" not in signed_in["Cache-Control"], url
            assert "private" in signed_in["Cache-Control"], url
            assert "Cookie" in signed_in["Vary"], url

    @pytest.mark.parametrize(
        "query, found, not_found",
        [
            ("LS12 3QE", "U99001", "U99002"),  # a member practice's full postcode
            ("ls123qe", "U99001", "U99002"),  # without its space, in small letters
            ("BD7 1DP", "U99002", "U99001"),
            ("Hexham", "U99002", "U99001"),  # the town on an address line
        ],
    )
    def test_search_by_full_postcode_and_town(self, client, published, query, found, not_found):
        Practice.objects.filter(code="Z99003").update(address_line_4="HEXHAM")
        page = client.get("/directory/", {"q": query}).content.decode()
        assert found in page and not_found not in page

    def test_a_street_name_is_not_a_town(self, client, published):
        page = client.get("/directory/", {"q": "High"}).content.decode()
        assert "No network matches" in page

    def test_registered_patients_say_when_they_are_from(self, client, published):
        network = client.get("/directory/U99001/").content.decode()
        assert "Registered patients at 1 January 2024" in network
        assert "the latest extract held being 1 January 2024" in network
        listed = client.get("/directory/").content.decode()
        assert "the latest extract held being 1 January 2024" in listed
        sheet = client.get("/directory/areas/Z01/").content.decode()
        assert "the latest extract held being 1 January 2024" in sheet
        # Not the synthetic figure of 1 January 2025.
        assert "1 January 2025" not in network + listed + sheet


class TestFrontDoor:
    def test_someone_not_logged_in_finds_the_public_pages(self, client, published):
        response = client.get("/")
        assert response.status_code == 200
        page = response.content.decode()
        for link in ['href="/directory/"', 'href="/directory/areas/"', 'href="/directory/api/"',
                     'href="/accounts/login/"']:  # fmt: skip
            assert link in page, link
        assert "Your networks" not in page

    def test_a_signed_in_user_sees_their_networks(self, network_manager_client):
        page = network_manager_client.get("/").content.decode()
        assert "Your networks" in page and "Riverside PCN" in page

    def test_the_login_page_leads_to_the_public_pages(self, client, published):
        page = client.get("/accounts/login/").content.decode()
        assert 'href="/directory/"' in page and 'href="/directory/api/"' in page

    def test_every_area_has_its_fact_sheet_listed(self, client, published):
        page = client.get("/directory/areas/").content.decode()
        assert 'href="/directory/areas/Z01/"' in page and 'href="/directory/areas/Z02/"' in page
        assert "Test Region" in page and "NHS Test ICB" in page

    def test_the_api_is_documented_field_by_field(self, client, published):
        page = client.get("/directory/api/").content.decode()
        for field in [*public.NETWORK_FIELDS, *public.PRACTICE_FIELDS]:
            assert f"<code>{field}</code>" in page, field
        assert 'href="/api/v1/networks/"' in page


class TestApi:
    def test_the_list(self, client, published):
        data = client.get("/api/v1/networks/").json()
        assert data["count"] == 2 and data["page"] == 1 and data["next"] is None
        riverside = next(n for n in data["results"] if n["code"] == "U99001")
        assert riverside["registered_patients"] == 33_000
        assert riverside["member_practices"] == 2
        assert riverside["sub_icb_location"] == {"code": "Z01", "name": "NHS Test ICB - Z01"}
        assert riverside["icb"]["code"] == "QZ1" and riverside["region"]["code"] == "Y99"
        assert riverside["url"].endswith("/api/v1/networks/U99001/")

    def test_one_network_with_its_practices(self, client, published):
        data = client.get("/api/v1/networks/U99001/").json()
        assert [p["code"] for p in data["practices"]] == ["Z99001", "Z99002"]
        assert data["practices"][0]["registered_patients"] == 12_000
        assert data["practices"][0]["postcode"] == "LS1 4AP"
        assert data["practices"][0]["member_since"] == "2019-07-01"

    def test_search_and_pages(self, client, published):
        for _n in range(120):
            PrimaryCareNetworkFactory(lead_commissioner=published["sub_icb"])
        first = client.get("/api/v1/networks/", {"sub_icb": "Z01"}).json()
        assert first["count"] == 121 and first["pages"] == 2 and len(first["results"]) == 100
        second = client.get(first["next"]).json()
        assert len(second["results"]) == 21 and second["previous"]
        assert client.get("/api/v1/networks/", {"q": "LS12"}).json()["count"] == 1

    def test_errors_are_json(self, client, published):
        missing = client.get("/api/v1/networks/U00000/")
        assert missing.status_code == 404 and "U00000" in missing.json()["error"]
        bad = client.get("/api/v1/networks/", {"region": "Y00"})
        assert bad.status_code == 400 and "region" in bad.json()["errors"]
        for response in (missing, bad):
            assert "public" not in response["Cache-Control"]

    def test_an_address_the_api_does_not_have_is_a_json_404(self, client, published):
        for url in ["/api/v1/practices/", "/api/v1/networks/U99001/practices/", "/api/v2/"]:
            response = client.get(url)
            if url.startswith("/api/v1/"):
                assert response.status_code == 404, url
                assert response["Content-Type"] == "application/json", url
                assert "documentation" in response.json(), url
                assert "public" not in response["Cache-Control"], url
        assert set(client.get("/api/v1/").json()) == {"networks", "documentation"}

    @pytest.mark.parametrize("page", ["0", "-1", "3", "99999", "two", "1.5"])
    def test_a_page_past_the_ends_is_refused(self, client, published, page):
        response = client.get("/api/v1/networks/", {"page": page})
        assert response.status_code == 400
        message = response.json()["errors"]["page"][0]["message"]
        assert message.startswith("Enter a whole number of a page from 1 to 1")

    def test_head_is_answered_and_writes_are_refused_in_json(self, client, published):
        head = client.head("/api/v1/networks/U99001/")
        assert head.status_code == 200 and head.content == b""
        for method in (client.post, client.put, client.delete):
            response = method("/api/v1/networks/")
            assert response.status_code == 405
            assert "read-only" in response.json()["error"]
            assert response["Allow"] == "GET, HEAD"

    def test_figures_carry_their_date(self, client, published):
        network = client.get("/api/v1/networks/U99001/").json()
        assert network["registered_patients_at"] == "2024-01-01"
        assert network["practices"][0]["registered_patients_at"] == "2024-01-01"

    def test_the_fields_are_the_published_ones(self, client, published):
        """Every field the API gives is in the list of published fields, each with where
        ODS (or NHS England's list-size publication) publishes it."""
        network = client.get("/api/v1/networks/U99001/").json()
        assert set(network) == set(public.NETWORK_FIELDS) | {"practices"}
        assert set(network["practices"][0]) == set(public.PRACTICE_FIELDS)
        listed = client.get("/api/v1/networks/").json()["results"][0]
        assert set(listed) == set(public.NETWORK_FIELDS) | {"url"}
        for area in ("sub_icb_location", "icb", "region"):
            assert set(network[area]) == set(public.AREA_FIELDS)
        for source in [*public.NETWORK_FIELDS.values(), *public.PRACTICE_FIELDS.values()]:
            assert source.startswith(("ePCN", "epraccur", "ODS", "NHS England Patients")), source

    def test_the_directory_table_shows_only_published_fields(self, client, published):
        from pcn_portal.directory.views import DirectoryTable, FactSheetTable, MemberTable

        headings = {
            DirectoryTable: {
                "ODS code", "Network", "Sub-ICB location (formerly CCG)", "Sub-ICB location code",
                "ICB", "ICB code", "Region", "Member practices", "Registered patients",
            },
            MemberTable: {
                "ODS code", "Practice", "Address", "Postcode", "Member since",
                "Registered patients", "Registered patients at",
            },
            FactSheetTable: {
                "Network code", "Network", "Practice code", "Practice", "Postcode",
                "Registered patients",
            },
        }  # fmt: skip
        for table, expected in headings.items():
            assert {c.heading for c in table.base_columns.values()} == expected, table


@pytest.mark.parametrize(
    "url", ["/directory/", "/directory/areas/Z01/", "/api/v1/networks/", "/directory/U99001/"]
)
def test_queries_do_not_grow_with_the_networks(client, published, url):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for n in range(30):
        pcn = PrimaryCareNetworkFactory(lead_commissioner=published["sub_icb"])
        practice = Practice.objects.create(code=f"Y{n:05d}", name="GROWN SURGERY")
        Membership.objects.create(
            practice=practice, pcn=pcn, start_date=D(2019, 7, 1), source=MembershipSource.ODS
        )
        Membership.objects.create(
            practice=Practice.objects.create(code=f"X{n:05d}", name="MORE"),
            pcn=published["pcn"],
            start_date=D(2019, 7, 1),
            source=MembershipSource.ODS,
        )
    assert count() == small
    assert small <= 8, small


def test_the_api_is_documented_with_examples():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "/api/v1/networks/" in readme and '"member_practices"' in readme
    json.dumps(public.NETWORK_FIELDS)  # the field list is plain data
