"""ARRS roles, maximum amounts, caps and allocation rates as workforce/reference_data.py had them then
(frozen in _reference_data_0002.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from workforce.reference import load_arrs
    from workforce.migrations import _reference_data_0002 as data

    load_arrs(apps, data)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
