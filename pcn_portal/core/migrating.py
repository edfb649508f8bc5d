"""Steps data migrations share. They take the historical models from `apps`."""

import pghistory
from django.db.models import DateField, ExpressionWrapper, F, Q, Value

LAST_DAY_PROCESS = "migrate: end dates become the last day"


def end_dates_to_last_day(apps, app_label, fields):
    """End dates entered as the first day no longer in force move back one day, to the last
    day in force: the same meaning in the convention the portal now keeps. `fields` maps
    model names to their end-date field, or to (start field, end field). Blank end dates
    stay blank; an end equal to its start (a row that held no day) is left on that day."""
    with pghistory.context(process=LAST_DAY_PROCESS):
        for model_name, field in fields.items():
            start, end = field if isinstance(field, tuple) else ("start_date", field)
            model = apps.get_model(app_label, model_name)
            rows = model.objects.filter(
                Q(**{f"{end}__gt": F(start)})
                | Q(**{f"{start}__isnull": True, f"{end}__isnull": False})
            )
            rows.update(**{end: day_before(end)})
    check_deferred_now(apps)


def check_deferred_now(apps):
    """Run the deferred checks (foreign keys, history triggers) the data changes left
    pending, so the schema changes after them in the same migration can alter the tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def day_before(field):
    return ExpressionWrapper(F(field) - Value(1), output_field=DateField())
