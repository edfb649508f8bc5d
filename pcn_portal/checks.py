"""A database built by migrations the project no longer has.

The migrations were squashed before the first release, and the squashed ones kept the
first names (0001_initial, 0002_national_reference_data): `migrate` would take a database
built by the old ones as up to date and leave its tables as they were. Such a database is
rebuilt instead; `migrate` refuses it (the check below), `make run` rebuilds its demo
database, `make run-national` says how, and the test run creates its database anew
(tests/conftest.py)."""

import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def migrations_gone(connection):
    """'app.migration' of each migration of the project's own apps that the database
    records as applied and the project no longer has, in order."""
    return gone_from(MigrationRecorder(connection).applied_migrations())


def gone_from(applied):
    """Of the migrations `applied` names as (app, name), those of the project's own apps
    that the project no longer has, as 'app.migration', in order."""
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    ours = {  # in the project's folder, and not installed in its virtualenv
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(sys.prefix)
    }
    return [
        f"{app}.{name}"
        for app, name in sorted(applied)
        if app in ours and (app, name) not in on_disk
    ]


def describe(gone):
    shown = ", ".join(gone[:2]) + (f" and {len(gone) - 2} more" if len(gone) > 2 else "")
    return f"built by migrations the project no longer has ({shown})"


@register(Tags.database)
def check_migration_history(app_configs, databases=None, **kwargs):
    """Run by `migrate` (and `check --database`) on the database it works on."""
    errors = []
    for alias in databases or []:
        gone = migrations_gone(connections[alias])
        if gone:
            errors.append(
                Error(
                    f"The database {connections[alias].settings_dict['NAME']} was "
                    f"{describe(gone)}: the migrations were squashed before the first "
                    "release, so migrating would leave it as it is.",
                    hint="Drop the database and create it again, then migrate "
                    "(make run rebuilds its demo database itself).",
                    id="pcn_portal.E001",
                )
            )
    return errors
