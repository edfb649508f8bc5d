"""The JSON API: published data only, for anyone, cacheable."""

import json

import pytest

from pcn_portal.directory import public
from tests.factories import PrimaryCareNetworkFactory


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


def test_the_api_is_documented_with_examples():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "/api/v1/networks/" in readme and '"member_practices"' in readme
    json.dumps(public.NETWORK_FIELDS)  # the field list is plain data
