"""Files a national admin uploads in admin, kept on disk between the dry run and the
confirmation, then removed. Uploads never confirmed are removed after a day."""

import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings

from networks.ods.fetch import extract, is_archive, safe_name, unique_path

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_SECONDS = 24 * 60 * 60


def root():
    return Path(settings.ODS_UPLOAD_DIR)


def store(files, max_bytes):
    """Save uploaded files in a folder of their own; returns its token and the file paths
    (zip archives opened). Raises FetchError for an archive that cannot be used."""
    remove_stale()
    token = secrets.token_urlsafe(24)
    folder = root() / token
    folder.mkdir(parents=True, mode=0o700)
    paths = []
    try:
        for upload in files:
            # A safe name of its own (the original is shown to the admin as it was):
            # names that differ only in characters a file name cannot keep stay apart.
            target = unique_path(folder, safe_name(upload.name, default="upload"))
            with open(target, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            if is_archive(target):
                paths += extract(target, max_bytes, prefix=target.stem)
                target.unlink()
            else:
                paths.append(target)
    except BaseException:
        discard(token)  # a failed upload leaves nothing behind
        raise
    return token, paths


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


def remove_stale():
    if not root().is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for folder in root().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
