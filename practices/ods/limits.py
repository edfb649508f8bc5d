"""What an ODS file may open to, checked before it is read.

A workbook is a zip archive of XML members and an archive may hold many files; either can
be built to expand a thousandfold (a "decompression bomb"), or to claim sizes it does not
hold. Before anything is parsed, every member is checked by the size its header declares
and then by what actually comes out of it, streamed and thrown away, stopping at the limit
whatever the header says. Rows per file and characters per cell are limited too, and every
text value is checked against the column that will keep it.

The limits come from settings (ODS_MAX_WORKBOOK_MB, ODS_FETCH_MAX_MB, ODS_MAX_ROWS,
ODS_MAX_CELL_CHARS), so a deployment can raise them.
"""

import struct
import zipfile
import zlib
from functools import cache

from django.apps import apps
from django.conf import settings

CHUNK = 1024 * 1024
MAX_MEMBERS = 1000  # a workbook holds a dozen or so; ODS archives one or two files
# A row never needs more columns than this: epraccur has 27, the widest ODS file.
MAX_COLUMNS = 64


class LimitError(Exception):
    """A file over a limit, or an archive that cannot be opened; the message says which
    limit or what is wrong, and the caller names the file."""


def brief(error, length=200):
    """An error's own words, shortened: some quote the damaged bytes themselves."""
    text = str(error)
    return text if len(text) <= length else f"{text[: length - 1]}…"


def mib(n):
    return f"{n / CHUNK:,.1f} MiB"


def workbook_bytes():
    """The most a workbook's members may open to together."""
    return settings.ODS_MAX_WORKBOOK_MB * CHUNK


def archive_bytes():
    """The most a zip archive's files may open to together: the upload limit per file."""
    return settings.ODS_FETCH_MAX_MB * CHUNK


def max_rows():
    return settings.ODS_MAX_ROWS


def max_cell_chars():
    return settings.ODS_MAX_CELL_CHARS


def declared_members(path):
    """How many members the archive's directory says it holds, read before zipfile reads
    the whole directory into memory (one object per member)."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        tail_size = min(size, 22 + 65535)
        f.seek(size - tail_size)
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def open_zip(path, what):
    """A ZipFile, or LimitError saying why the archive cannot be opened."""
    count = declared_members(path)
    if count is not None and count > MAX_MEMBERS and count != 0xFFFF:
        raise LimitError(f"the {what} holds {count:,} files; at most {MAX_MEMBERS:,}.")
    try:
        archive = zipfile.ZipFile(path)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,  # a version or compression method zipfile cannot read
        RuntimeError,
    ) as error:
        raise LimitError(f"the {what} is damaged and cannot be opened ({brief(error)}).") from None
    if len(archive.infolist()) > MAX_MEMBERS:
        archive.close()
        raise LimitError(f"the {what} holds more than {MAX_MEMBERS:,} files.")
    return archive


def check_members(archive, members, limit, what):
    """Refuse members that open to more than `limit` bytes together: first by the sizes
    their headers declare, then by streaming each one (checking its CRC) and counting what
    comes out. zipfile never returns more than a member declares, so the count is bounded
    by the limit however the member lies."""
    declared = sum(info.file_size for info in members)
    if declared > limit:
        raise LimitError(f"the {what} opens to {mib(declared)}, over the {mib(limit)} limit.")
    total = 0
    for info in members:
        member_name = info.filename[:100]
        if info.flag_bits & 0x1:
            raise LimitError(f"{member_name} in the {what} is encrypted.")
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise LimitError(f"the {what} opens to more than {mib(limit)}, the limit.")
        except LimitError:
            raise
        except (
            zipfile.BadZipFile,
            EOFError,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            ValueError,
            OSError,
            LookupError,
        ) as error:
            raise LimitError(
                f"{member_name} in the {what} is damaged and cannot be opened ({brief(error)})."
            ) from None
    return total


def check_workbook_members(path):
    """A workbook (.xlsx) opens to no more than ODS_MAX_WORKBOOK_MB, member by member."""
    with open_zip(path, "workbook") as archive:
        check_members(archive, archive.infolist(), workbook_bytes(), "workbook")


# --- column lengths -------------------------------------------------------------------


@cache
def max_length(label):
    """'networks.PrimaryCareNetwork.name' -> 200: the column's own length."""
    app_model, field = label.rsplit(".", 1)
    return apps.get_model(app_model)._meta.get_field(field).max_length
