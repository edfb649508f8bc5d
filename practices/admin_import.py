"""The "Import ODS files" page in admin: upload, see what would change, then confirm.

The same importer as manage.py import_ods, so the same files, rules and messages; the
audit history names the admin who confirmed and the upload's file names.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from practices.ods import uploads
from practices.ods.fetch import FetchError, size_text
from practices.ods.importer import ImportAborted, import_files
from practices.ods.readers import ODSFileError

SESSION_KEY = "ods_upload"
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


class UploadForm(forms.Form):
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
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    here = reverse("admin:networks_primarycarenetwork_import_ods")
    changelist = reverse("admin:networks_primarycarenetwork_changelist")
    pending = request.session.get(SESSION_KEY) or {}

    if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
        token = pending.get("token")
        request.session.pop(SESSION_KEY, None)
        if "cancel" in request.POST:
            uploads.discard(token)
            messages.info(request, "Import cancelled: nothing was changed.")
            return redirect(here)
        paths = uploads.stored(token) if request.POST.get("token") == token else None
        if not paths:
            messages.error(
                request,
                "These files were already imported, cancelled or have expired. Upload them "
                "again to import them.",
            )
            return redirect(here)
        try:
            result = import_files(paths, process="admin upload")
        except (ODSFileError, ImportAborted) as error:
            messages.error(request, f"Nothing imported. {error}")
            return redirect(here)
        finally:
            uploads.discard(token)
        if result.changed:
            messages.success(
                request,
                f"Imported {', '.join(result.files)}: {result.changed:,} records changed. "
                + "; ".join(o.summary() for o in result.outcomes.values())
                + ".",
            )
        else:
            messages.success(request, "Nothing changed: the database already matches these files.")
        for warning in result.warnings:
            messages.warning(request, warning)
        return redirect(changelist)

    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    preview = None
    if request.method == "POST" and form.is_valid():
        uploads.discard(pending.get("token"))  # a new upload replaces one not confirmed
        try:
            token, paths = uploads.store(form.cleaned_data["files"], upload_limit())
        except FetchError as error:
            form.add_error("files", f"Nothing imported. {error}")
        else:
            try:
                preview = import_files(paths, dry_run=True, process="admin upload (dry run)")
            except (ODSFileError, ImportAborted) as error:
                uploads.discard(token)
                form.add_error("files", f"Nothing imported. {error}")
            else:
                request.session[SESSION_KEY] = {"token": token, "files": preview.files}
                pending = request.session[SESSION_KEY]

    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import ODS files",
        "form": form,
        "preview": preview,
        "outcomes": preview.outcomes.values() if preview else [],
        "token": pending.get("token") if preview else None,
        "changed": f"{preview.changed:,}" if preview else "",
        "max_size": size_text(upload_limit()),
    }
    return TemplateResponse(request, "admin/networks/import_ods.html", context)
