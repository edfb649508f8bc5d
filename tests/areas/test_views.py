"""Commissioner pages: an area's figures against a hand-counted world and against queries
of their own, its tables and downloads, scope, and query counts that do not grow."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from networks.models import PrimaryCareNetwork
from pcn_portal.areas import figures
from pcn_portal.core.dates import financial_year_bounds, financial_year_of, today
from practices.models import ListSize, Membership, Practice
from tests.factories import (
    ClaimFactory,
    IntegratedCareBoardFactory,
    ListSizeFactory,
    MembershipFactory,
    PracticeFactory,
    PrimaryCareNetworkFactory,
    SubICBLocationFactory,
)
from tests.factories.worlds import (
    add_network,
    align_home,
    arrs_post,
    claimed,
    director,
    line_values,
)
from tests.html import parse
from workforce.models import ARRSAllocation

D = datetime.date


def figure_map(response):
    return figure_map_of(parse(response.content.decode()))


def figure_map_of(root):
    return {
        el.attrs["data-figure"]: el.text.strip()
        for el in root.iter()
        if "data-figure" in getattr(el, "attrs", {})
    }


def csv_parts(response):
    """An area's CSV download: its first rows (what it is of, up to the blank row) as a
    {label: value} mapping, and its table's rows."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    about, blank, table = text.partition("\r\n\r\n")
    assert blank, "no rows saying what the download is of"
    return dict(csv.reader(io.StringIO(about))), list(csv.DictReader(io.StringIO(table)))


def csv_rows(response):
    return csv_parts(response)[1]


