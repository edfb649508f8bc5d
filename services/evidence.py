"""Which uploaded files the portal keeps as evidence: PDFs, Office documents and images,
up to a size, recognised by their content, not only by the name they came with.

An upload is accepted only when its extension is one listed here and its first bytes
(and, for the zip-based Office formats, the parts inside) are those of that kind of
file. Office files with macros are refused.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_SIZE = 10 * 1024 * 1024  # 10 MB
MAX_SIZE_TEXT = "10 MB"

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, Excel 97–2003, PowerPoint 97–2003
ZIP = b"PK\x03\x04"

# extension: (what it is, MIME type, how its content starts, the part a zip must hold)
KINDS = {
    "pdf": ("PDF", "application/pdf", PDF, None),
    "png": ("PNG image", "image/png", PNG, None),
    "jpg": ("JPEG image", "image/jpeg", JPEG, None),
    "jpeg": ("JPEG image", "image/jpeg", JPEG, None),
    "doc": ("Word document", "application/msword", OLE, None),
    "xls": ("Excel workbook", "application/vnd.ms-excel", OLE, None),
    "ppt": ("PowerPoint presentation", "application/vnd.ms-powerpoint", OLE, None),
    "docx": (
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        "word/document.xml",
    ),
    "xlsx": (
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        "xl/workbook.xml",
    ),
    "pptx": (
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ZIP,
        "ppt/presentation.xml",
    ),
    "odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text", ZIP, "content.xml"),
    "ods": (
        "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        ZIP,
        "content.xml",
    ),
}
ACCEPTED_TEXT = "PDF, Word, Excel, PowerPoint, OpenDocument text or spreadsheet, PNG or JPEG"
# Served in the browser; everything else downloads.
INLINE = {"pdf", "png", "jpg", "jpeg"}


@dataclass
class CheckedUpload:
    file: object
    name: str
    extension: str
    content_type: str
    size: int


def size_text(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def check_upload(upload):
    """The upload as evidence, or a ValidationError saying what is wrong with it."""
    name = upload.name or "The file"
    if upload.size > MAX_SIZE:
        raise ValidationError(
            f"{name} is {size_text(upload.size)}; the largest file accepted is {MAX_SIZE_TEXT}.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(f"{name} is empty.", code="empty")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise ValidationError(
            f"{name} is not a file the portal accepts as evidence. Upload a {ACCEPTED_TEXT} file.",
            code="file_type",
        )
    label, content_type, magic, part = KINDS[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic or (part and not _zip_holds(upload, part)):
        raise ValidationError(
            f"{name} is named as a {label} but its content is not one. Upload the file "
            "itself, not a renamed one.",
            code="content",
        )
    return CheckedUpload(upload, name, extension, content_type, upload.size)


def _zip_holds(upload, part):
    """Whether a zip-based Office file holds its main part and no macros."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    has_macros = any(n.lower().endswith("vbaproject.bin") for n in names)
    return part in names and not has_macros
