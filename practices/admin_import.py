"""The "Import ODS files" page in admin: upload, see what would change, then confirm.

The same importer as manage.py import_ods, so the same files, rules and messages; the
audit history names the admin who confirmed and the upload's file names. The dry run and
the import run in the task worker (practices/ods/tasks.py), never in the request; the
upload's status page follows them (static/js/import-status.js asks how far they have come,
or without JavaScript the page refreshes itself) until they finish.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from pcn_portal.core.form_messages import NHSMessagesMixin
from practices.models import ODSUpload, ODSUploadState
from practices.ods import tasks, uploads
from practices.ods.fetch import FetchError, size_text

REFRESH_SECONDS = 2
ACCEPTED = (".xlsx", ".csv", ".zip")
PERMISSION = "networks.import_ods"


def upload_limit():
    """The largest file accepted, in bytes: the same limit as fetch_ods downloads."""
    return settings.ODS_FETCH_MAX_MB * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ACCEPTED)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(NHSMessagesMixin, forms.Form):
    files = MultipleFileField(
        label="ODS and NHS England files",
        help_text=(
            "Any of: the ePCN workbook (.xlsx) or its two CSV exports, epraccur (.csv), the "
            "practice map (gp-reg-pat-prac-map) and list sizes (gp-reg-pat-prac-all); zip "
            "archives of them too. Select several at once to import them together."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = upload_limit()
        names = [f.name for f in files]
        for upload in files:
            if Path(upload.name).suffix.lower() not in ACCEPTED:
                raise forms.ValidationError(
                    f"{upload.name} is not a .xlsx, .csv or .zip file.", code="file_type"
                )
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is {size_text(upload.size)}; the largest file accepted "
                    f"is {size_text(limit)}.",
                    code="file_size",
                )
            if names.count(upload.name) > 1:
                raise forms.ValidationError(f"{upload.name} is selected twice.", code="duplicate")
        return files


def import_ods_view(model_admin, request):
    """The upload form. A valid upload is stored and checked by the task worker; the
    admin follows it on its status page."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    tasks.expire_abandoned()
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        # A new upload replaces the same admin's uploads not confirmed.
        for earlier in ODSUpload.objects.filter(
            uploaded_by=request.user, state__in=[ODSUploadState.CHECKED, ODSUploadState.CHECKING]
        ):
            tasks.cancel(earlier)
        try:
            token, _paths, names = uploads.store(form.cleaned_data["files"], upload_limit())
        except FetchError as error:
            form.add_error("files", f"Nothing imported. {error}")
        else:
            upload = ODSUpload.objects.create(token=token, files=names, uploaded_by=request.user)
            tasks.check_upload.enqueue(upload.pk)
            return redirect(status_url(upload))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import ODS files",
        "form": form,
        "max_size": size_text(upload_limit()),
    }
    return TemplateResponse(request, "admin/networks/import_ods.html", context)


def status_url(upload):
    return reverse("admin:networks_primarycarenetwork_import_status", args=[upload.token])


def import_ods_status_view(model_admin, request, token):
    """One upload: its progress while the worker checks or imports it (the page refreshes
    itself), then what would change with Import and Cancel, then the result or the refusal.
    Only the admin who uploaded the files sees it."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    upload = get_object_or_404(ODSUpload, token=token, uploaded_by=request.user)
    if request.method == "POST":
        return status_post(request, upload)
    return upload_status_page(
        request,
        model_admin,
        upload,
        title="Import ODS files",
        template="admin/networks/import_ods_status.html",
        here=status_url(upload),
        upload_url=reverse("admin:networks_primarycarenetwork_import_ods"),
        changelist=reverse("admin:networks_primarycarenetwork_changelist"),
    )


def upload_status_page(
    request, model_admin, upload, *, title, template, here, upload_url, changelist, **extra
):
    """The page of an upload (practices.models.Upload) a national admin follows: for the
    page's script, its state and the worker's progress as JSON; else the page
    (templates/admin/upload_status.html, extended by `template`), with its preview or
    result. ODS files and maximum amounts are followed alike."""
    progress = uploads.progress(upload.token) if upload.running else ""
    if "application/json" in request.headers.get("Accept", ""):
        # What the page's script asks every few seconds while the worker runs.
        return JsonResponse(
            {"state": upload.state, "running": upload.running, "progress": progress}
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"{title}: {upload.get_state_display().lower()}",
        "upload": upload,
        "progress": progress,
        "refresh_seconds": REFRESH_SECONDS,
        "preview": upload.preview or {},
        "result": upload.result or {},
        "here": here,
        "upload_url": upload_url,
        "changelist": changelist,
        **extra,
    }
    return TemplateResponse(request, template, context)


def status_post(request, upload):
    return upload_status_post(
        request,
        upload,
        tasks,
        cancelled="Import cancelled: nothing was changed.",
        already=already,
        here=status_url(upload),
    )


def upload_status_post(request, upload, worker, *, cancelled, already, here):
    """Confirm or Cancel on an upload's page: `worker` (the upload's task module) starts the
    confirmed work once, or cancels; a second press, or one after the state moved on, is
    answered with why nothing happened (`already(upload)`)."""
    if "cancel" in request.POST:
        upload, done = worker.cancel(upload)
        if done:
            messages.info(request, cancelled)
        else:
            messages.error(request, already(upload))
        return redirect(here)
    upload, started = worker.confirm(upload, by=request.user)
    if not started:
        messages.error(request, already(upload))
    return redirect(here)


def already(upload):
    """Why a confirmation or cancellation did nothing, in the admin's words."""
    names = ", ".join(upload.names)
    when = upload.confirmed_at and timezone.localtime(upload.confirmed_at)
    who = upload.confirmed_by and (upload.confirmed_by.get_full_name() or upload.confirmed_by)
    if upload.state == ODSUploadState.IMPORTED:
        return f"{names} were already imported, by {who} at {when:%H:%M on %d %B %Y}."
    if upload.state == ODSUploadState.IMPORTING:
        return f"{names} are already being imported, by {who} since {when:%H:%M on %d %B %Y}."
    if upload.state == ODSUploadState.CANCELLED:
        return f"{names} were cancelled: nothing was changed. Upload them again to import them."
    if upload.state == ODSUploadState.FAILED:
        return "These files were refused: nothing was imported."
    return "These files are still being checked; wait for the check to finish."
