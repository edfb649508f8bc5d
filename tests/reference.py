"""The reference data the migrations load, for a database a test emptied.

A test outside a transaction (a browser journey, a race over HTTP) and the modules that
build a large data set end by emptying the database (flush), the reference data the
migrations loaded included. Loading it again through the migrations' own loaders took
8 s or more each time, after every such test. Instead keep() copies, once a session, the
rows each table holds as the migrations left them, and put_back() copies them back after
a flush, one COPY a table: the same rows with the same ids, and their history events.
"""

import importlib

REFERENCE_DATA_MIGRATIONS = [
    "networks.migrations.0004_source",
    "networks.migrations.0005_source_titles_readers_can_read",
    "workforce.migrations.0002_national_reference_data",
    "services.migrations.0002_national_reference_data",
    "workforce.migrations.0005_notes_cite_documents",
    "services.migrations.0004_notes_cite_documents",
    "workforce.migrations.0007_one_person_and_eligibility",
]
# A flush runs post_migrate, which makes the content types and permissions again.
REMADE_BY_FLUSH = {"django_content_type", "auth_permission"}

_kept = {}  # table → (its model, its rows as COPY writes them)


def load_current(apps):
    """What a database migrated from nothing holds: each reference-data migration's load,
    with its own frozen copy of the figures."""
    for name in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(name).load(apps, schema_editor=None)


def has_reference_data():
    from workforce.models import ARRSRole

    return ARRSRole.objects.exists()


def keep():
    """Copy the rows of every table that holds some: called as the session starts, when
    the test database is as the migrations left it (loaded first, if a run before this
    one stopped between a flush and putting the data back)."""
    from django.apps import apps
    from django.db import connection

    if not has_reference_data():
        load_current(apps)
    _kept.clear()
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in REMADE_BY_FLUSH or table not in existing or table in _kept:
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT EXISTS (SELECT FROM {quoted})")
            if cursor.fetchone()[0]:
                with cursor.copy(f"COPY {quoted} TO STDOUT (FORMAT binary)") as copy:
                    _kept[table] = (model, b"".join(bytes(block) for block in copy))


def put_back():
    """Put the kept rows back into an emptied database, in one transaction with triggers
    off (the history events are copied with the rows they record, and every row refers
    only to rows copied with it), then move each table's id sequence past them.

    Without keep() having run, or as a user who may not turn triggers off, the data is
    loaded again through the migrations' loaders."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    if not _kept or not _may_turn_off_triggers(connection):
        load_current(apps)
        return
    models = [model for model, _ in _kept.values()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table, (_, rows) in _kept.items():
            quoted = connection.ops.quote_name(table)
            with cursor.copy(f"COPY {quoted} FROM STDIN (FORMAT binary)") as copy:
                copy.write(rows)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _may_turn_off_triggers(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]


def ensure():
    """The reference data, put back if a test emptied the database."""
    if not has_reference_data():
        put_back()
