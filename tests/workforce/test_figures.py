"""A year's maximum amounts loaded from one file: read, checked against what the portal
holds, previewed row by row and applied all or nothing. Every figure here is made up for
the test; none is a published NHS amount."""

import csv
import datetime
from decimal import Decimal

import pghistory.models
import pytest

from pcn_portal.core.writing import writing
from tests.factories.figures import HEADERS, figures_world, row, write_table
from tests.factories.networks import SourceFactory
from workforce import figures
from workforce.models import MaximumAmount

D = datetime.date


@pytest.fixture
def made_up(db):
    return figures_world()


def table(tmp_path, *rows, name="amounts.csv"):
    return write_table(tmp_path / name, *rows)


def by_row(data):
    return {r["row"]: r for r in data["rows"]}


def test_a_new_year_fills_the_unknown_period_closes_it_and_adds_a_new_role(made_up, tmp_path):
    path = table(
        tmp_path,
        row("Test pharmacist", "2091-04-01", "2092-03-31", "51,000", "£56,100.50", "59000"),
        row("Test coach", "01/04/2091", "31/03/2092", "40000"),
    )
    data = figures.check_file(path, "amounts.csv")
    assert data["problems"] == []
    rows = by_row(data)
    assert rows[2]["what"] == "changed amounts, closes the period, changed source"
    assert rows[2]["before"] == "unknown"
    assert rows[2]["after"] == (
        "national £51,000.00, outer London £56,100.50, inner London £59,000.00"
    )
    assert rows[3]["what"] == "new period"
    assert data["changed"] == 2
    assert MaximumAmount.objects.get(pk=made_up["unknown"].pk).unknown  # a preview changes nothing

    figures.apply_file(path, "amounts.csv", by=_admin(), expected=data)
    filled = MaximumAmount.objects.get(pk=made_up["unknown"].pk)
    assert (filled.unknown, filled.period_end, filled.national, filled.outer_london) == (
        False, D(2092, 3, 31), Decimal("51000.00"), Decimal("56100.50"),
    )  # fmt: skip
    assert filled.notes == ""  # "no source gives the amounts" is no longer true
    assert [s.title for s in filled.sources.all()] == ["Made-up contract specification 2091/92"]
    assert filled.section == "Table 2"
    coach = MaximumAmount.objects.get(role=made_up["coach"])
    assert (coach.period_start, coach.period_end, coach.national) == (
        D(2091, 4, 1), D(2092, 3, 31), Decimal("40000.00"),
    )  # fmt: skip


def test_the_audit_history_names_the_file_and_who_confirmed(made_up, tmp_path):
    path = table(tmp_path, row("Test coach", "2091-04-01", "2092-03-31", "40000"))
    figures.apply_file(path, "amounts.csv", by=_admin())
    event = pghistory.models.Events.objects.filter(
        pgh_model="workforce.MaximumAmountEvent", pgh_obj_id=str(
            MaximumAmount.objects.get(role=made_up["coach"]).pk)
    ).get()  # fmt: skip
    assert event.pgh_context["process"] == "load maximum amounts amounts.csv"
    assert event.pgh_context["name"] == "Nadia Loader"


def test_an_open_period_is_closed_the_day_before_a_new_one(made_up, tmp_path):
    path = table(tmp_path, row("Test pharmacist", "2091-10-01", "2092-03-31", "52000"))
    data = figures.check_file(path, "amounts.csv")
    assert data["problems"] == []
    closed = next(r for r in data["rows"] if r["row"] is None)
    assert closed["what"] == "closes the period"
    assert closed["period"] == "1 April 2091 to 30 September 2091"
    figures.apply_file(path, "amounts.csv", by=_admin())
    assert MaximumAmount.objects.get(pk=made_up["unknown"].pk).period_end == D(2091, 9, 30)
    assert MaximumAmount.objects.get(period_start=D(2091, 10, 1)).national == Decimal("52000")


def test_every_bad_row_is_named_and_nothing_is_applied(made_up, tmp_path):
    path = table(
        tmp_path,
        row("Test pharmacist", "2091-04-01", "2092-03-31", "51000"),  # good
        row("Test pharmacyst", "2091-04-01", "2092-03-31", "51000"),
        row("Test pharmacist", "2091-04-01", "2092-03-31", "51000", band="9"),
        row("Test pharmacist", "2090-10-01", "2091-03-31", "51000", band="8a"),
        row("Test coach", "2091-04-01", "2092-03-31", "forty thousand"),
        row("Test coach", "2092-04-01", "2093-04-01", "40000"),
        row("Test coach", "2094-04-01", "2094-03-31", "40000"),
        row("Test coach", "2091-04-01", "2092-03-31", "40000", band="5"),
        row("Test coach", "2096-04-01", "2097-03-31", "40000", source="No such document"),
    )
    data = figures.check_file(path, "amounts.csv")
    assert data["problems"] == [
        'Row 3: unknown role "Test pharmacyst" (the template lists the roles).',
        "Row 4: Test pharmacist has no band 9 (its bands: 7 or 8a).",
        'Row 6: the national amount "forty thousand" is not money.',
        "Row 7: the period from 1 April 2092 to 1 April 2093 is over a year; a row gives one "
        "period's amounts, at most a year.",
        "Row 8: the last day (31 March 2094) is before the first (1 April 2094).",
        "Row 9: Test coach has no Agenda for Change band; leave the band blank.",
        'Row 10: unknown source "No such document": add it under Sources first, then name it '
        "by its title.",
    ]
    with pytest.raises(figures.FiguresRefused):
        figures.apply_file(path, "amounts.csv", by=_admin())
    assert MaximumAmount.objects.get(pk=made_up["unknown"].pk).unknown
    assert not MaximumAmount.objects.filter(role=made_up["coach"]).exists()


