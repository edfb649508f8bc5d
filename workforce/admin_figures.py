"""Admin's "Load maximum amounts" page: upload the year's published table, see what would
change row by row, then confirm; and the template to fill in.

The upload is stored, checked and applied as admin's ODS uploads are (practices.ods.uploads
and practices.ods.tasks, through workforce.figures_tasks), never in the request; its page
follows the task worker (static/js/import-status.js) until the preview, the result or the
refusal is there.
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.names import person_name
from practices.models import ODSUploadState
from practices.ods import uploads
from practices.ods.fetch import FetchError, size_text
from workforce import figures, figures_tasks
from workforce.models import ARRSRole, MaximumAmountUpload
from workforce.rules import role_bands

PERMISSION = "workforce.load_maximum_amounts"
ACCEPTED = (".csv", ".xlsx")
MAX_BYTES = 5 * 1024 * 1024  # a year's table is a few kilobytes
REFRESH_SECONDS = 2


class FiguresForm(NHSMessagesMixin, forms.Form):
    file = forms.FileField(
        label="Table of maximum amounts",
        help_text="A CSV file or an Excel workbook (.xlsx; its first sheet is read) with the "
        "template's columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED:
            raise forms.ValidationError(f"{upload.name} is not a .csv or .xlsx file.")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is {size_text(upload.size)}; the largest file accepted is "
                f"{size_text(MAX_BYTES)}."
            )
        return upload


def urls(model_admin):
    """The page's addresses, under the maximum amounts' admin."""
    site = model_admin.admin_site

    def wrap(view):
        return site.admin_view(lambda request, **kw: view(model_admin, request, **kw))

    return [
        path("load/", wrap(load_view), name="workforce_maximumamount_load"),
        path("load/template.csv", wrap(template_view), name="workforce_maximumamount_template"),
        path("load/<str:token>/", wrap(status_view), name="workforce_maximumamount_load_status"),
    ]


def check_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def load_view(model_admin, request):
    """The upload form. A valid file is stored and checked by the task worker; the admin
    follows it on its status page."""
    check_permission(request)
    figures_tasks.expire_abandoned()
    form = FiguresForm(request.POST, request.FILES) if request.method == "POST" else FiguresForm()
    if request.method == "POST" and form.is_valid():
        for earlier in MaximumAmountUpload.objects.filter(
            uploaded_by=request.user, state__in=[ODSUploadState.CHECKED, ODSUploadState.CHECKING]
        ):
            figures_tasks.cancel(earlier)
        try:
            token, _paths, names = uploads.store([form.cleaned_data["file"]], MAX_BYTES)
        except FetchError as error:
            form.add_error("file", f"Nothing applied. {error}")
        else:
            upload = MaximumAmountUpload.objects.create(
                token=token, files=names, uploaded_by=request.user
            )
            figures_tasks.check_upload.enqueue(upload.pk)
            return redirect(status_url(upload))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Load maximum amounts",
        "form": form,
        "max_size": size_text(MAX_BYTES),
        "template_url": reverse("admin:workforce_maximumamount_template"),
        "roles": [(role.name, _bands_text(role)) for role in ARRSRole.objects.order_by("name")],
    }
    return TemplateResponse(request, "admin/workforce/maximumamount/load.html", context)


def _bands_text(role):
    bands = role_bands(role)
    if not bands:
        return "none (leave blank)"
    return ", ".join(bands)


def template_view(model_admin, request):
    """The table to fill in, as CSV: its columns and a line per role, no figures."""
    check_permission(request)
    response = HttpResponse(figures.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="maximum-amounts-template.csv"'
    return response


def status_url(upload):
    return reverse("admin:workforce_maximumamount_load_status", args=[upload.token])


def status_view(model_admin, request, token):
    """One upload: its progress while the worker checks or applies it, then what would
    change with Apply and Cancel, then the result or the refusal, each bad row named. Only
    the admin who uploaded the file sees it."""
    check_permission(request)
    upload = get_object_or_404(MaximumAmountUpload, token=token, uploaded_by=request.user)
    if request.method == "POST":
        return status_post(request, upload)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "state": upload.state,
                "running": upload.running,
                "progress": uploads.progress(upload.token) if upload.running else "",
            }
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Load maximum amounts: {upload.get_state_display().lower()}",
        "upload": upload,
        "progress": uploads.progress(upload.token) if upload.running else "",
        "refresh_seconds": REFRESH_SECONDS,
        "preview": upload.preview or {},
        "result": upload.result or {},
        # Each bad row, found by the check (or, when the portal changed meanwhile, by the load).
        "problems": (upload.preview or {}).get("problems") or (upload.result or {}).get("problems"),
        "here": status_url(upload),
        "load_url": reverse("admin:workforce_maximumamount_load"),
        "changelist": reverse("admin:workforce_maximumamount_changelist"),
    }
    return TemplateResponse(request, "admin/workforce/maximumamount/load_status.html", context)


def status_post(request, upload):
    if "cancel" in request.POST:
        upload, cancelled = figures_tasks.cancel(upload)
        if cancelled:
            messages.info(request, "Cancelled: no maximum amount was changed.")
        else:
            messages.error(request, already(upload))
        return redirect(status_url(upload))
    upload, started = figures_tasks.confirm(upload, by=request.user)
    if not started:
        messages.error(request, already(upload))
    return redirect(status_url(upload))


def already(upload):
    """Why a confirmation or cancellation did nothing, in the admin's words."""
    name = ", ".join(upload.names)
    when = upload.confirmed_at and timezone.localtime(upload.confirmed_at)
    who = person_name(upload.confirmed_by) if upload.confirmed_by else ""
    if upload.state == ODSUploadState.IMPORTED:
        return f"{name} was already applied, by {who} at {when:%H:%M on %-d %B %Y}."
    if upload.state == ODSUploadState.IMPORTING:
        return f"{name} is already being applied, by {who} since {when:%H:%M on %-d %B %Y}."
    if upload.state == ODSUploadState.CANCELLED:
        return f"{name} was cancelled: nothing was changed. Upload it again to load it."
    if upload.state == ODSUploadState.FAILED:
        return f"{name} was refused: nothing was applied."
    return f"{name} is still being checked; wait for the check to finish."