class TestHandCounted:
    def test_the_icb_page(self, icb_viewer_client, area):
        shown = figure_map(icb_viewer_client.get("/areas/QZ1/"))
        assert shown == {
            "networks": "4",
            "population": "110,000",
            "practices": "6",
            "in-network": "5",
            "not-in-network": "1",
            "covered": "110,000 of 114,000 (96.5%)",
            "below": "2",
            "within": "1",
            "above": "1",
            "unknown": "0",
            "no-director": "2",
            "unsigned": "2",
            "no-data-sharing": "3",
            "allocation": "£150,000.00",
            "approved": "£1,000.00",
            "submitted": "£500.00",
            "left": "£148,500.00",
            # Riverside: April and May as claimed (£1,000 + £1,500); no maximum amount is
            # recorded for its roles in this year's other months, so they are left out.
            "forecast": "£1,500.00",
            "incomplete-forecasts": "1",
            # £100,000 − £1,500 + £50,000 − £0
            "headroom": "£148,500.00",
            # Riverside's cost with no maximum: June to March, two posts at £40,000 a year,
            # 20 × £3,333.33 = £66,666.60 (its April and May lines, claimed, have theirs).
            "awaiting": "£66,666.60",
            "wte": "1.50",
            "claims-waiting": "1",
            "care-homes": "4",
            "no-care-home": "2",
        }

    def test_the_wte_total_is_the_sum_of_its_rounded_rows(self, icb_viewer_client, area):
        # 10 hours a week is 0.2667 WTE, shown as 0.27: three such networks show 0.81
        # between them, where 30 hours rounded once would be 0.80.
        for pcn in (area["other_pcn"], area["small"], area["big"]):
            arrs_post(pcn, area["roles"][0], "10", f"Ten Hours {pcn.code}")
        shown = figure_map(icb_viewer_client.get("/areas/QZ1/"))
        rows = csv_rows(icb_viewer_client.get("/areas/QZ1/arrs/", {"format": "csv"}))
        wte = sorted(Decimal(r["ARRS WTE in post"]) for r in rows)
        assert wte == [Decimal("0.27")] * 3 + [Decimal("1.50")]
        assert shown["wte"] == "2.31" == str(sum(wte))

    def test_the_footprint_bands_beside_the_chart(self, icb_viewer_client, area):
        root = parse(icb_viewer_client.get("/areas/QZ1/").content.decode())
        caption = next(c for c in root.find_all("caption") if "by registered" in c.text)
        rows = caption.parent.find("tbody").find_all("tr")
        shown = {row.find("th").text: row.find("td").text for row in rows}
        # Small 8,000 and Hilltop 9,000; Riverside 33,000; Big 60,000.
        assert {band: n for band, n in shown.items() if n != "0"} == {
            "0 to 9,999": "2",
            "30,000 to 39,999": "1",
            "60,000 to 79,999": "1",
        }
        assert len(shown) == 9

    def test_a_forecast_over_its_allocation_is_counted(self, icb_viewer_client, area):
        year = financial_year_of(today())
        ARRSAllocation.objects.filter(pcn=area["pcn"], financial_year=year).update(
            amount=Decimal("1000.00")
        )
        shown = figure_map(icb_viewer_client.get("/areas/QZ1/"))
        assert shown["over-allocation"].startswith("1 network forecast over its allocation")
        # £1,000 − £1,500 + £50,000 − £0
        assert shown["headroom"] == "£49,500.00"

    def test_a_sub_icb_page_counts_only_its_own(self, subicb_viewer_client, area):
        shown = figure_map(subicb_viewer_client.get("/areas/Z01/"))
        assert shown["networks"] == "2"
        assert shown["population"] == "41,000"
        assert (shown["practices"], shown["in-network"], shown["not-in-network"]) == ("4", "3", "1")
        assert shown["covered"] == "41,000 of 45,000 (91.1%)"
        assert (shown["below"], shown["within"], shown["above"]) == ("1", "1", "0")

    @pytest.mark.parametrize("section", ["footprints", "practices", "services"])
    def test_a_sub_icb_s_tables_leave_its_own_name_off_the_screen(
        self, subicb_viewer_client, icb_viewer_client, area, section
    ):
        heading = "Sub-ICB location (formerly CCG)"

        def headings(client, code):
            root = parse(client.get(f"/areas/{code}/{section}/").content.decode())
            return [th.text for th in root.find("table").find("thead").find_all("th")]

        assert heading not in headings(subicb_viewer_client, "Z01")
        assert heading in headings(icb_viewer_client, "QZ1")
        rows = csv_rows(subicb_viewer_client.get(f"/areas/Z01/{section}/", {"format": "csv"}))
        assert rows and {row[heading] for row in rows} == {"NHS Test ICB - Z01"}

    def test_footprints_outside_the_range_with_their_notes(self, icb_viewer_client, area):
        area["big"].footprint_notes = "Approved by the ICB in 2021: one town."
        area["big"].save()
        response = icb_viewer_client.get("/areas/QZ1/footprints/", {"show": "outside"})
        page = response.content.decode()
        assert "U99002" in page and "U99003" in page and "U99004" in page
        assert "U99001" not in page
        assert "Approved by the ICB in 2021: one town." in page

    def test_leadership_says_since_when(self, icb_viewer_client, area):
        page = icb_viewer_client.get("/areas/QZ1/leadership/", {"show": "none"}).content.decode()
        assert "1 July 2024" in page  # the day after Small's last clinical director left
        assert "1 July 2019" in page  # Hilltop never had one: since it opened
        assert "U99001" not in page and "U99004" not in page

    def test_arrs_by_network_and_by_role(self, icb_viewer_client, area):
        rows = csv_rows(icb_viewer_client.get("/areas/QZ1/arrs/", {"format": "csv"}))
        riverside = next(r for r in rows if r["ODS code"] == "U99001")
        assert riverside["Allocation"] == "100000.00"
        assert riverside["Approved"] == "1000.00"
        assert riverside["Submitted, waiting"] == "500.00"
        assert riverside["Left"] == "98500.00"
        assert riverside["Claims waiting"] == "1"
        roles = csv_rows(icb_viewer_client.get("/areas/QZ1/roles/", {"format": "csv"}))
        assert {(r["ARRS role"], r["WTE"]) for r in roles} == {
            (area["roles"][0].name, "1.00"),
            (area["roles"][1].name, "0.50"),
        }
        # The page counts the rows it read (RoleTable reads them once).
        with CaptureQueriesContext(connection) as queries:
            page = icb_viewer_client.get("/areas/QZ1/roles/").content.decode()
        assert "Download all 2 rows" in " ".join(page.split())
        assert sum("workforce_post" in q["sql"] for q in queries.captured_queries) == 1

    def test_the_service_matrix(self, icb_viewer_client, area):
        rows = csv_rows(icb_viewer_client.get("/areas/QZ1/services/", {"format": "csv"}))
        by_code = {r["ODS code"]: r for r in rows}
        assert by_code["U99001"][area["spec"].name] == "Delivered"
        assert by_code["U99002"][area["spec"].name] == "Not recorded"

    def test_care_homes_and_beds(self, icb_viewer_client, area):
        rows = csv_rows(icb_viewer_client.get("/areas/QZ1/care-homes/", {"format": "csv"}))
        by_code = {r["ODS code"]: (r["Aligned care homes"], r["Beds"]) for r in rows}
        assert by_code == {
            "U99001": ("3", "80"),
            "U99002": ("0", "0"),
            "U99003": ("0", "0"),
            "U99004": ("1", "60"),
        }

    def test_practices_not_in_a_network(self, icb_viewer_client, area):
        rows = csv_rows(
            icb_viewer_client.get("/areas/QZ1/practices/", {"show": "not", "format": "csv"})
        )
        assert [r["Practice code"] for r in rows] == ["Z99005"]

    def test_as_of_a_date_before_a_network_opened(self, icb_viewer_client, area):
        area["big"].open_date = D(2024, 4, 1)
        area["big"].save()
        shown = figure_map(icb_viewer_client.get("/areas/QZ1/", {"on": "2024-03-31"}))
        assert shown["networks"] == "3"
        page = icb_viewer_client.get("/areas/QZ1/", {"on": "2024-03-31"}).content.decode()
        assert "As it was on 31 March 2024" in page

    def test_the_date_typed_in_its_boxes(self, icb_viewer_client, area):
        area["big"].open_date = D(2024, 4, 1)
        area["big"].save()
        typed = {"on_day": "31", "on_month": "3", "on_year": "2024"}
        response = icb_viewer_client.get("/areas/QZ1/", typed)
        assert figure_map(response)["networks"] == "3"
        root = parse(response.content.decode())
        assert "As it was on 31 March 2024" in root.text
        # The page's links carry the date whole; the boxes show it.
        assert root.find("a", data_figure="networks").attrs["href"].endswith("?on=2024-03-31")
        boxes = {box.attrs["name"]: box.attrs.get("value") for box in root.find_all("input")}
        assert {k: boxes[k] for k in typed} == typed

    def test_a_link_s_date_that_is_not_one_shows_today_and_says_so(self, icb_viewer_client, area):
        page = icb_viewer_client.get("/areas/QZ1/", {"on": "31/03/2024"}).content.decode()
        assert "is not a date like 2023-04-01, so this is the area today" in page
        assert (
            figure_map(icb_viewer_client.get("/areas/QZ1/", {"on": "31/03/2024"}))["networks"]
            == "4"
        )
        page = icb_viewer_client.get("/areas/QZ1/", {"on": "2024-03-31"}).content.decode()
        assert "is not a date like" not in page

    def test_a_date_typed_that_is_not_one(self, icb_viewer_client, area):
        root = parse(
            icb_viewer_client.get(
                "/areas/QZ1/", {"on_day": "31", "on_month": "2", "on_year": "2025"}
            ).content.decode()
        )
        summary = root.find(class_="nhsuk-error-summary")
        assert summary is not None and "Enter a real date" in summary.text
        assert root.find("head").find("title").text.startswith("Error: ")
        assert "As it was on" not in root.text  # the area today, and the boxes as typed
        assert figure_map_of(root)["networks"] == "4"

    @pytest.mark.parametrize("section", ["", "services/", "footprints/", "care-homes/"])
    @pytest.mark.parametrize("on", ["9999-04-01", "9999-12-31", "0001-01-01"])
    def test_a_date_at_the_end_of_the_calendar(self, icb_viewer_client, area, section, on):
        """A year the portal does not hold (the last day there is has no day after it):
        the page answers for today and says why, never a server error."""
        response = icb_viewer_client.get(f"/areas/QZ1/{section}", {"on": on})
        assert response.status_code == 200
        page = response.content.decode()
        assert "<title>Error: " in page and "Year must" in page

    def test_a_section_reads_a_link_s_date_into_its_filter_boxes(self, icb_viewer_client, area):
        root = parse(
            icb_viewer_client.get("/areas/QZ1/footprints/", {"on": "2024-03-31"}).content.decode()
        )
        boxes = {box.attrs["name"]: box.attrs.get("value") for box in root.find_all("input")}
        assert (boxes["on_day"], boxes["on_month"], boxes["on_year"]) == ("31", "3", "2024")
        missing = icb_viewer_client.get(
            "/areas/QZ1/footprints/", {"on_day": "31", "on_year": "2024"}
        )
        root = parse(missing.content.decode())
        assert "Date must include a month" in root.text
        assert root.find("head").find("title").text.startswith("Error: Footprints")
        # No rows for a filter that is wrong, rather than rows not asked for.
        assert not root.find_all("table") and "U99001" not in root.text

    def test_the_sub_areas_with_their_totals(self, icb_viewer_client, area):
        rows = csv_rows(icb_viewer_client.get("/areas/QZ1/", {"format": "csv"}))
        assert {(r["ODS code"], r["Open networks"], r["Registered patients in networks"])
                for r in rows} == {("Z01", "2", "41000"), ("Z02", "2", "69000")}  # fmt: skip


