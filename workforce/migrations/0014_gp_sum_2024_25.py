"""2024/25's GP sum as reference data a national admin can correct (frozen here, never
edit): £1.303 × weighted population for 1 October 2024 – 31 March 2025, drawn on by GP
posts only (DOMAIN.md §3.3 "GP ARRS 2024/25", §3.4 and Appendix A.2 2024/25; S79, S80,
A.S19, A.S21). Until now the figure was written in workforce/budget.py.

A year that has a ring-fenced sum already keeps it: re-running never overwrites a
correction.
"""

import datetime
import sys
from decimal import Decimal

from django.db import migrations

D = datetime.date

RING_FENCED_SUMS = [
    {
        "financial_year": 2024,
        "role": "gp",
        "pounds_per_weighted_patient": Decimal("1.303"),
        "first_day": D(2024, 10, 1),
        "last_day": D(2025, 3, 31),
        "source": "ICB slide pack “GP ARRS Role: Funding and Reimbursement” (Oct 2024), citing "
        "Network Contract DES 10.5.4; Pulse PCN “PCNs can claim more for ARRS staff but "
        "funding remains flat” (Sep 2024)",
        "note": "£82m in total across England, × each network's weighted population at "
        "1 January 2024. Only GP posts draw on it: it cannot be used for other roles, and "
        "what is left is not carried into 2025/26, when the GP money joined the main ARRS "
        "sum. Also given by Ockham, “ARRS for GPs”.",
    },
]


def load(apps, schema_editor):
    from workforce.reference import load_ring_fenced_sums

    load_ring_fenced_sums(apps, RING_FENCED_SUMS, out=sys.stdout)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0013_ring_fenced_sum")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
