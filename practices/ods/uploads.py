"""Files a national admin uploads in admin, kept on disk between the dry run and the
confirmation, then removed: at once when the upload fails, is refused, cancelled or
imported, or replaced by the same admin's next upload; one never confirmed after an
hour (practices.ods.tasks.expire_abandoned). Each file is stored under a safe name of its
own; the original is kept for display (practices.ODSUpload.files)."""

import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings

from practices.ods.fetch import extract, is_archive, safe_name, unique_path

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_SECONDS = 24 * 60 * 60  # folders no upload row speaks for (practices.ods.tasks expires those)


def root():
    return Path(settings.ODS_UPLOAD_DIR)


def store(files, max_bytes):
    """Save uploaded files in a folder of their own; returns its token and the file paths
    (zip archives opened). Raises FetchError for an archive that cannot be used."""
    remove_stale()
    token = secrets.token_urlsafe(24)
    folder = root() / token
    folder.mkdir(parents=True, mode=0o700)
    paths, names = [], []
    try:
        for upload in files:
            # A safe name of its own (the original is shown to the admin as it was):
            # names that differ only in characters a file name cannot keep stay apart.
            target = unique_path(folder, safe_name(upload.name, default="upload"))
            with open(target, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            if is_archive(target):
                members = extract(target, max_bytes, prefix=target.stem)
                target.unlink()
                paths += members
                names += [{"name": f"{upload.name} → {p.name}", "stored": p.name} for p in members]
            else:
                paths.append(target)
                names.append({"name": upload.name, "stored": target.name})
    except BaseException:
        discard(token)  # a failed upload leaves nothing behind
        raise
    return token, paths, names


def stored(token):
    """The files saved under a token, or None when there are none (expired or used)."""
    if not token or not TOKEN.fullmatch(token):
        return None
    folder = root() / token
    if not folder.is_dir():
        return None
    return sorted(folder.iterdir())


def discard(token):
    if token and TOKEN.fullmatch(token):
        shutil.rmtree(root() / token, ignore_errors=True)
        progress_file(token).unlink(missing_ok=True)


def progress_file(token):
    return root() / f"{token}.progress"


def progress_writer(token):
    """A progress callback for the importer that keeps the latest step in a file the
    progress page reads (written whole, then renamed, so it is never seen half-written)."""
    target = progress_file(token)

    def write(message):
        partial = target.with_suffix(".partial")
        partial.write_text(message[:200], encoding="utf-8")
        partial.replace(target)

    return write


def progress(token):
    try:
        return progress_file(token).read_text(encoding="utf-8")
    except OSError:
        return ""


def remove_stale():
    if not root().is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for entry in root().iterdir():
        if entry.stat().st_mtime < cutoff:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
