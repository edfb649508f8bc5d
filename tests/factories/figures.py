"""Tables of maximum amounts for the load tests (workforce.figures), and the roles and
periods they are checked against. Every figure is made up, in years no table will ever be
published for; none is an NHS amount."""

import csv
import datetime
from decimal import Decimal

from tests.factories.networks import SourceFactory
from tests.factories.workforce import ARRSRoleFactory, MaximumAmountFactory
from workforce.figures import TEMPLATE_HEADERS as HEADERS

D = datetime.date
SOURCE = "Made-up contract specification 2091/92"


def figures_world():
    """A role with bands and one without, the first with 2090/91 held and an open period
    of unknown amounts from 1 April 2091 (as the portal holds a year not yet published)."""
    source = SourceFactory(title=SOURCE)
    pharmacist = ARRSRoleFactory(name="Test pharmacist", afc_bands="7–8a")
    coach = ARRSRoleFactory(name="Test coach", afc_bands="")
    held = MaximumAmountFactory(
        role=pharmacist, period_start=D(2090, 4, 1), period_end=D(2091, 3, 31),
        national=Decimal("50000"), outer_london=Decimal("55000"), inner_london=Decimal("58000"),
    )  # fmt: skip
    unknown = MaximumAmountFactory(
        role=pharmacist, period_start=D(2091, 4, 1), period_end=None, bare=True, unknown=True,
        notes="No source gives the amounts.",
    )  # fmt: skip
    return {"source": source, "pharmacist": pharmacist, "coach": coach, "held": held,
            "unknown": unknown}  # fmt: skip


def row(role, first, last, national, outer="", inner="", band="", source=SOURCE):
    """A line of the table, in the template's columns."""
    return [role, band, first, last, national, outer, inner, source, "Table 2", ""]


def write_table(path, *rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path
