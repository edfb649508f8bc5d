"""The forms of the services pages. Every edit form carries the version it was opened with
(pcn_portal.core.versions), so a concurrent save is refused, not lost."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.forms_nhsuk import DateInputField
from pcn_portal.core.submissions import SubmitOnceMixin
from pcn_portal.core.versions import VersionedFormMixin, VersionedModelForm
from services import actions
from services.evidence import ACCEPTED_TEXT, MAX_SIZE_TEXT, check_upload
from services.models import (
    CareHome,
    CareHomeAlignment,
    CareHomeType,
    DeliveryStatus,
    LocalPriority,
    RequirementProgress,
    ServiceDelivery,
    Weekday,
)

FIRST_YEAR = 2019  # the Network Contract DES began on 1 July 2019 (DOMAIN.md §1.1)


def year_choices():
    last = financial_year_of(today()) + 1
    return [(y, financial_year_label(y)) for y in range(last, FIRST_YEAR - 1, -1)]


class YearForm(NHSMessagesMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=year_choices)

    def year_or_current(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return financial_year_of(today())


class DeliveryForm(VersionedModelForm):
    class Meta:
        model = ServiceDelivery
        fields = actions.DELIVERY_FIELDS
        labels = {"status": "Delivery status", "evidence_notes": "Notes"}
        help_texts = {"lead_name": "The person who leads this for the network."}
        widgets = {"status": forms.RadioSelect, "evidence_notes": forms.Textarea(attrs={"rows": 4})}


class ProgressForm(VersionedModelForm):
    class Meta:
        model = RequirementProgress
        fields = actions.PROGRESS_FIELDS
        labels = {"status": "Progress", "due_on": "Due date", "completed_on": "Completed on"}
        help_texts = {
            "due_on": "When the network plans to have it done. For example, 31 3 2026",
            "completed_on": "For example, 15 1 2026",
        }
        field_classes = {"due_on": DateInputField, "completed_on": DateInputField}
        widgets = {"status": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        status, completed = cleaned.get("status"), cleaned.get("completed_on")
        if completed and completed > today():
            self.add_error("completed_on", "The completion date cannot be in the future")
        if (
            status == DeliveryStatus.DELIVERED
            and not completed
            and "completed_on" not in self.errors
        ):
            self.add_error("completed_on", "Enter the date the requirement was delivered")
        if completed and status != DeliveryStatus.DELIVERED:
            self.add_error("status", "Choose Delivered, or clear the completion date")
        return cleaned


class EvidenceForm(SubmitOnceMixin, forms.Form):
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    link = forms.URLField(
        label="Link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A web address where the evidence is kept, for example a shared document.",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"{ACCEPTED_TEXT}; up to {MAX_SIZE_TEXT}.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return check_upload(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(f) for f in ("note", "link", "file")):
            raise ValidationError("Give a note, a link or a file as evidence")
        return cleaned


def month_choices(start, end):
    """The months from `start` to `end` (first days), newest first."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append((month.isoformat(), f"{month:%B %Y}"))
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return list(reversed(months))


class CareHomeAddForm(SubmitOnceMixin, forms.Form):
    cqc_location_id = forms.CharField(
        label="CQC location ID",
        max_length=20,
        help_text="As CQC publishes it, for example 1-123456789",
    )
    name = forms.CharField(label="Name", max_length=200)
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    home_type = forms.ChoiceField(
        label="Type", choices=CareHomeType.choices, widget=forms.RadioSelect
    )
    beds = forms.IntegerField(
        label="Registered beds",
        min_value=0,
        max_value=2000,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        help_text="With and without nursing, as CQC records them, from the month of alignment",
    )
    clinical_lead = forms.CharField(label="Named clinical lead", max_length=200, required=False)
    round_day = forms.TypedChoiceField(
        label="Day of the weekly home round",
        choices=[("", "Not set"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start_date = DateInputField(label="Aligned from", help_text="For example, 1 4 2025")

    def clean_cqc_location_id(self):
        value = self.cleaned_data["cqc_location_id"].strip()
        CareHome._meta.get_field("cqc_location_id").run_validators(value)
        return value


class CareHomeForm(VersionedModelForm):
    """The home's own details. `locked` (why they may not be changed, services.scopes)
    shows them without offering them for change: a disabled field keeps its stored value
    whatever is posted."""

    prefix = "home"

    class Meta:
        model = CareHome
        fields = actions.CARE_HOME_FIELDS
        widgets = {"home_type": forms.RadioSelect, "address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, locked=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        if locked:
            for name in actions.CARE_HOME_FIELDS:
                self.fields[name].disabled = True


class AlignmentForm(VersionedModelForm):
    prefix = "alignment"

    class Meta:
        model = CareHomeAlignment
        fields = actions.ALIGNMENT_FIELDS
        labels = {"round_day": "Day of the weekly home round"}


class EndAlignmentForm(VersionedFormMixin, forms.Form):
    """The last day of a home's alignment. It carries the alignment's version: ending an
    alignment someone changed or ended after the form was opened is refused, their last
    day shown beside yours."""

    end_date = DateInputField(
        label="Last day aligned to this network", help_text="For example, 31 3 2026"
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, initial={"end_date": instance.end_date or today()}, **kwargs)


class BedsForm(NHSMessagesMixin, forms.Form):
    month = forms.ChoiceField(
        label="Month",
        error_messages={
            "invalid_choice": "Select a month in which the home is aligned to this network"
        },
    )
    beds = forms.IntegerField(
        label="Registered beds",
        min_value=0,
        max_value=2000,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )

    def __init__(self, *args, alignment, **kwargs):
        super().__init__(*args, **kwargs)
        last = alignment.end_date or (today().replace(day=1) + datetime.timedelta(days=62))
        self.fields["month"].choices = month_choices(alignment.start_date, last)
        self.fields["month"].initial = today().replace(day=1).isoformat()

    def clean_month(self):
        return datetime.date.fromisoformat(self.cleaned_data["month"])


class PriorityForm(SubmitOnceMixin, VersionedModelForm):
    class Meta:
        model = LocalPriority
        fields = actions.PRIORITY_FIELDS
        labels = {"review_on": "Review date", "start_date": "Start date", "end_date": "End date"}
        help_texts = {
            "title": "For example, Diabetes prevention",
            "review_on": "For example, 30 9 2026",
            "start_date": "For example, 1 4 2026",
            "end_date": "Its last day. Leave blank while it continues.",
        }
        field_classes = {
            "review_on": DateInputField,
            "start_date": DateInputField,
            "end_date": DateInputField,
        }
        widgets = {"status": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
