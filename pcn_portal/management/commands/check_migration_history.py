"""Say whether the database was built by migrations the project no longer has (see
pcn_portal/checks.py): one line and exit status 3 if so, nothing and 0 if not."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from pcn_portal.checks import describe, migrations_gone

GONE = 3  # the exit status scripts/serve and scripts/serve-national look for


class Command(BaseCommand):
    help = "Exit 3, saying so, when the database was built by migrations the project no longer has."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        gone = migrations_gone(connection)
        if gone:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} was {describe(gone)}.",
                returncode=GONE,
            )
