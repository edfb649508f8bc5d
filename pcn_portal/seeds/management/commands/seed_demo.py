from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from networks.models import PrimaryCareNetwork
from pcn_portal.seeds.demo import DemoBuilder, personas_help


class Command(BaseCommand):
    help = (
        "Load the demo data set (fictional networks, practices, staff and claims, marked "
        "DEMO) and demo users for each kind of user, printing their logins. Development "
        "only: refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database has no networks; print the logins either way.",
        )

    def handle(self, *args, if_empty, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only; set DEBUG=true to load it.")
        has_networks = PrimaryCareNetwork.objects.exists()
        if has_networks and if_empty:
            self.stdout.write("The database has networks already: demo data not loaded.")
        elif has_networks:
            raise CommandError(
                "The database has networks already; demo data goes only into an empty one."
            )
        else:
            self.stdout.write("Loading demo data…")
            with transaction.atomic():
                DemoBuilder(stdout=self.stdout).build()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(personas_help())
