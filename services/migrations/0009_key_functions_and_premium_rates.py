"""The four key functions of 2024/25, the kinds of the access requirements and the Care
Home Premium rates, from services/reference_data.py (frozen in _reference_data_0009)."""

from django.db import migrations


def load(apps, schema_editor):
    from services.migrations import _reference_data_0009 as data
    from services.reference import load_premium_rates, load_specifications, set_kinds

    load_specifications(apps, data)
    set_kinds(apps, {e["code"]: e["kind"] for e in data.SPECIFICATIONS if "kind" in e})
    load_premium_rates(apps, data)


class Migration(migrations.Migration):
    dependencies = [("services", "0008_care_home_alignment_evidence")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
