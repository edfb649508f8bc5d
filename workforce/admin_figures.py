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
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from networks.models import Source
from pcn_portal.core.dates import financial_year_label
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.names import person_name
from practices.admin_import import upload_status_page, upload_status_post
from practices.models import ODSUploadState
from practices.ods import uploads
from practices.ods.fetch import FetchError, size_text
from workforce import allocation_rates, figures, figures_tasks
from workforce.models import ARRSRole, MaximumAmountUpload
from workforce.rules import role_bands

PERMISSION = "workforce.load_maximum_amounts"
ACCEPTED = (".csv", ".xlsx")
MAX_BYTES = 5 * 1024 * 1024  # a year's table is a few kilobytes


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
    preview, result = upload.preview or {}, upload.result or {}
    return upload_status_page(
        request,
        model_admin,
        upload,
        title="Load maximum amounts",
        template="admin/workforce/maximumamount/load_status.html",
        here=status_url(upload),
        upload_url=reverse("admin:workforce_maximumamount_load"),
        changelist=reverse("admin:workforce_maximumamount_changelist"),
        # Each bad row, found by the check (or, when the portal changed meanwhile, by the load).
        problems=preview.get("problems") or result.get("problems"),
    )


def status_post(request, upload):
    return upload_status_post(
        request,
        upload,
        figures_tasks,
        cancelled="Cancelled: no maximum amount was changed.",
        already=already,
        here=status_url(upload),
    )


def already(upload):
    """Why a confirmation or cancellation did nothing, in the admin's words."""
    name = f"The file {', '.join(upload.names)}"
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


# --- the year's allocation rate and ring-fenced sum ------------------------------------

RATE_PERMISSION = "workforce.change_allocationrate"


class RateForm(NHSMessagesMixin, forms.Form):
    financial_year = forms.IntegerField(
        label="Financial year",
        min_value=2019,
        max_value=2100,
        help_text="The calendar year it starts in: 2026 for 2026/27.",
    )
    pounds_per_weighted_patient = forms.DecimalField(
        label="£ per weighted patient", max_digits=7, decimal_places=3, min_value=0
    )
    population_basis = forms.CharField(
        required=False,
        max_length=200,
        help_text="For example “PCN contractor weighted population at 1 January 2026”.",
    )
    national_total = forms.DecimalField(
        label="National total (£)", required=False, max_digits=15, decimal_places=2, min_value=0
    )
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        help_text="The published documents giving the rate (and the ring-fenced sum).",
    )
    section = forms.CharField(label="Section or table", required=False, max_length=200)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fenced_role = forms.ModelChoiceField(
        label="Ring-fenced sum: role",
        queryset=ARRSRole.objects.all(),
        required=False,
        help_text="Only where the year has a sum for one role's posts alone; else leave the "
        "four ring-fenced fields blank.",
    )
    fenced_rate = forms.DecimalField(
        label="Ring-fenced sum: £ per weighted patient",
        required=False,
        max_digits=7,
        decimal_places=3,
        min_value=0,
    )
    fenced_first_day = forms.DateField(label="Ring-fenced sum: first day", required=False)
    fenced_last_day = forms.DateField(label="Ring-fenced sum: last day", required=False)

    FENCED = ("fenced_role", "fenced_rate", "fenced_first_day", "fenced_last_day")

    def clean(self):
        data = super().clean()
        given = [name for name in self.FENCED if data.get(name) not in (None, "")]
        if given and len(given) < len(self.FENCED):
            for name in self.FENCED:
                if name not in given and name not in self.errors:
                    self.add_error(name, "Give all four ring-fenced fields, or none.")
        return data

    def ring_fenced(self):
        data = self.cleaned_data
        if data.get("fenced_role") is None:
            return None
        return {
            "role": data["fenced_role"],
            "pounds_per_weighted_patient": data["fenced_rate"],
            "first_day": data["fenced_first_day"],
            "last_day": data["fenced_last_day"],
        }


def rate_urls(model_admin):
    view = model_admin.admin_site.admin_view(lambda request: rate_view(model_admin, request))
    return [path("set/", view, name="workforce_allocationrate_set")]


def rate_view(model_admin, request):
    """The year's rate and ring-fenced sum, with their source; saved, every network's ARRS
    sum for the year is recorded again by the task worker."""
    if not request.user.has_perm(RATE_PERMISSION):
        raise PermissionDenied
    form = RateForm(request.POST) if request.method == "POST" else RateForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation_rates.set_rate(
                financial_year=data["financial_year"],
                by=request.user,
                rate={name: data[name] for name in allocation_rates.RATE_FIELDS},
                sources=data["sources"],
                section=data["section"],
                ring_fenced=form.ring_fenced(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            label = financial_year_label(data["financial_year"])
            messages.success(
                request,
                f"The ARRS allocation rate for {label} is saved. Every network's ARRS sum and "
                f"forecast for {label} is being worked out again by the task worker.",
            )
            return redirect(reverse("admin:workforce_allocationrate_changelist"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Set a year's allocation rate",
        "form": form,
    }
    return TemplateResponse(request, "admin/workforce/allocationrate/set.html", context)