class TestDownloads:
    """An area's downloads carry the area and the date they are as of, in the file's name
    and in their first rows, so a file read later cannot pass for today's figures."""

    def test_a_section_s_csv(self, icb_viewer_client, area):
        response = icb_viewer_client.get("/areas/QZ1/arrs/", {"on": "2025-06-01", "format": "csv"})
        assert response["Content-Disposition"] == 'attachment; filename="arrs-QZ1-2025-06-01.csv"'
        about, rows = csv_parts(response)
        assert about == {
            "Area": "NHS Test ICB (QZ1)",
            "As of": "2025-06-01",
            "Financial year": "2025/26",
        }
        assert {r["ODS code"] for r in rows} == {"U99001", "U99002", "U99003", "U99004"}

    def test_a_section_s_xlsx(self, icb_viewer_client, area):
        response = icb_viewer_client.get(
            "/areas/Z01/roles/", {"on": "2025-06-01", "format": "xlsx"}
        )
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="arrs-roles-Z01-2025-06-01.xlsx"'
        )
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[:3] == [
            ("Area", "NHS Test ICB - Z01", None),
            ("As of", datetime.datetime(2025, 6, 1), None),
            (None, None, None),
        ]
        assert rows[3] == ("ARRS role", "Posts in post", "WTE")
        assert sheet.freeze_panes == "A5"

    def test_the_overview_s_table_of_areas(self, national_admin_client, area):
        response = national_admin_client.get("/areas/Y99/", {"on": "2025-04-02", "format": "csv"})
        assert response["Content-Disposition"] == 'attachment; filename="areas-Y99-2025-04-02.csv"'
        about, rows = csv_parts(response)
        assert about == {"Area": "Test Region (Y99)", "As of": "2025-04-02"}
        assert [r["ODS code"] for r in rows] == ["QZ1"]

    def test_today_s_download_is_dated_today(self, icb_viewer_client, area):
        response = icb_viewer_client.get("/areas/QZ1/governance/", {"format": "csv"})
        name = f"governance-QZ1-{today().isoformat()}.csv"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert csv_parts(response)[0]["As of"] == today().isoformat()


