"""import_ods on synthetic files: every ODS vintage, and every way a file can be wrong."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from networks.models import PrimaryCareNetwork, SubICBLocation
from practices.models import ListSize, Membership, Practice
from practices.ods.importer import import_files
from tests.factories import PracticeFactory, PrimaryCareNetworkFactory, SubICBLocationFactory

D = datetime.date
ROOT = Path(__file__).resolve().parents[2]


CCG_ERA_PCN_HEADERS = [
    "PCN Code", "PCN Name", "Current Clinical\nCommissioning Group Code",
    "Clinical Commissioning Group Name", "Open Date (YYYYMMDD)", "Close  Date",
    "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
    "Address Line 5", "Postcode",
]  # fmt: skip
CCG_ERA_PARTNER_HEADERS = [
    "Partner\nOrganisation\nCode", "Partner\nName", "Practice\nParent\nCCG Code",
    "Practice\nParent\nCCG Name", "PCN Code", "PCN Name", "PCN Parent\nCCG Code",
    "PCN Parent\nCCG Name", "Practice to PCN\nRelationship\nStart Date",
    "Practice to PCN\nRelationship\nEnd Date", "Practice CCG and PCN CCG Match? ",
]  # fmt: skip


def pcn_row(code="U99001", sub_icb="D4U1Y", open_date=20191001, close_date=None):
    return [code, "TEST PCN", sub_icb, "NHS TEST CCG", open_date, close_date,
            "1 HIGH STREET", "", "", "TOWN", "", "ZZ1 1ZZ"]  # fmt: skip


def partner_row(practice="Z00001", pcn="U99001", start=20191001, end=None, match=1):
    return [practice, "TEST SURGERY", "D4U1Y", "NHS TEST CCG", pcn, "TEST PCN", "D4U1Y",
            "NHS TEST CCG", start, end, match]  # fmt: skip


def workbook(
    path, pcns=None, partners=None, sheet="PCN Details", pcn_headers=None, partner_headers=None
):
    book = openpyxl.Workbook()
    details = book.active
    details.title = sheet
    details.append(pcn_headers or CCG_ERA_PCN_HEADERS)
    for row in pcns if pcns is not None else [pcn_row()]:
        details.append(row)
    core = book.create_sheet("PCN Core Partner Details")
    core.append(partner_headers or CCG_ERA_PARTNER_HEADERS)
    for row in partners if partners is not None else [partner_row()]:
        core.append(row)
    book.save(path)
    return path


@pytest.mark.django_db
def test_earliest_vintage_imports(tmp_path):
    # "PCN Details" sheet, CCG-era headers with line breaks, doubled spaces and a
    # (YYYYMMDD) suffix, dates as numbers and text, 1/0 flags, a 5-character CCG code.
    path = workbook(
        tmp_path / "ePCN.xlsx",
        pcns=[pcn_row(), pcn_row("U99002", open_date="20200401")],
        partners=[
            partner_row(),
            partner_row("Z00002", "U99002", start="20200401", end=20210401.0, match=0),
        ],
    )
    result = import_files([path])
    assert result.outcomes["Networks"].created == 2
    assert PrimaryCareNetwork.objects.get(code="U99002").open_date == D(2020, 4, 1)
    left = Membership.objects.get(practice__code="Z00002")
    assert left.end_date == D(2021, 4, 1)
    assert SubICBLocation.objects.get(code="D4U1Y").name == "NHS TEST CCG"


SUB_ICB_ERA_PCN_HEADERS = [
    "PCN Code", "PCN Name", "Current Sub ICB Loc\nCode", "Sub ICB Location", "Open Date",
    "Close Date", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
    "Address Line 5", "Postcode",
]  # fmt: skip
SUB_ICB_ERA_PARTNER_HEADERS = [
    "Partner\nOrganisation\nCode", "Partner\nName", "Practice\nParent\nSub ICB Loc Code",
    "Practice\nParent\nSub ICB Loc Name", "PCN Code", "PCN Name",
    "PCN Parent\nSub ICB Loc Code", "PCN Parent\nSub ICB Loc Name",
    "Practice to PCN\nRelationship\nStart Date", "Practice to PCN\nRelationship\nEnd Date",
    "Practice Sub ICB Loc and PCN Sub ICB Loc Match?",
]  # fmt: skip


@pytest.mark.django_db
def test_sub_icb_era_workbook_imports(tmp_path):
    # "PCNDetails" sheet, Sub-ICB-era headers, dates as text, True/False flags, an empty
    # end date as an empty string and a 3-character commissioner code.
    path = workbook(
        tmp_path / "ePCN.xlsx",
        sheet="PCNDetails",
        pcn_headers=SUB_ICB_ERA_PCN_HEADERS,
        partner_headers=SUB_ICB_ERA_PARTNER_HEADERS,
        pcns=[pcn_row("U99005", sub_icb="16C", open_date="20221001", close_date="")],
        partners=[
            partner_row("Z00005", "U99005", start="20221001", end="", match=True),
            partner_row("Z00006", "U99005", start="20221001", end="20230401", match=False),
        ],
    )
    import_files([path])
    pcn = PrimaryCareNetwork.objects.get(code="U99005")
    assert (pcn.lead_commissioner.code, pcn.open_date, pcn.close_date) == (
        "16C",
        D(2022, 10, 1),
        None,
    )
    assert Membership.objects.get(practice__code="Z00005").end_date is None
    assert Membership.objects.get(practice__code="Z00006").end_date == D(2023, 4, 1)


def with_formulas(path, sheet_file, formulas):
    """Rewrite cells of a saved workbook as formulas with the value Excel saved beside
    them, as early ePCN workbooks have: {"A2": ('"U"&"99001"', "U99001")}."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    xml = parts[sheet_file].decode()
    for ref, (formula, value) in formulas.items():
        kind = ' t="str"' if isinstance(value, str) else ""
        cell = f'<c r="{ref}"{kind}><f>{formula.replace("&", "&amp;")}</f><v>{value}</v></c>'
        xml, count = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml)
        assert count == 1, ref
    parts[sheet_file] = xml.encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path


