"""A Care Home Premium note that named the team's notebook says what the sources say. Only
those words change: a note a national admin rewrote keeps the rest of its text."""

from django.db import migrations

REVISIONS = [
    (
        "DOMAIN.md does not say from which month the uplift applied",
        "The sources do not say from which month the uplift applied",
    ),
]


def revised(text):
    for old, new in REVISIONS:
        text = text.replace(old, new)
    return text


def load(apps, schema_editor):
    import pghistory

    with pghistory.context(process="migrate: reference notes cite public documents"):
        for row in apps.get_model("services", "CareHomePremiumRate").objects.all():
            if revised(row.note) != row.note:
                row.note = revised(row.note)
                row.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [("services", "0003_cited_sources")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
