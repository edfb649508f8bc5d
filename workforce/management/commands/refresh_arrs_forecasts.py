"""Work out again the ARRS forecasts the area pages show (workforce.models.ARRSForecast).

Every write through the portal keeps them true; this is for data that arrived another way
(the synthetic national data set, a restored database) or a change of national figures
made outside admin. By default: the years already kept, every year with a claim, and
this one, for every network open in each."""

from django.core.management.base import BaseCommand, CommandError

from networks.models import PrimaryCareNetwork
from workforce import budget


class Command(BaseCommand):
    help = "Work out again the ARRS forecasts of every network, or those given."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="A financial year by its first calendar year (2025 for 2025/26); repeat for more.",
        )
        parser.add_argument(
            "--network", action="append", dest="codes", help="A network ODS code; repeat for more."
        )

    def handle(self, *args, years=None, codes=None, verbosity=1, **options):
        networks = None
        if codes:
            networks = PrimaryCareNetwork.objects.filter(code__in=codes)
            unknown = sorted(set(codes) - set(networks.values_list("code", flat=True)))
            if unknown:
                raise CommandError(f"No network has the ODS code {', '.join(unknown)}.")

        def progress(done, total):
            if verbosity and (done % 100 == 0 or done == total):
                self.stdout.write(f"{done:,} of {total:,} forecasts worked out")

        total = budget.refresh_forecasts(years=years, networks=networks, progress=progress)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{total:,} forecasts worked out."))
