"""ARRS roles, maximum amounts, caps and allocation rates from workforce/reference_data.py."""

from django.db import migrations


def load(apps, schema_editor):
    from pcn_portal.reference import load_arrs

    load_arrs(apps)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
