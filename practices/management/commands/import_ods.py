import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from practices.ods.fetch import FetchError, open_archives
from practices.ods.importer import ImportAborted, import_files
from practices.ods.readers import ODSFileError


class Command(BaseCommand):
    help = (
        "Import ODS and NHS England reference files: an ePCN workbook (.xlsx) or its two CSV "
        "exports, epraccur, a 'patients registered at a GP practice' totals file and the "
        "practice-to-PCN map file, in any combination. All or nothing: any error leaves the "
        "database as it was. A second run of the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Paths of the files to import.")
        self.add_dry_run_argument(parser)
        parser.add_argument(
            "--allow-older",
            action="store_true",
            help=(
                "Import an ePCN extract older than the newest already imported (refused "
                "otherwise: each ePCN file is ODS's whole history as of its extract)."
            ),
        )

    def add_dry_run_argument(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would change, and change nothing.",
        )

    def handle(self, *args, files, dry_run, allow_older, **options):
        # Zip archives are opened as the admin page opens them, within the same limits.
        with tempfile.TemporaryDirectory(prefix="pcn-portal-ods-") as folder:
            try:
                files = open_archives(files, folder, settings.ODS_FETCH_MAX_MB * 1024 * 1024)
            except FetchError as error:
                raise CommandError(f"Nothing imported. {error}") from None
            self.import_and_report(
                files, dry_run, options["verbosity"], process="import_ods", allow_older=allow_older
            )

    def progress(self, message):
        if self.stderr.isatty():
            self.stderr.write(f"  {message}…")

    def import_and_report(self, files, dry_run, verbosity, process, allow_older=False):
        started = time.monotonic()
        try:
            result = import_files(
                files,
                dry_run=dry_run,
                progress=self.progress,
                process=process,
                allow_older=allow_older,
            )
        except (ODSFileError, ImportAborted) as error:
            raise CommandError(f"Nothing imported. {error}") from None
        except FileNotFoundError as error:
            raise CommandError(f"Nothing imported. File not found: {error.filename}") from None
        except OSError as error:
            raise CommandError(
                f"Nothing imported. {error.filename}: {error.strerror or error}"
            ) from None

        verb = "would change" if dry_run else "changed"
        for outcome in result.outcomes.values():
            self.stdout.write(outcome.summary())
            if dry_run or verbosity > 1:
                for example in outcome.examples:
                    self.stdout.write(f"    {example}")
        for warning in result.warnings:
            self.stdout.write(f"warning: {warning}")
        if result.changed == 0:
            self.stdout.write("Nothing changed: the database already matches these files.")
        else:
            self.stdout.write(
                f"{'Dry run: ' if dry_run else ''}{result.changed} records {verb} "
                f"in {time.monotonic() - started:.1f} s."
            )
        return result