@pytest.mark.django_db
def test_formula_cells_are_read_as_their_saved_values(tmp_path):
    path = with_formulas(
        workbook(tmp_path / "ePCN.xlsx"),
        "xl/worksheets/sheet1.xml",
        {"A2": ('"U"&"99001"', "U99001"), "E2": ("20191000+1", 20191001)},
    )
    import_files([path])
    assert PrimaryCareNetwork.objects.get(code="U99001").open_date == D(2019, 10, 1)


@pytest.mark.django_db
def test_epcn_alone_then_epraccur_and_map_fill_in_the_hierarchy(tmp_path):
    import_files([workbook(tmp_path / "ePCN.xlsx", pcns=[pcn_row(sub_icb="16C")])])
    sub_icb = SubICBLocation.objects.get(code="16C")
    assert (sub_icb.name, sub_icb.icb) == ("NHS TEST CCG", None)

    epraccur = tmp_path / "epraccur.csv"
    epraccur.write_text(
        '"Z00001","TEST SURGERY","Y63","QHM","1 ROAD","","TOWN","","","ZZ1 1ZZ","19740401","",'
        '"A","B","16C","20200401","","01642 000000","","","","0","","16C","","4",""\n'
    )
    import_files([epraccur])
    sub_icb.refresh_from_db()
    assert (sub_icb.icb.code, sub_icb.icb.region.code) == ("QHM", "Y63")

    practice_map = tmp_path / "gp-reg-pat-prac-map.csv"
    practice_map.write_text(
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,"
        "PCN_NAME,ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,"
        "ONS_ICB_CODE,ICB_CODE,ICB_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,"
        "COMM_REGION_NAME,SUPPLIER_NAME\n"
        "GP_PRAC_PAT_LIST,01Oct2025,Z00001,TEST SURGERY,ZZ1 1ZZ,U99001,TEST PCN,E38000247,16C,"
        "NHS North East and North Cumbria ICB - 16C,E54000050,QHM,NHS North East and North "
        "Cumbria Integrated Care Board,E40000012,Y63,North East and Yorkshire,TPP\n"
    )
    import_files([practice_map])
    sub_icb = SubICBLocation.objects.select_related("icb__region").get(code="16C")
    assert sub_icb.ons_code == "E38000247"
    assert sub_icb.icb.name == "NHS North East and North Cumbria Integrated Care Board"
    assert (sub_icb.icb.region.name, sub_icb.icb.region.ons_code) == (
        "North East and Yorkshire",
        "E40000012",
    )


@pytest.mark.django_db
def test_sub_icb_era_csv_exports_import(tmp_path):
    pcns = tmp_path / "pcn-details.csv"
    partners = tmp_path / "core-partner-details.csv"
    pcns.write_text(
        "PCN Code,PCN Name,Current Sub ICB Loc Code,Sub ICB Location,Open Date,Close Date,"
        "Address Line 1,Postcode\nU99003,CSV PCN,16C,NHS TEST ICB - 16C,20191001,,1 ROAD,ZZ1\n"
    )
    partners.write_text(
        "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,"
        "Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date,"
        "Practice Sub ICB Loc and PCN Sub ICB Loc Match\n"
        "Z00003,CSV SURGERY,16C,U99003,20191001,,True\n"
    )
    import_files([pcns, partners])
    assert Membership.objects.get(practice__code="Z00003").pcn.code == "U99003"