class TestAgainstIndependentQueries:
    """Totals equal the sums of their networks, and coverage the practices counted apart."""

    def test_totals_and_coverage(self, national_admin_client, area):
        on = today()
        shown = figure_map(national_admin_client.get("/areas/england/"))
        open_networks = PrimaryCareNetwork.objects.open(on)
        assert shown["networks"] == str(open_networks.count())
        year = financial_year_of(on)
        allocation = ARRSAllocation.objects.filter(
            financial_year=year, pcn__in=open_networks
        ).aggregate(t=Sum("amount"))["t"]
        assert shown["allocation"] == f"£{allocation:,.2f}"
        gp = Practice.objects.open(on).filter(prescribing_setting=4, commissioner__isnull=False)
        members = Membership.objects.current(on).values("practice")
        assert shown["practices"] == str(gp.count())
        assert shown["in-network"] == str(gp.filter(pk__in=members).count())
        patients = sum(
            ListSize.objects.filter(practice=p)
            .order_by("-extract_date")
            .first()
            .registered_patients
            for p in gp.filter(pk__in=members)
        )
        assert shown["covered"].startswith(f"{patients:,} of ")

    def test_the_footprint_table_sums_to_the_overview(self, icb_viewer_client, area):
        rows = csv_rows(icb_viewer_client.get("/areas/QZ1/footprints/", {"format": "csv"}))
        total = sum(int(r["Registered patients"]) for r in rows)
        assert figure_map(icb_viewer_client.get("/areas/QZ1/"))["population"] == f"{total:,}"


