import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from practices.management.commands.import_ods import Command as ImportCommand
from practices.ods.fetch import SOURCES, FetchError, configured_sources, fetch_all, size_text


def url_override(text):
    name, sep, url = text.partition("=")
    if not sep or not name:
        raise ValueError(text)
    return name.strip(), url.strip()


class Command(ImportCommand):
    help = (
        "Download the current ODS and NHS England files and import them, all or nothing. "
        "Addresses come from the environment (ODS_EPCN_URL, ODS_EPCN_PARTNERS_URL, "
        "ODS_EPRACCUR_URL, ODS_PRACTICE_MAP_URL, ODS_LIST_SIZES_URL) or --url. Sources: "
        + "; ".join(f"{name}: {what}" for name, what in SOURCES.items())
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            action="append",
            type=url_override,
            default=[],
            metavar="NAME=URL",
            help="Download a source from this address (NAME=  with no address skips it).",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=list(SOURCES),
            help="Fetch only this source (repeat for more).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.ODS_FETCH_TIMEOUT,
            help="Seconds to wait for a server before giving up (default %(default)s).",
        )
        parser.add_argument(
            "--max-size",
            type=int,
            default=settings.ODS_FETCH_MAX_MB,
            metavar="MB",
            help="Largest file to accept, in MiB (default %(default)s).",
        )
        parser.add_argument(
            "--keep",
            type=Path,
            metavar="FOLDER",
            help="Keep the downloaded files in this folder (default: a temporary one).",
        )
        self.add_dry_run_argument(parser)

    def handle(self, *args, url, only, timeout, max_size, keep, dry_run, **options):
        try:
            urls = configured_sources(dict(url), only)
        except FetchError as error:
            raise CommandError(str(error)) from None
        if not urls:
            raise CommandError("No sources to fetch: every address is blank.")
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            self.fetch_and_import(urls, keep, timeout, max_size, dry_run, options)
        else:
            with tempfile.TemporaryDirectory(prefix="pcn-portal-ods-") as folder:
                self.fetch_and_import(urls, Path(folder), timeout, max_size, dry_run, options)

    def fetch_and_import(self, urls, folder, timeout, max_size, dry_run, options):
        try:
            downloads = fetch_all(
                urls, folder, timeout=timeout, max_bytes=max_size * 1024 * 1024,
                progress=self.progress,
            )  # fmt: skip
        except FetchError as error:
            raise CommandError(f"Nothing imported. {error}") from None
        for download in downloads:
            names = ", ".join(p.name for p in download.paths)
            self.stdout.write(
                f"Downloaded {download.source}: {size_text(download.size)} from "
                f"{download.url} ({names})"
            )
        paths = [path for download in downloads for path in download.paths]
        self.import_and_report(paths, dry_run, options["verbosity"], process="fetch_ods")
