"""Four national maximum amounts DOMAIN.md Appendix A.1 gives that migration 0002 did not
load (frozen here, never edit):

- nursing associate, 1 Oct 2020 – 31 Mar 2021: £29,135 (A.1 2020/21; BMA, DOMAIN.md S53);
- trainee nursing associate, 1 Oct 2020 – 31 Mar 2021: £25,671 (same source);
- first contact physiotherapist, from 1 Oct 2024: £65,838 national (A.S57, an undated page;
  the same figure as the clinical pharmacist);
- enhanced practice nurse, 2025/26: £64,907 national (A.S56, the BMA's figure before the
  contract was published in full), beside A.S27's outer-London £72,327 already held.

A row still exactly as 0002 loaded it (end dates as 0004 moved them) is updated; a row a
national admin has changed since is kept, and the migration prints that it kept it.
"""

import datetime
import sys
from decimal import Decimal

from django.db import migrations

D = datetime.date
UNKNOWN_NOTE = (
    "No source in DOMAIN.md gives the amounts for this period "
    "(NCDES Table 2 of the year, DOMAIN.md A.6)."
)
UNKNOWN_SOURCE = "DOMAIN.md Appendix A.1 (blank)"
S27_NOTE = "Outer London figure from A.S27 only (public GitHub code): unverified."
NOTE_2025 = (
    "As published in March 2025, before the 3.6% (AfC) / 4% (DDRB) uplift backdated to "
    "1 April 2025, whose amounts no source gives (A.S28, A.S29)."
)


def unknown(end):
    return {
        "period_end": end,
        "national": None,
        "outer_london": None,
        "inner_london": None,
        "unknown": True,
        "notes": UNKNOWN_NOTE,
        "source": UNKNOWN_SOURCE,
    }


def known(end, national, outer=None, inner=None, *, source, notes=""):
    return {
        "period_end": end,
        "national": None if national is None else Decimal(national),
        "outer_london": None if outer is None else Decimal(outer),
        "inner_london": None if inner is None else Decimal(inner),
        "unknown": False,
        "notes": notes,
        "source": source,
    }


REVISIONS = [
    {
        "role": "nursing-associate",
        "afc_band": "",
        "period_start": D(2020, 10, 1),
        "was": unknown(D(2021, 3, 31)),
        "now": known(
            D(2021, 3, 31),
            29135,
            source="S53; DOMAIN.md A.1 2020/21 (BMA)",
            notes="From 1 October 2020, when the role became reimbursable; no London "
            "weighting before 2021/22.",
        ),
    },
    {
        "role": "trainee-nursing-associate",
        "afc_band": "",
        "period_start": D(2020, 10, 1),
        "was": unknown(D(2021, 3, 31)),
        "now": known(
            D(2021, 3, 31),
            25671,
            source="S53; DOMAIN.md A.1 2020/21 (BMA)",
            notes="From 1 October 2020, when the role became reimbursable; no London "
            "weighting before 2021/22.",
        ),
    },
    {
        "role": "first-contact-physiotherapist",
        "afc_band": "",
        "period_start": D(2024, 10, 1),
        "was": unknown(D(2025, 3, 31)),
        "now": known(
            D(2025, 3, 31),
            65838,
            source="A.S57",
            notes="An undated page; the same figure as the clinical pharmacist from 1 October "
            "2024. No London figures are given.",
        ),
    },
    {
        "role": "enhanced-practice-nurse",
        "afc_band": "",
        "period_start": D(2025, 4, 1),
        "was": known(D(2026, 3, 31), None, 72327, source="A.S27", notes=S27_NOTE),
        "now": known(
            D(2026, 3, 31),
            64907,
            72327,
            source="A.S56, A.S27",
            notes="National figure shared by the BMA before the 2025/26 contract was "
            "published in full (A.S56). " + S27_NOTE + " " + NOTE_2025,
        ),
    },
]


def revise(apps, schema_editor):
    from workforce.reference import revise_maximum_amounts

    revise_maximum_amounts(
        apps,
        REVISIONS,
        process="migrate: workforce 0008 four national amounts",
        out=sys.stdout,
    )


class Migration(migrations.Migration):
    dependencies = [("workforce", "0007_event_label_time_index")]

    operations = [migrations.RunPython(revise, migrations.RunPython.noop)]