class TestLeftAndHeadroom:
    """Left and Headroom are each network's own (workforce.budget.left and headroom, each
    sum by its own rule), and an area's are the sums of its rows."""

    def test_a_network_without_an_allocation_has_no_left(self, icb_viewer_client, area):
        # Big has no allocation and £2,000 approved this year. Before, the area's Left was
        # £150,000 − £3,000 − £500 = £146,500, though its rows add up to £148,500.
        from workforce import budget

        year_start, _ = financial_year_bounds(financial_year_of(today()))
        claimed(
            area["big"], year_start, "approved",
            arrs_post(area["big"], area["roles"][0], "37.5", "C Nurse"), "2000.00",
        )  # fmt: skip
        budget.refresh_forecasts()
        shown = figure_map(icb_viewer_client.get("/areas/QZ1/"))
        assert shown["approved"] == "£3,000.00"
        assert shown["left"] == "£148,500.00"  # Riverside £98,500 + Hilltop £50,000
        rows = csv_rows(icb_viewer_client.get("/areas/QZ1/arrs/", {"format": "csv"}))
        left = {r["ODS code"]: r["Left"] for r in rows}
        assert left == {"U99001": "98500.00", "U99002": "50000.00", "U99003": "", "U99004": ""}
        assert sum(Decimal(v) for v in left.values() if v) == Decimal("148500.00")

    def test_gp_lines_count_on_the_gp_sum_alone(self, area):
        # 2024/25, weighted population 1,000: main sum £22,894.00, GP sum £1,303.00. October
        # 2024 approved: a pharmacist £5,000 and a GP £1,000. Before, Left was
        # 22,894 − 6,000 = £16,894.00 and the GP sum nowhere.
        from tests.factories import ARRSAllocationFactory, NetworkWeightedPopulationFactory
        from workforce import budget
        from workforce.models import ARRSRole

        pcn = area["pcn"]
        ARRSAllocationFactory(
            pcn=pcn, financial_year=2024, weighted_population=Decimal(1000),
            population_date=D(2024, 1, 1), rate=Decimal("22.894"), amount=Decimal("22894.00"),
        )  # fmt: skip
        NetworkWeightedPopulationFactory(
            pcn=pcn, financial_year=2024, weighted_patients=Decimal("1000"), source="test"
        )
        gp = arrs_post(pcn, ARRSRole.objects.get(code="gp"), "37.5", "Dr Green")
        gp.start_date = D(2024, 10, 1)
        gp.afc_band = ""
        gp.save()
        ClaimFactory(
            pcn=pcn, month=D(2024, 10, 1), status="approved",
            lines=[line_values(area["half"], "5000.00"), line_values(gp, "1000.00")],
        )  # fmt: skip
        budget.record_forecast(pcn, 2024)
        row = figures.network_figures(
            PrimaryCareNetwork.objects.filter(pk=pcn.pk), D(2025, 1, 15)
        ).get()
        assert row.left == Decimal("17894.00")  # 22,894 − 5,000
        assert row.gp_sum == Decimal("1303.00")
        assert row.gp_left == Decimal("303.00")  # 1,303 − 1,000


