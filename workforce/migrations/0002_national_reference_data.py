"""The national ARRS reference data: roles, their maximum reimbursable amounts, caps and
rules, the allocation rates and the 2024/25 GP ring-fenced sum, from the frozen copy of the
figures beside this migration (_reference_data_0002.py).

A row that exists already is kept as it is: re-running never overwrites a national admin's
correction. Revised figures ship as new migrations."""

import sys

from django.db import migrations


def load(apps, schema_editor):
    from workforce.migrations import _reference_data_0002 as data
    from workforce.reference import load_arrs, load_ring_fenced_sums

    load_arrs(apps, data)
    load_ring_fenced_sums(apps, data.RING_FENCED_SUMS, out=sys.stdout)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
