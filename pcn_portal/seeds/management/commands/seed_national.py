import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from networks.models import PrimaryCareNetwork
from pcn_portal.seeds.national import (
    NATIONAL_FILES,
    ODS_DIR,
    NationalSeed,
    persona_targets,
    personas_help,
)
from workforce import budget

TABLES = [
    "networks_primarycarenetwork",
    "practices_practice",
    "practices_membership",
    "practices_listsize",
    "networks_clinicaldirector",
    "networks_networkagreement",
    "networks_networkagreementschedule",
    "workforce_staffmember",
    "workforce_post",
    "workforce_arrsallocation",
    "workforce_claim",
    "workforce_claimline",
    "services_servicedelivery",
    "services_requirementprogress",
    "services_carehome",
]


class Command(BaseCommand):
    help = (
        "Build the national data set: import the real ODS files from ../shared/data/ods/, "
        "then add a synthetic ARRS and delivery layer (every such row marked synthetic) "
        "and demo users for each kind of user, printing their logins. Development only: "
        "refuses to run with DEBUG off unless --force is given, and refuses a database "
        "that has networks unless --if-empty (do nothing) or --allow-non-empty is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Build only when the database has no networks; print the logins either way.",
        )
        parser.add_argument(
            "--allow-non-empty",
            action="store_true",
            help="Add the synthetic layer to a database that already has networks.",
        )
        parser.add_argument(
            "--networks",
            type=int,
            default=None,
            metavar="N",
            help="Synthesise for the first N open networks only (a quick slice).",
        )
        parser.add_argument("--ods-dir", default=str(ODS_DIR), help="Folder of the ODS files.")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, if_empty, allow_non_empty, networks, ods_dir, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The national data set is for development only; set DEBUG=true to build it "
                "(or pass --force)."
            )
        has_networks = PrimaryCareNetwork.objects.exists()
        if has_networks and if_empty:
            self.stdout.write("The database has networks already: national data not rebuilt.")
            self.stdout.write(personas_help(persona_targets()))
            return
        started = time.perf_counter()
        builder = NationalSeed(stdout=self.stdout, networks=networks)
        with transaction.atomic():
            if has_networks:
                if not allow_non_empty:
                    raise CommandError(
                        "The database has networks already; the national data set goes into "
                        "an empty one (or pass --allow-non-empty to add the synthetic layer)."
                    )
                builder.ods_dir = ods_dir
                builder.synthesise(ods_dir=ods_dir)
            else:
                missing = [n for n in NATIONAL_FILES if not (Path(ods_dir) / n).exists()]
                if missing:
                    raise CommandError(f"Not found in {ods_dir}: {', '.join(missing)}")
                builder.build(ods_dir=ods_dir)
            builder.say("Committing")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics (and admin's estimates)
        # The rows above were copied in, not written through the actions that keep each
        # network's ARRS forecast (workforce.models.ARRSForecast): work them out (this
        # year and every year with a claim).
        builder.say("Working out the networks' ARRS forecasts")
        budget.refresh_forecasts()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"National data set built in {elapsed:.0f} s."))
        self.report()
        self.stdout.write(personas_help(persona_targets()))

    def report(self):
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(
                    f"SELECT COUNT(*), COUNT(*) FILTER (WHERE {self.flag(table)}) FROM {table}"
                )
                total, synthetic = cursor.fetchone()
                self.stdout.write(f"  {table:<36} {total:>10,} rows ({synthetic:,} synthetic)")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            self.stdout.write(f"  database size: {cursor.fetchone()[0]}")

    @staticmethod
    def flag(table):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = 'synthetic'",
                [table],
            )
            return "synthetic" if cursor.fetchone() else "FALSE"