class TestScope:
    def test_a_sub_icb_viewer_sees_only_their_networks_everywhere(self, subicb_viewer_client, area):
        for section in ("footprints", "leadership", "governance", "arrs", "care-homes"):
            page = subicb_viewer_client.get(f"/areas/Z01/{section}/").content.decode()
            assert "U99001" in page and "U99003" in page, section
            assert "U99002" not in page and "U99004" not in page, section
            rows = csv_rows(subicb_viewer_client.get(f"/areas/Z01/{section}/", {"format": "csv"}))
            assert {r["ODS code"] for r in rows} == {"U99001", "U99003"}, section
        practices = csv_rows(subicb_viewer_client.get("/areas/Z01/practices/", {"format": "csv"}))
        assert {r["Practice code"] for r in practices} == {"Z99001", "Z99002", "Z99004", "Z99005"}
        for url in ("/areas/QZ1/", "/areas/Z02/", "/areas/Y99/", "/areas/england/"):
            assert subicb_viewer_client.get(url).status_code == 404, url
        assert subicb_viewer_client.get("/networks/U99004/").status_code == 404
        assert subicb_viewer_client.get("/networks/U99003/").status_code == 200

    def test_the_breadcrumbs_stop_where_the_scope_does(self, subicb_viewer_client, area):
        root = parse(subicb_viewer_client.get("/areas/Z01/footprints/").content.decode())
        crumbs = [a.attrs["href"] for a in root.find_all("a", class_="nhsuk-breadcrumb__link")]
        assert crumbs == ["/", "/areas/Z01/"]

    def test_an_icb_viewer_sees_their_icb_and_its_sub_icb_locations(self, icb_viewer_client, area):
        page = icb_viewer_client.get("/areas/Z02/").content.decode()
        assert "/areas/QZ1/" in page  # the breadcrumb up
        assert icb_viewer_client.get("/areas/Y99/").status_code == 404
        assert icb_viewer_client.get("/areas/england/").status_code == 404

    def test_an_icb_viewer_does_not_see_another_icb(self, icb_viewer_client, area):
        other = IntegratedCareBoardFactory(code="QZ2", name="NHS OTHER ICB", bare=True)
        sub_icb = SubICBLocationFactory(code="Z03", name="NHS OTHER - Z03", icb=other)
        add_network("U99009", "ELSEWHERE PCN", sub_icb, [("Z99019", 40_000)])
        for url in ("/areas/QZ2/", "/areas/Z03/", "/areas/Z03/footprints/"):
            assert icb_viewer_client.get(url).status_code == 404, url
        assert "U99009" not in icb_viewer_client.get("/areas/QZ1/footprints/").content.decode()
        assert icb_viewer_client.get("/networks/U99009/").status_code == 404

    def test_england_is_for_national_staff(self, national_admin_client, area):
        page = national_admin_client.get("/areas/england/").content.decode()
        assert "/areas/Y99/" in page

    def test_an_unknown_code_is_not_found(self, national_admin_client, area):
        assert national_admin_client.get("/areas/NOPE/").status_code == 404

    def test_home_links_a_commissioner_to_their_area(self, icb_viewer_client, area):
        assert 'href="/areas/QZ1/"' in icb_viewer_client.get("/").content.decode()

    def test_each_section_s_figure_links_to_its_page(self, icb_viewer_client, area):
        root = parse(icb_viewer_client.get("/areas/QZ1/").content.decode())
        hrefs = {
            el.attrs["data-figure"]: el.attrs.get("href")
            for el in root.iter()
            if "data-figure" in getattr(el, "attrs", {})
        }
        assert hrefs["care-homes"] == "/areas/QZ1/care-homes/"
        assert hrefs["wte"] == "/areas/QZ1/arrs/?sort=-wte"
        assert icb_viewer_client.get(hrefs["care-homes"]).status_code == 200

    def test_the_claim_queue_link_only_when_the_page_exists(self, icb_viewer_client, area):
        from django.urls import NoReverseMatch, reverse

        page = icb_viewer_client.get("/areas/QZ1/").content.decode()
        try:
            url = reverse("areas:claim_queue", args=["QZ1"])
        except NoReverseMatch:
            assert "Approval queue" not in page
        else:
            assert url in page


def grow(sub_icb, first, times):
    for n in range(first, first + times):
        pcn = PrimaryCareNetworkFactory(lead_commissioner=sub_icb)
        for m in range(2):
            practice = PracticeFactory(
                code=f"Y{n:03d}{m:02d}", name="GROWN SURGERY", commissioner=sub_icb, bare=True
            )
            MembershipFactory(practice=practice, pcn=pcn, start_date=D(2019, 7, 1))
            ListSizeFactory(
                practice=practice,
                extract_date=D(2024, 1, 1),
                registered_patients=20_000,
                bare=True,
            )
        director(pcn, "Dr Grown")
        align_home(pcn, f"1-9{n}", 10)


URLS = ["/areas/QZ1/"] + [
    f"/areas/QZ1/{s}/"
    for s in (
        "footprints",
        "leadership",
        "governance",
        "arrs",
        "roles",
        "services",
        "care-homes",
        "practices",
    )
]


def queries_as_networks_grow(client, url, area):
    """The queries of a request for the page with 2 more networks and with 20 more."""

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(area["sub_icb"], 0, 2)
    count()  # the first request of a session does more (the session, the login)
    small = count()
    grow(area["other_sub_icb"], 2, 20)
    return small, count()


@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_the_networks(icb_viewer_client, area, url):
    small, large = queries_as_networks_grow(icb_viewer_client, url, area)
    assert large == small
    assert small <= 20, small
