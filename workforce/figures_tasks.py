"""A maximum amounts upload (workforce.figures), checked and applied by the task worker
(`manage.py db_worker`) as ODS uploads are (practices.ods.tasks): the same upload row,
stored files, progress file, single confirmation and expiry, and the audit history naming
the admin who confirmed and the file."""

import logging

from django.tasks import task
from django.utils import timezone

from practices.models import ODSUploadState
from practices.ods import tasks as upload_tasks
from practices.ods import uploads
from workforce import figures
from workforce.models import MaximumAmountUpload

logger = logging.getLogger(__name__)


def run(upload_id, *, dry_run):
    upload = MaximumAmountUpload.objects.get(pk=upload_id)
    expected = ODSUploadState.CHECKING if dry_run else ODSUploadState.IMPORTING
    if upload.state != expected:
        return upload.state  # a task queued twice, or an upload cancelled meanwhile
    paths = uploads.stored(upload.token)
    say = uploads.progress_writer(upload.token)
    still = MaximumAmountUpload.objects.filter(pk=upload_id, state=expected)
    finished = {"finished_at": timezone.now()}
    name = upload.names[0] if upload.names else "the file"
    try:
        if not paths:
            raise figures.FiguresFileError("is no longer there; upload it again")
        if dry_run:
            say(f"Checking {name} against the maximum amounts the portal holds")
            data = figures.check_file(paths[0], name)
        else:
            say(f"Applying {name}, all or nothing")
            by = upload.confirmed_by or upload.uploaded_by
            data = figures.apply_file(paths[0], name, by=by, expected=upload.preview)
    except figures.FiguresFileError as error:
        uploads.discard(upload.token)
        still.update(state=ODSUploadState.FAILED, error=f"Nothing applied. {name} {error}.",
                     **finished)  # fmt: skip
        return ODSUploadState.FAILED
    except figures.FiguresRefused as refused:
        uploads.discard(upload.token)
        still.update(state=ODSUploadState.FAILED, error=refused_text(name, refused.problems),
                     result={"problems": refused.problems}, **finished)  # fmt: skip
        return ODSUploadState.FAILED
    except Exception as error:
        logger.exception("Maximum amounts upload %s stopped", upload_id)
        uploads.discard(upload.token)
        still.update(
            state=ODSUploadState.FAILED,
            error=(
                f"Nothing applied. The load stopped on an error the portal did not expect "
                f"({type(error).__name__}); it is in the log. The maximum amounts are as "
                "they were."
            ),
            **finished,
        )
        return ODSUploadState.FAILED
    if dry_run:
        if data["problems"]:
            uploads.discard(upload.token)
            still.update(state=ODSUploadState.FAILED, preview=data,
                         error=refused_text(name, data["problems"]), **finished)  # fmt: skip
            return ODSUploadState.FAILED
        still.update(state=ODSUploadState.CHECKED, preview=data)
        return ODSUploadState.CHECKED
    uploads.discard(upload.token)
    still.update(state=ODSUploadState.IMPORTED, result=data, **finished)
    return ODSUploadState.IMPORTED


def refused_text(name, problems):
    """The refusal's headline; each problem is listed under it."""
    count = sum(1 for p in problems if p.startswith("Row "))
    if not count:
        return "Nothing applied."
    return (
        f"Nothing applied. {name} has {count} row{'s' if count != 1 else ''} to correct; "
        "correct them and upload the file again."
    )


@task
def check_upload(upload_id):
    """What loading the file would change, row by row, or why it cannot be loaded."""
    return run(upload_id, dry_run=True)


@task
def apply_upload(upload_id):
    """The load, all or nothing, after a national admin confirmed what it would change."""
    return run(upload_id, dry_run=False)


def confirm(upload, *, by):
    """Start applying a checked upload, once (practices.ods.tasks.confirm)."""
    return upload_tasks.confirm(upload, by=by, then=apply_upload)


def cancel(upload):
    return upload_tasks.cancel(upload)


def expire_abandoned():
    return upload_tasks.expire_abandoned(MaximumAmountUpload)
