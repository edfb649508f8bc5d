"""The public directory: published data only, for anyone, cacheable (the JSON API is in
test_api.py)."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcn_portal.directory import public
from practices.models import MembershipSource, Practice
from tests.factories import (
    ImportedExtractFactory,
    MembershipFactory,
    PracticeFactory,
    PrimaryCareNetworkFactory,
)

D = datetime.date


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
        ImportedExtractFactory(file_name="epcn2.xlsx", latest_open_date=D(2024, 2, 1))
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
        practice = PracticeFactory(code=f"Y{n:05d}", name="GROWN SURGERY", bare=True)
        MembershipFactory(
            practice=practice, pcn=pcn, start_date=D(2019, 7, 1), source=MembershipSource.ODS
        )
        MembershipFactory(
            practice=PracticeFactory(code=f"X{n:05d}", name="MORE", bare=True),
            pcn=published["pcn"],
            start_date=D(2019, 7, 1),
            source=MembershipSource.ODS,
        )
    assert count() == small
    assert small <= 8, small
