"""Downloading the current ODS and NHS England files, ready for the importer.

Fetching is a step of its own: files are downloaded into a folder, each within a time and
size limit, and nothing is imported unless every download succeeded. Zip archives (ODS
publishes epcn.zip and epraccur.zip) are opened and their CSV and workbook files used.
"""

import http.client
import re
import shutil
import unicodedata
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from practices.ods import limits

CHUNK = 1024 * 1024
USER_AGENT = "PCN-Portal-ODS-fetch"

# Source name -> what it is. The addresses come from settings.ODS_SOURCES.
SOURCES = {
    "epcn": "ePCN: networks (the workbook, its PCN details CSV or the ODS report)",
    "epcn-partners": "ePCN core partner details (not needed when epcn is the workbook)",
    "epraccur": "epraccur: GP practices and prescribing cost centres",
    "practice-map": "practice to PCN, Sub-ICB, ICB and region map (gp-reg-pat-prac-map)",
    "list-sizes": "patients registered at a GP practice, totals (gp-reg-pat-prac-all)",
}


class FetchError(Exception):
    """A download or archive that cannot be used; nothing was imported."""


@dataclass
class Download:
    source: str
    url: str
    paths: list
    size: int


def configured_sources(overrides=None, only=None):
    """Source name -> URL from settings, with command-line overrides; blank ones dropped."""
    urls = {**settings.ODS_SOURCES, **(overrides or {})}
    unknown = sorted(set(urls) - set(SOURCES))
    if unknown:
        raise FetchError(
            f"Unknown source(s): {', '.join(unknown)}. Sources are: {', '.join(SOURCES)}."
        )
    if only:
        missing = [name for name in only if not urls.get(name)]
        if missing:
            raise FetchError(
                f"No address for {', '.join(missing)}: set it with --url NAME=URL or in the "
                "environment (see README, Configuration)."
            )
        urls = {name: urls[name] for name in only}
    return {name: url for name, url in urls.items() if url}


def fetch(source, url, folder, *, timeout, max_bytes):
    """Download one file into folder, opening a zip archive; returns a Download."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    target = Path(folder) / f"{source}.download"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"{source} ({url}) is {size_text(int(declared))}, over the "
                    f"{size_text(max_bytes)} limit (--max-size to change it)."
                )
            size = 0
            with open(target, "wb") as out:
                while chunk := response.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(
                            f"{source} ({url}) is over the {size_text(max_bytes)} limit "
                            "(--max-size to change it)."
                        )
                    out.write(chunk)
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection open
        raise FetchError(
            f"{source} ({url}): the server answered {error.code} {error.reason}."
        ) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(f"{source} ({url}): no answer within {timeout:g} s.") from None
        raise FetchError(
            f"{source} ({url}) could not be reached ({reason}). Is this machine online, "
            "and is the address right?"
        ) from None
    except TimeoutError:
        raise FetchError(f"{source} ({url}): no answer within {timeout:g} s.") from None
    except (ConnectionError, http.client.HTTPException) as error:
        raise FetchError(
            f"{source} ({url}): the download broke off ({error or type(error).__name__})."
        ) from None
    if size == 0:
        raise FetchError(f"{source} ({url}): the server sent an empty file.")
    return Download(source, url, unpack(source, target, max_bytes), size)


def unpack(source, path, max_bytes):
    """Name a downloaded file by what it holds; open zip archives that are not workbooks."""
    path = Path(path)
    if is_archive(path):
        members = extract(path, max_bytes, prefix=source)
        path.unlink()
        return members
    suffix = ".xlsx" if zipfile.is_zipfile(path) else ".csv"
    return [path.rename(path.with_name(f"{source}{suffix}"))]


def is_archive(path):
    """A zip archive that is not itself a workbook (an .xlsx file is a zip too). One that
    cannot be opened counts as an archive, so that extract() says what is wrong with it."""
    if not zipfile.is_zipfile(path):
        return False
    try:
        with limits.open_zip(path, "zip archive") as archive:
            return "[Content_Types].xml" not in archive.namelist()
    except limits.LimitError:
        return True


NAME_CHARS = 80  # of a stored file name's stem; the original is shown as it was


def safe_name(name, default="file"):
    """A file name that is safe to store: no folders, only letters, digits, '-', '_' and
    '.', at most 80 characters before a lower-case extension."""
    name = Path(str(name).replace("\\", "/")).name
    suffix = Path(name).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    # Accents dropped rather than the letters: "Réseau" is stored as "Reseau".
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:
        stem = default
    stem = stem[:NAME_CHARS].strip("._") or default
    return stem + suffix


def unique_path(folder, name):
    """folder/name, or folder/name-2, -3 … when a file of that name (in any case) is there."""
    taken = {p.name.lower() for p in Path(folder).iterdir()}
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    return Path(folder) / candidate


def extract(path, max_bytes, prefix, folder=None):
    """The CSV files and workbooks in a zip archive, written beside it (or into folder)
    as prefix-name.
    What the archive opens to is checked first (limits.py); a damaged one is refused."""
    path = Path(path)
    try:
        archive = limits.open_zip(path, "zip archive")
    except limits.LimitError as error:
        raise FetchError(f"{path.name}: {error}") from None
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and Path(info.filename).suffix.lower() in (".csv", ".xlsx")
        ]
        if not members:
            raise FetchError(
                f"{path.name}: the zip archive holds no CSV file or workbook "
                f"(it holds: {', '.join(archive.namelist()) or 'nothing'})."
            )
        try:
            limits.check_members(archive, members, max_bytes, "zip archive")
        except limits.LimitError as error:
            raise FetchError(f"{path.name}: {error}") from None
        paths, target = [], None
        try:
            for info in members:
                # Only the member's own name, made safe: an archive cannot write outside
                # the folder, and two members of one name are both kept.
                name = safe_name(f"{prefix}-{Path(info.filename.replace('\\', '/')).name}")
                target = unique_path(folder or path.parent, name)
                with archive.open(info) as member, open(target, "wb") as out:
                    shutil.copyfileobj(member, out, CHUNK)
                paths.append(target)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            for written in [*paths, target]:
                if written:
                    written.unlink(missing_ok=True)
            raise FetchError(
                f"{path.name}: the zip archive cannot be opened ({limits.brief(error)})."
            ) from None
    return paths


def open_archives(paths, folder, max_bytes):
    """The files to import: each path as it is, or the files a zip archive holds,
    extracted into folder (import_ods takes the archives the admin page takes)."""
    opened = []
    for path in map(Path, paths):
        if path.is_file() and is_archive(path):
            opened += extract(path, max_bytes, prefix=safe_name(path.stem), folder=folder)
        else:
            opened.append(path)
    return opened


def fetch_all(urls, folder, *, timeout, max_bytes, progress=None):
    """Download every source, in SOURCES order. When epcn turns out to be the workbook,
    epcn-partners is not fetched: the workbook holds the core partner details."""
    downloads = []
    for source in sorted(urls, key=list(SOURCES).index):
        if source == "epcn-partners" and any(
            path.suffix == ".xlsx" for d in downloads if d.source == "epcn" for path in d.paths
        ):
            continue
        if progress:
            progress(f"Downloading {source} from {urls[source]}")
        downloads.append(fetch(source, urls[source], folder, timeout=timeout, max_bytes=max_bytes))
    return downloads


def size_text(n):
    return f"{n / CHUNK:,.1f} MiB"
