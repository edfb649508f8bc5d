"""The national service specifications with their key requirements, the four key functions
of 2024/25, Extended Hours Access and Enhanced Access, and the Care Home Premium rates, from
the frozen copy of the figures beside this migration (_reference_data_0002.py).

A row that exists already is kept as it is: re-running never overwrites a national admin's
correction. Revised figures ship as new migrations."""

from django.db import migrations


def load(apps, schema_editor):
    from services.migrations import _reference_data_0002 as data
    from services.reference import load_premium_rates, load_specifications

    load_specifications(apps, data)
    load_premium_rates(apps, data)


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
