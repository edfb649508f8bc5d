"""import_ods on weighted populations: the real NHS Payments to General Practice
practice-level file (read from ../shared/data/ods, never copied) and a simple file of
practice code, date and weighted patients."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from practices.models import Practice, WeightedPopulation, WeightedSource
from practices.ods import readers
from tests.db import analyze
from tests.factories import PracticeFactory
from tests.practices.national_files import ODS, require_ods_files

D = datetime.date
PAYMENTS = "nhspaymentsgp-22-23-prac.csv"
WEIGHTED_COLUMN = "Number of Weighted Patients (Last Known Figure)"


def real_rows():
    with open(ODS / PAYMENTS, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def payments_practices(db):
    """Every practice the real file names, as epraccur would have made them: made by the
    factory, saved in one statement (some 6,000 rows)."""
    require_ods_files()
    Practice.objects.bulk_create(
        PracticeFactory.build(code=row["Practice Code"], name=row["Practice Name"][:200], bare=True)
        for row in real_rows()
    )
    analyze(Practice)


def run(*paths):
    out = io.StringIO()
    call_command("import_ods", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def test_the_real_payments_file_imports_each_practice_at_1_january_2023(payments_practices):
    rows = real_rows()
    assert readers.detect_kind(ODS / PAYMENTS) == readers.PAYMENTS_GP
    out = run(ODS / PAYMENTS)
    assert f"Weighted populations: {len(rows)} created, 0 updated" in out
    densham = WeightedPopulation.objects.get(practice__code="A81001")
    # THE DENSHAM SURGERY, the file's first row: 4579.78 weighted patients.
    assert densham.weighted_patients == Decimal("4579.78")
    assert densham.on == D(2023, 1, 1)
    assert densham.source == WeightedSource.PAYMENTS_TO_GP
    assert densham.file_name == PAYMENTS
    total = sum(Decimal(r[WEIGHTED_COLUMN]) for r in rows)
    stored = sum(w.weighted_patients for w in WeightedPopulation.objects.all())
    assert stored == total
    # A second run of the same file changes nothing.
    again = run(ODS / PAYMENTS)
    assert f"Weighted populations: 0 created, 0 updated, 0 closed, {len(rows)} unchanged" in again
    assert "Nothing changed" in again


def test_practices_not_in_the_portal_are_skipped_and_said(db, tmp_path):
    require_ods_files()
    PracticeFactory(code="A81001", name="THE DENSHAM SURGERY", bare=True)
    out = run(ODS / PAYMENTS)
    assert "Weighted populations: 1 created" in out
    assert "practices are not in the portal and their weighted populations were skipped" in out


def test_the_payments_file_needs_its_year_in_its_name(payments_practices, tmp_path):
    renamed = tmp_path / "payments.csv"
    renamed.symlink_to(ODS / PAYMENTS)  # the real file under another name, not a copy
    with pytest.raises(CommandError) as error:
        run(renamed)
    assert "payments.csv: is an NHS Payments to General Practice file" in str(error.value)
    assert "nhspaymentsgp-22-23-prac.csv for 2022/23" in str(error.value)
    assert not WeightedPopulation.objects.exists()


def written(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_simple_weighted_file_imports_and_a_rerun_changes_nothing(db, tmp_path):
    PracticeFactory(code="Z99001", name="A", bare=True)
    PracticeFactory(code="Z99002", name="B", bare=True)
    path = written(
        tmp_path / "weighted.csv",
        "Practice code,Date,Weighted patients\n"
        'Z99001,2025-01-01,12500.25\nZ99002,01JAN2025,"22,500"\nZ99001,20240101,12000\n',
    )
    out = run(path)
    assert "Weighted populations: 3 created" in out
    figures = {
        (w.practice.code, w.on): w.weighted_patients
        for w in WeightedPopulation.objects.select_related("practice")
    }
    assert figures == {
        ("Z99001", D(2025, 1, 1)): Decimal("12500.25"),
        ("Z99002", D(2025, 1, 1)): Decimal("22500.00"),
        ("Z99001", D(2024, 1, 1)): Decimal("12000.00"),
    }
    assert "Nothing changed" in run(path)
    written(path, "Practice code,Date,Weighted patients\nZ99001,2025-01-01,12600\n")
    assert "Weighted populations: 0 created, 1 updated" in run(path)


BAD = {
    "not a number": (
        "Z99001,2025-01-01,lots\n",
        ['weighted.csv, row 2, column "Weighted patients"', '"lots" is not a number'],
    ),
    "negative": ("Z99001,2025-01-01,-5\n", ["row 2", "-5 is negative"]),
    "three decimals": ("Z99001,2025-01-01,1.005\n", ["1.005 has more than two decimal places"]),
    "bad date": (
        "Z99001,2025-02-30,100\n",
        ['row 2, column "Date"', '"2025-02-30" is not an extract date'],
    ),
    "bad code": ("ZZ9001,2025-01-01,100\n", ['column "Practice code"', "not a valid practice"]),
    "empty figure": ("Z99001,2025-01-01,\n", ["row 2", "is empty; a number is needed"]),
    "twice": (
        "Z99001,2025-01-01,100\nZ99001,2025-01-01,200\n",
        ["row 3", "The weighted population of Z99001 on 01 Jan 2025"],
    ),
    "bad row after good rows": ("Z99001,2025-01-01,100\nZ99002,2025-01-01,x\n", ["row 3"]),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_weighted_input_names_where_and_changes_nothing(case, db, tmp_path):
    PracticeFactory(code="Z99001", name="A", bare=True)
    PracticeFactory(code="Z99002", name="B", bare=True)
    body, expected = BAD[case]
    path = written(tmp_path / "weighted.csv", "Practice code,Date,Weighted patients\n" + body)
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert message.startswith("Nothing imported. weighted.csv")
    for text in expected:
        assert text in message
    assert not WeightedPopulation.objects.exists()


def test_a_weighted_file_without_its_date_column_is_refused(db, tmp_path):
    path = written(tmp_path / "weighted.csv", "Practice code,Weighted patients\nZ99001,100\n")
    with pytest.raises(CommandError) as error:
        run(path)
    assert "weighted.csv, row 1: missing column(s): date" in str(error.value)
