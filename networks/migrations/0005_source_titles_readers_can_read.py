"""A source's title as its reader can read it: the one document cited by a line of program
code ("package models / var Roles []PositionReimbursement") is named for what it is. A title
a national admin has corrected since is left alone."""

from django.db import migrations

PROCESS = "Source titles readers can read"
WAS = ("A.S27", "package models / var Roles []PositionReimbursement")
NOW = "ARRS roles and maximum reimbursement amounts, as written in public program code"


def retitle(apps, schema_editor):
    import pghistory

    Source = apps.get_model("networks", "Source")
    with pghistory.context(process=PROCESS):
        Source.objects.filter(key=WAS[0], title=WAS[1]).update(title=NOW)


def put_back(apps, schema_editor):
    Source = apps.get_model("networks", "Source")
    Source.objects.filter(key=WAS[0], title=NOW).update(title=WAS[1])


class Migration(migrations.Migration):
    dependencies = [("networks", "0004_source")]

    operations = [migrations.RunPython(retitle, put_back)]


load = retitle  # tests/reference.py reloads the reference data through each migration's load