def test_overlapping_periods_are_named_in_the_file_and_against_the_portal(made_up, tmp_path):
    path = table(
        tmp_path,
        row("Test pharmacist", "2090-10-01", "2091-03-31", "51000"),
        row("Test coach", "2091-04-01", "2092-03-31", "40000"),
        row("Test coach", "2091-10-01", "2092-03-31", "41000"),
        row("Test coach", "2091-04-01", "2092-03-31", "40000"),
    )
    assert figures.check_file(path, "amounts.csv")["problems"] == [
        "Row 2: overlapping period: shares days with the portal's period from 1 April 2090 to "
        "31 March 2091.",
        "Row 3: overlapping period: shares days with row 4.",
        "Row 4: overlapping period: shares days with row 3.",
        "Row 5: overlapping period: row 3 gives the same role, band and first day.",
    ]


def test_a_row_changed_by_hand_in_admin_is_named(made_up, tmp_path, superuser):
    held = made_up["held"]
    held.national = Decimal("50500")
    with writing(superuser):  # as admin's change form saves it (no process named)
        held.save()
    path = table(tmp_path, row("Test pharmacist", "2090-04-01", "2091-03-31", "50600"))
    (change,) = figures.check_file(path, "amounts.csv")["rows"]
    assert change["what"] == "changed amounts, changed source"
    assert change["by_hand"].startswith("Changed by hand by Nadia National on ")


def test_the_same_file_again_changes_nothing(made_up, tmp_path):
    path = table(tmp_path, row("Test coach", "2091-04-01", "2092-03-31", "40000"))
    figures.apply_file(path, "amounts.csv", by=_admin())
    data = figures.check_file(path, "amounts.csv")
    assert (data["changed"], [r["what"] for r in data["rows"]]) == (0, ["unchanged"])


def test_a_change_after_the_check_refuses_the_apply(made_up, tmp_path):
    path = table(tmp_path, row("Test pharmacist", "2091-04-01", "2092-03-31", "51000"))
    data = figures.check_file(path, "amounts.csv")
    MaximumAmount.objects.filter(pk=made_up["unknown"].pk).update(notes="Changed meanwhile")
    MaximumAmount.objects.filter(pk=made_up["unknown"].pk).update(period_end=D(2091, 12, 31))
    with pytest.raises(figures.FiguresRefused, match="changed after the check"):
        figures.apply_file(path, "amounts.csv", by=_admin(), expected=data)


def test_a_workbook_is_read_like_a_csv_file(made_up, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["Test coach", None, D(2091, 4, 1), D(2092, 3, 31), 40000, 44000.5, None,
                  "Made-up contract specification 2091/92", "Table 2", None])  # fmt: skip
    path = tmp_path / "amounts.xlsx"
    workbook.save(path)
    data = figures.check_file(path, "amounts.xlsx")
    assert data["problems"] == []
    assert data["rows"][0]["after"] == "national £40,000.00, outer London £44,000.50"


def test_a_file_without_the_columns_is_refused(made_up, tmp_path):
    path = tmp_path / "amounts.csv"
    path.write_text("Role,National\nTest coach,40000\n", encoding="utf-8")
    with pytest.raises(figures.FiguresFileError, match="missing: First day, Last day"):
        figures.check_file(path, "amounts.csv")


def test_the_template_names_every_role_and_holds_no_figure(made_up):
    lines = list(csv.reader(figures.template_csv().splitlines()))
    assert lines[0] == HEADERS
    assert ["Test coach"] + [""] * (len(HEADERS) - 1) in lines
    assert all(not any(cell for cell in line[1:]) for line in lines[1:])


def _admin():
    from tests.conftest import make_user

    return make_user("nadia.loader", first_name="Nadia", last_name="Loader", is_staff=True)


def test_held_lines_are_claimed_once_the_file_gives_their_figure(
    pcn, make_post, network_manager, superuser, tmp_path, django_capture_on_commit_callbacks
):
    # Beside a pharmacist's line, a link worker's June 2025 line is held (no national
    # 2025/26 amount in the portal) and moves to a supplementary claim at submission; a file
    # then gives a made-up national £36,000 a year: £3,000.00 a month, above the line's
    # £2,750.00 cost, all claimed.
    from workforce import actions
    from workforce.models import Claim

    make_post("clinical-pharmacist", D(2025, 4, 1), full_name="Priya Pharmacist")
    make_post("social-prescribing-link-worker", D(2025, 4, 1), full_name="Sam Social",
              afc_band="5", annual_salary=Decimal(27000), annual_employer_ni=Decimal(2700),
              annual_employer_pension=Decimal(3300))  # fmt: skip
    june = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    source = SourceFactory(title="Made-up 2025/26 table")
    path = table(tmp_path, row("Social prescribing link worker", "2025-04-01", "2026-03-31",
                               "36000", source=source.title))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        figures.apply_file(path, "amounts.csv", by=superuser)
    line = Claim.objects.get(pcn=pcn, month=D(2025, 6, 1), supplement=1).lines.get()
    assert (line.maximum_amount, line.reimbursable_amount) == (
        Decimal("3000.00"), Decimal("2750.00"),
    )  # fmt: skip
