"""fetch_ods against a local web server on 127.0.0.1: the real files, and every way a
download can fail (nothing is imported then)."""

import io
import re
import socket
import threading
import time
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pghistory.models
import pytest
from django.core.management import CommandError, call_command

from networks.models import PrimaryCareNetwork
from practices.models import Membership, Practice
from tests.practices.national_files import ODS, require_ods_files

NO_SOURCES = {
    "epcn": "",
    "epcn-partners": "",
    "epraccur": "",
    "practice-map": "",
    "list-sizes": "",
}


class Handler(SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/endless":  # no Content-Length, and more than any limit
            self.send_response(200)
            self.end_headers()
            for _ in range(3 * 1024):
                self.wfile.write(b"x" * 1024)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(folder) starts a web server on 127.0.0.1 for the folder; returns its address."""
    servers = []

    def start(folder):
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=folder))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_default_sources(settings):
    """Never reach the real NHS addresses from a test."""
    settings.ODS_SOURCES = dict(NO_SOURCES)


def fetch(*args):
    out = io.StringIO()
    call_command("fetch_ods", *args, stdout=out)
    return out.getvalue()


@pytest.mark.heavy
@pytest.mark.django_db
def test_fetches_and_imports_the_national_files(serve, settings):
    require_ods_files()
    base = serve(ODS)
    settings.ODS_SOURCES = {
        **NO_SOURCES,
        "epcn": f"{base}/ePCN_2024-10.xlsx",
        # Not fetched: the workbook holds the core partner details.
        "epcn-partners": f"{base}/no-such-file.csv",
        "epraccur": f"{base}/epraccur_2024-01.csv",
        "practice-map": f"{base}/gp-reg-pat-prac-map_2025-10.csv",
    }
    output = fetch()
    assert f"Downloaded epcn: 0.6 MiB from {base}/ePCN_2024-10.xlsx (epcn.xlsx)" in output
    assert PrimaryCareNetwork.objects.count() == 1366
    assert Membership.objects.count() == 7705
    event = pghistory.models.Events.objects.filter(pgh_obj_model="networks.PrimaryCareNetwork")
    assert event.first().pgh_context["process"].startswith("fetch_ods epcn.xlsx")


def report_rows():
    pcns = "U99011,REPORT PCN,16C,NHS TEST ICB - 16C,20190701,,1 ROAD,,,TOWN,,ZZ1 1ZZ\n"
    partners = (
        "Z00011,REPORT SURGERY,16C,NHS TEST ICB - 16C,U99011,REPORT PCN,16C,"
        "NHS TEST ICB - 16C,20190701,,1\n"
    )
    return pcns, partners


@pytest.mark.django_db
def test_headerless_ods_reports_and_zip_archives(serve, tmp_path):
    pcns, partners = report_rows()
    (tmp_path / "epcn.csv").write_text(pcns)
    with zipfile.ZipFile(tmp_path / "partners.zip", "w") as archive:
        archive.writestr("reports/epcncorepartnerdetails.csv", partners)
    base = serve(tmp_path)
    output = fetch("--url", f"epcn={base}/epcn.csv", "--url", f"epcn-partners={base}/partners.zip")
    assert "(epcn-partners-epcncorepartnerdetails.csv)" in output
    membership = Membership.objects.get(practice__code="Z00011")
    assert membership.pcn.name == "REPORT PCN"


@pytest.mark.django_db
def test_a_bad_row_in_a_headerless_report_names_its_row(serve, tmp_path):
    pcns, partners = report_rows()
    (tmp_path / "epcn.csv").write_text(pcns + pcns.replace("U99011", "U9901X"))
    (tmp_path / "partners.csv").write_text(partners)
    base = serve(tmp_path)
    with pytest.raises(CommandError) as error:
        fetch("--url", f"epcn={base}/epcn.csv", "--url", f"epcn-partners={base}/partners.csv")
    assert 'epcn.csv, row 2, column "PCN Code": "U9901X" is not a valid PCN code' in str(
        error.value
    )
    assert not PrimaryCareNetwork.objects.exists()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FAILURES = {
    "offline": (
        lambda base: [f"epcn=http://127.0.0.1:{closed_port()}/epcn.csv"],
        "could not be reached ([Errno 111] Connection refused). Is this machine online",
    ),
    "not found": (
        lambda base: [f"epcn={base}/no-such-file.csv"],
        "the server answered 404 File not found.",
    ),
    "too slow": (
        lambda base: ["--timeout", "0.3", f"epcn={base}/slow"],
        "no answer within 0.3 s.",
    ),
    "declared too big": (
        lambda base: ["--max-size", "1", f"epcn={base}/big.csv"],
        "is 2.0 MiB, over the 1.0 MiB limit (--max-size to change it).",
    ),
    "streams too much": (
        lambda base: ["--max-size", "2", f"epcn={base}/endless"],
        "is over the 2.0 MiB limit",
    ),
    "the second of two fails": (
        lambda base: [f"epraccur={base}/epraccur.csv", f"epcn={base}/missing.csv"],
        "epcn (http://127.0.0.1",
    ),
    "not a file the import knows": (
        lambda base: [f"epcn={base}/page.csv"],
        "epcn.csv, row 1: is not a file this import knows",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", FAILURES)
def test_a_failed_download_says_why_and_imports_nothing(case, serve, tmp_path):
    (tmp_path / "big.csv").write_bytes(b"x" * 2 * 1024 * 1024)
    (tmp_path / "page.csv").write_text("<html><body>Service unavailable</body></html>\n")
    (tmp_path / "epraccur.csv").write_text(
        '"Z00021","A SURGERY","Y63","QHM","1 ROAD","","TOWN","","","ZZ1 1ZZ","19740401","",'
        '"A","B","16C","20200401","","01642 000000","","","","0","","16C","","4",""\n'
    )
    base = serve(tmp_path)
    arguments, message = FAILURES[case]
    args = [
        a
        for argument in arguments(base)
        for a in (["--url", argument] if "=" in argument else [argument])
    ]
    with pytest.raises(CommandError) as error:
        fetch(*args)
    assert str(error.value).startswith("Nothing imported.")
    assert message in str(error.value)
    assert not Practice.objects.exists()
    assert not PrimaryCareNetwork.objects.exists()


def test_unknown_source_and_missing_address_are_named(db):
    with pytest.raises(
        CommandError, match=re.escape("Unknown source(s): epcnn. Sources are: epcn,")
    ):
        fetch("--url", "epcnn=http://127.0.0.1/x")
    with pytest.raises(CommandError, match="No address for practice-map: set it with --url"):
        fetch("--only", "practice-map")
