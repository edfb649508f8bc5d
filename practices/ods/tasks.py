"""Admin's ODS uploads, checked and imported by the task worker (`manage.py db_worker`),
never in the web request: a national file takes minutes, a request must not.

The upload's row (practices.ODSUpload) records each step. Progress is written to a small
file beside the upload's folder rather than to the row: the import runs in one
transaction, and what it writes is not seen by anybody else until it commits.
"""

import datetime
import logging

import pghistory
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from pcn_portal.core.writing import actor_context
from practices.models import ODSUpload, ODSUploadState
from practices.ods import uploads
from practices.ods.fetch import FetchError
from practices.ods.importer import ImportAborted, import_files
from practices.ods.readers import ODSFileError

logger = logging.getLogger(__name__)


def result_data(result):
    """An ImportResult as the row keeps it: counts, examples and warnings by kind."""
    return {
        "files": result.files,
        "changed": result.changed,
        "changed_text": f"{result.changed:,}",
        "outcomes": [
            {
                "kind": o.kind,
                "created": o.created,
                "updated": o.updated,
                "closed": o.closed,
                "unchanged": o.unchanged,
                "examples": o.examples,
                "summary": o.summary(),
            }
            for o in result.outcomes.values()
        ],
        "warnings": result.warnings,
    }


def run(upload_id, *, dry_run):
    upload = ODSUpload.objects.get(pk=upload_id)
    expected = ODSUploadState.CHECKING if dry_run else ODSUploadState.IMPORTING
    if upload.state != expected:
        return upload.state  # a task queued twice, or an upload cancelled meanwhile
    paths = uploads.stored(upload.token)
    finished = {"finished_at": timezone.now()}
    # Each outcome is written only while the upload is still in the state this task
    # began with: an upload cancelled meanwhile stays cancelled.
    try:
        if not paths:
            raise ImportAborted("The uploaded files are no longer there; upload them again.")
        by = upload.confirmed_by or upload.uploaded_by
        # The audit history names the admin, as it would for a change made in a request.
        with pghistory.context(**actor_context(by)):
            result = import_files(
                paths,
                dry_run=dry_run,
                progress=uploads.progress_writer(upload.token),
                process="admin upload (dry run)" if dry_run else "admin upload",
            )
    except (ODSFileError, ImportAborted, FetchError) as error:
        uploads.discard(upload.token)
        ODSUpload.objects.filter(pk=upload_id, state=expected).update(
            state=ODSUploadState.FAILED, error=f"Nothing imported. {error}", **finished
        )
        return ODSUploadState.FAILED
    except Exception as error:
        logger.exception("ODS upload %s stopped", upload_id)
        uploads.discard(upload.token)
        ODSUpload.objects.filter(pk=upload_id, state=expected).update(
            state=ODSUploadState.FAILED,
            error=(
                f"Nothing imported. The import stopped on an error the portal did not expect "
                f"({type(error).__name__}); it is in the log. The database is as it was."
            ),
            **finished,
        )
        return ODSUploadState.FAILED
    if dry_run:
        ODSUpload.objects.filter(pk=upload_id, state=expected).update(
            state=ODSUploadState.CHECKED, preview=result_data(result)
        )
        return ODSUploadState.CHECKED
    uploads.discard(upload.token)
    ODSUpload.objects.filter(pk=upload_id, state=expected).update(
        state=ODSUploadState.IMPORTED, result=result_data(result), **finished
    )
    return ODSUploadState.IMPORTED


@task
def check_upload(upload_id):
    """The dry run: what importing the upload would change."""
    return run(upload_id, dry_run=True)


@task
def import_upload(upload_id):
    """The import, all or nothing, after an admin confirmed the dry run."""
    return run(upload_id, dry_run=False)


def confirm(upload, *, by, then=None):
    """Start the import of a checked upload, once: a second confirmation (a double
    click, a second tab) finds it already importing or imported and starts nothing.
    Returns the upload as it now is, and whether this call started the import. `then` is
    the task that imports it (an ODS upload's by default; any practices.models.Upload
    row works the same way)."""
    with transaction.atomic():
        upload = type(upload).objects.select_for_update().get(pk=upload.pk)
        if upload.state != ODSUploadState.CHECKED:
            return upload, False
        upload.state = ODSUploadState.IMPORTING
        upload.confirmed_by, upload.confirmed_at = by, timezone.now()
        upload.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    (then or import_upload).enqueue(upload.pk)
    return upload, True


ABANDONED_AFTER = datetime.timedelta(hours=1)


def expire_abandoned(model=ODSUpload):
    """Uploads checked but never confirmed within the hour: cancelled, files removed."""
    cutoff = timezone.now() - ABANDONED_AFTER
    for upload in model.objects.filter(state=ODSUploadState.CHECKED, uploaded_at__lt=cutoff):
        cancel(upload)


def cancel(upload):
    with transaction.atomic():
        upload = type(upload).objects.select_for_update().get(pk=upload.pk)
        if upload.state not in (ODSUploadState.CHECKED, ODSUploadState.CHECKING):
            return upload, False
        upload.state, upload.finished_at = ODSUploadState.CANCELLED, timezone.now()
        upload.save(update_fields=["state", "finished_at"])
    uploads.discard(upload.token)
    return upload, True
