"""The national service specifications and their key requirements, from
services/reference_data.py."""

from django.db import migrations


def load(apps, schema_editor):
    from services.reference import load_specifications
    from services.migrations import _reference_data_0002 as data

    load_specifications(apps, data)


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