@pytest.mark.django_db
def test_list_sizes_with_sub_icb_era_headers(tmp_path):
    PracticeFactory(code="Z00004", name="TEST", bare=True)
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_text(
        "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,"
        "POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
        "GP_PRAC_PAT_LIST,01Oct2025,GP,16C,E38000247,Z00004,ZZ1 1ZZ,ALL,ALL,12345\n"
    )
    import_files([path])
    assert ListSize.objects.get(practice__code="Z00004").extract_date == D(2025, 10, 1)


def written(path, data):
    path.write_bytes(data)
    return path


BAD = {
    "bad PCN code": (
        lambda p: workbook(p, pcns=[pcn_row("X12345")]),
        ['sheet PCN Details, row 2, column "PCN Code"', '"X12345" is not a valid PCN code'],
    ),
    "impossible date": (
        lambda p: workbook(p, pcns=[pcn_row(open_date=20240230)]),
        ['row 2, column "Open Date (YYYYMMDD)"', '"20240230" is not a real date'],
    ),
    "end before start": (
        lambda p: workbook(p, partners=[partner_row(start=20200101, end=20190101)]),
        ["sheet PCN Core Partner Details, row 2", "is before the start date"],
    ),
    "missing column": (
        lambda p: workbook(p, pcn_headers=CCG_ERA_PCN_HEADERS[:4]),
        ["sheet PCN Details, row 1", "missing column(s): open date"],
    ),
    "membership of an undefined network": (
        lambda p: workbook(p, partners=[partner_row(pcn="U99999")]),
        ['row 2, column "PCN Code"', '"U99999" is not a network defined'],
    ),
    "empty file": (lambda p: written(p, b""), ["is empty"]),
    "picture named .xlsx": (
        lambda p: written(p, b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ["is not an Excel workbook"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD)
def test_bad_input_aborts_with_where_and_changes_nothing(case, tmp_path):
    PrimaryCareNetworkFactory(
        code="U98765",
        name="ALREADY HERE",
        lead_commissioner=SubICBLocationFactory(code="Z9Z", name="X", icb=None),
        bare=True,
    )
    make, expected = BAD[case]
    path = make(tmp_path / "ePCN.xlsx")
    before = (PrimaryCareNetwork.objects.count(), Membership.objects.count())
    with pytest.raises(CommandError) as error:
        call_command("import_ods", str(path), stdout=io.StringIO())
    message = str(error.value)
    assert message.startswith("Nothing imported. ePCN.xlsx")
    for text in expected:
        assert text in message
    assert (PrimaryCareNetwork.objects.count(), Membership.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_command_exits_non_zero_and_dry_run_changes_nothing(tmp_path, reference_data):
    url = os.environ["DATABASE_URL"]
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": urlunsplit(
            urlsplit(url)._replace(path="/" + connection.settings_dict["NAME"])
        ),
    }
    bad = workbook(tmp_path / "ePCN.xlsx", pcns=[pcn_row("X12345")])
    run = [sys.executable, str(ROOT / "manage.py"), "import_ods"]
    failed = subprocess.run([*run, str(bad)], env=env, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "X12345" in failed.stderr

    good = workbook(tmp_path / "good.xlsx")
    dry = subprocess.run([*run, "--dry-run", str(good)], env=env, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert "Networks: 1 created" in dry.stdout
    assert "created U99001 TEST PCN" in dry.stdout
    assert not PrimaryCareNetwork.objects.exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
@pytest.mark.parametrize(("stderr", "shows_progress"), [(Terminal(), True), (io.StringIO(), False)])
def test_progress_on_a_terminal_and_summary_lines_always(tmp_path, stderr, shows_progress):
    out = io.StringIO()
    call_command("import_ods", str(workbook(tmp_path / "ePCN.xlsx")), stdout=out, stderr=stderr)
    assert ("Reading ePCN.xlsx (ePCN)" in stderr.getvalue()) is shows_progress
    lines = out.getvalue().splitlines()
    assert "Networks: 1 created, 0 updated, 0 closed, 0 unchanged" in lines
    assert "Membership spells: 1 created, 0 updated, 0 closed, 0 unchanged" in lines


@pytest.mark.django_db
def test_records_entered_in_the_portal_are_left_alone(tmp_path):
    from practices.models import MembershipSource
    from tests.factories import ClinicalDirectorFactory, MembershipFactory, PostFactory

    import_files([workbook(tmp_path / "first.xlsx")])
    pcn = PrimaryCareNetwork.objects.get(code="U99001")
    pcn.footprint_notes = "Agreed with the ICB to stay below 30,000 until 2026."
    pcn.save()
    director = ClinicalDirectorFactory(pcn=pcn, full_name="Dr Ada Example")
    post = PostFactory(pcn=pcn)
    portal_spell = MembershipFactory(
        pcn=pcn, start_date=D(2023, 4, 1), source=MembershipSource.PORTAL
    )
    # A spell for a practice ODS lists, which ODS itself does not publish.
    earlier = MembershipFactory(
        practice=Practice.objects.get(code="Z00001"),
        start_date=D(2019, 7, 1),
        end_date=D(2019, 9, 30),
        source=MembershipSource.PORTAL,
    )

    renamed = pcn_row()
    renamed[1] = "TEST PCN RENAMED"
    result = import_files([workbook(tmp_path / "second.xlsx", pcns=[renamed])])

    pcn.refresh_from_db()
    assert pcn.name == "TEST PCN RENAMED"
    assert pcn.footprint_notes == "Agreed with the ICB to stay below 30,000 until 2026."
    assert list(pcn.clinical_directors.values_list("pk", "full_name")) == [
        (director.pk, "Dr Ada Example")
    ]
    assert list(pcn.posts.values_list("pk", flat=True)) == [post.pk]
    portal_spell.refresh_from_db()
    assert (portal_spell.start_date, portal_spell.end_date) == (D(2023, 4, 1), None)
    assert portal_spell.source == MembershipSource.PORTAL
    earlier.refresh_from_db()
    assert (earlier.start_date, earlier.end_date) == (D(2019, 7, 1), D(2019, 9, 30))
    assert (
        f"Z00001: the spell in {earlier.pcn.code} from 01 Jul 2019 up to and including "
        "30 Sep 2019 was entered in the portal and is not in ODS; check it"
    ) in result.warnings


@pytest.mark.django_db
def test_a_portal_spell_gives_way_where_ods_publishes_one(tmp_path):
    """A manager recorded a membership before ODS published it; ODS then publishes the
    practice in a network on some of the same days. The import keeps both, cuts the
    portal spell where the ODS one starts, and says so."""
    from practices.models import MembershipSource
    from tests.factories import MembershipFactory

    entered = MembershipFactory(
        practice=PracticeFactory(code="Z00001"),
        start_date=D(2018, 4, 1),
        source=MembershipSource.PORTAL,
    )
    inside = MembershipFactory(
        practice=PracticeFactory(code="Z00002"),
        start_date=D(2020, 1, 1),
        end_date=D(2021, 1, 1),
        source=MembershipSource.PORTAL,
    )
    files = [
        workbook(
            tmp_path / "ePCN.xlsx",
            partners=[partner_row("Z00001"), partner_row("Z00002")],
        )
    ]

    result = import_files(files)

    # ODS publishes both practices in U99001 from 1 October 2019.
    entered.refresh_from_db()
    assert (entered.start_date, entered.end_date, entered.in_force) == (
        D(2018, 4, 1),
        D(2019, 9, 30),
        True,
    )
    inside.refresh_from_db()
    assert (inside.start_date, inside.end_date, inside.in_force) == (
        D(2020, 1, 1),
        D(2021, 1, 1),
        False,
    )
    assert Membership.objects.get(practice__code="Z00001", pcn__code="U99001").end_date is None
    warning = (
        f"Z00001: the spell in {entered.pcn.code} from 01 Apr 2018 with no end entered in the "
        "portal shares days with the spell ODS publishes in U99001 from 01 Oct 2019 with no "
        "end; ODS is the record of membership, so it now ends on 30 Sep 2019 (its last day)"
    )
    assert warning in result.warnings
    assert entered.adjustment == warning
    assert inside.adjustment.endswith("so it keeps no day")
    assert any(w.startswith("Z00002: the spell in") for w in result.warnings)
    # Who is in which network, day by day: ODS's days, and the portal's before them.
    z1 = Membership.objects.filter(practice__code="Z00001")
    assert z1.current(D(2019, 9, 30)).get().pcn == entered.pcn
    assert z1.current(D(2019, 10, 1)).get().pcn.code == "U99001"

    assert import_files(files).changed == 0


@pytest.mark.django_db
def test_a_conflict_the_database_finds_is_reported_not_raised(tmp_path, monkeypatch):
    """A safety net: a rule broken in a way the importer does not foresee still ends in a
    message naming the files and the rule, with nothing changed."""
    from practices.ods.importer import ImportAborted, ODSImport

    def break_a_rule(self, epcn):
        Membership.objects.bulk_create(
            [
                Membership(practice=p, pcn=self.pcns["U99001"], start_date=D(2019, 1, 1))
                for p in self.practices.values()
            ]
            * 2
        )

    monkeypatch.setattr(ODSImport, "apply_memberships", break_a_rule)
    with pytest.raises(ImportAborted) as error:
        import_files([workbook(tmp_path / "ePCN.xlsx")])
    assert str(error.value).startswith(
        "ePCN.xlsx: The practice is already a member of a network on some of these dates. "
        "(rule membership_one_network_per_practice_per_day: Key"
    )
    assert not PrimaryCareNetwork.objects.exists()


@pytest.mark.django_db
def test_a_newer_extract_withdraws_what_it_no_longer_publishes(tmp_path):
    older = workbook(
        tmp_path / "ePCN_2020-01.xlsx",
        pcns=[pcn_row(), pcn_row(code="U99002")],
        partners=[
            partner_row("Z00001", start=20190701),  # ODS later restates it from 1 October
            partner_row("Z00002", pcn="U99002"),  # ODS later withdraws it
            partner_row("Z00003"),
        ],
    )
    newer = workbook(
        tmp_path / "ePCN_2022-05.xlsx",
        pcns=[pcn_row(), pcn_row(code="U99002"), pcn_row(code="U99003", open_date=20220401)],
        partners=[
            partner_row("Z00001"),
            partner_row("Z00003", end=20220331),
            partner_row("Z00003", pcn="U99003", start=20220401),
        ],
    )
    import_files([older])
    result = import_files([newer])

    spells = Membership.objects.values_list("practice__code", "pcn__code", "start_date", "end_date")
    assert sorted(spells) == [
        ("Z00001", "U99001", D(2019, 10, 1), None),
        ("Z00003", "U99001", D(2019, 10, 1), D(2022, 3, 31)),
        ("Z00003", "U99003", D(2022, 4, 1), None),
    ]
    assert result.outcomes["Membership spells"].withdrawn == 2
    assert (
        "Z00002: ODS no longer publishes the spell in U99002 from 01 Oct 2019 with no end in "
        "ePCN_2022-05.xlsx; withdrawn"
    ) in result.warnings
    assert (
        "Z00001: ODS no longer publishes the spell in U99001 from 01 Jul 2019 with no end in "
        "ePCN_2022-05.xlsx; withdrawn (ODS publishes the practice in U99001 from 01 Oct 2019 "
        "with no end)"
    ) in result.warnings
    # The audit history keeps the withdrawn spell, its removal and why.
    events = apps.get_model("practices", "MembershipEvent").objects
    removal = events.get(pgh_label="delete", pcn__code="U99002")
    assert "no longer publishes" in removal.adjustment
    assert removal.pgh_context.metadata["process"] == "import_ods ePCN_2022-05.xlsx"


@pytest.mark.django_db
def test_an_older_extract_is_refused_unless_asked_for(tmp_path):
    newer = workbook(
        tmp_path / "ePCN_2022-05.xlsx",
        pcns=[pcn_row(), pcn_row(code="U99003", open_date=20220401)],
        partners=[
            partner_row("Z00003", end=20220331),
            partner_row("Z00003", pcn="U99003", start=20220401),
        ],
    )
    older = workbook(tmp_path / "ePCN_2020-01.xlsx", partners=[partner_row("Z00003")])
    import_files([newer])

    with pytest.raises(CommandError) as refused:
        call_command("import_ods", str(older), stdout=io.StringIO())
    message = str(refused.value)
    assert message.startswith("Nothing imported. ePCN_2020-01.xlsx is an older ePCN extract")
    assert "its latest open date is 01 Oct 2019" in message
    assert "ePCN_2022-05.xlsx" in message and "has 01 Apr 2022" in message
    assert "--allow-older" in message
    assert Membership.objects.filter(practice__code="Z00003").count() == 2

    call_command("import_ods", str(older), "--allow-older", stdout=io.StringIO())
    assert list(
        Membership.objects.filter(practice__code="Z00003").values_list("pcn__code", "end_date")
    ) == [("U99001", None)]
