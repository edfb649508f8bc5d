"""What the tests ask of PostgreSQL beyond the ORM."""

from django.db import connection


def analyze(*models):
    """Refresh the planner's statistics after a large fixture, on the models' tables (on
    every table when none is named).

    A table last analysed while empty (after an earlier module's rollback, say) is planned
    as empty, and a query over thousands of rows then takes minutes instead of seconds.
    ANALYZE inside a transaction counts the rows that transaction wrote, so it is run where
    the fixture made them, before the tests read them."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
