"""Forms for ARRS records that more than one page uses."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError

from pcn_portal.core.dates import month_bounds, overlap, today
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.forms_nhsuk import DateInputField, NHSFormHelper
from pcn_portal.core.submissions import SubmitOnceMixin
from pcn_portal.core.versions import VersionedFormMixin
from practices.models import Practice
from workforce import actions, calculations
from workforce.models import (
    FULL_TIME_HOURS,
    TERM_FIELDS,
    ARRSRole,
    ClaimLine,
    EmployerType,
    LondonZone,
    Post,
)
from workforce.rules import AFC_BANDS


class ClaimLineForm(NHSMessagesMixin, forms.ModelForm):
    """A claim line whose maximum and reimbursable amounts are worked out from the post,
    the claim's month and the costs entered — the same way the portal builds a claim —
    rather than typed, so the two can never disagree."""

    class Meta:
        model = ClaimLine
        fields = ["claim", "post", *actions.LINE_FIELDS]

    def _claim(self):
        if self.cleaned_data.get("claim"):
            return self.cleaned_data["claim"]
        try:
            return self.instance.claim
        except ObjectDoesNotExist:
            return None

    def clean(self):
        cleaned = super().clean()
        claim, post = self._claim(), cleaned.get("post")
        if claim is not None and not claim.editable:
            raise ValidationError(actions.not_editable_message(claim))
        if claim is None or post is None or claim.pcn_id is None or claim.month is None:
            return cleaned
        if post.pcn_id != claim.pcn_id:
            message = (
                f"This post is in {post.pcn.code}, not in {claim.pcn.code}, "
                "the PCN the claim is for."
            )
            raise ValidationError({"post": message})
        first, last = month_bounds(claim.month)
        if overlap(post.start_date, post.end_date, first, last) is None:
            raise ValidationError({"post": f"This post is not in place in {claim.month:%B %Y}."})
        costs = [cleaned.get(f) for f in ("salary", "employer_ni", "employer_pension")]
        if None in costs or cleaned.get("weekly_hours") is None:
            return cleaned
        line = actions.line_for(
            claim,
            post,
            salary=costs[0],
            employer_ni=costs[1],
            employer_pension=costs[2],
            weekly_hours=cleaned["weekly_hours"],
        )
        self.instance.maximum_amount = line.maximum_amount
        self.instance.reimbursable_amount = line.reimbursable_amount
        self.instance.held_reason = line.held_reason
        return cleaned


class VersionedClaimLineForm(VersionedFormMixin, ClaimLineForm):
    """The same, on a change page of its own: refuses to save over a later change."""


# --- pages for network managers and approvers --------------------------------------------


def _helper(submit_label):
    return NHSFormHelper(submit_label=submit_label)


# Employer National Insurance from April 2026: 15% of pay above £5,000 a year, as NHS
# England's CQRS help for the 2026/27 GP reimbursement scheme gives it (DOMAIN.md §3, S33).
EMPLOYER_NI_FROM = datetime.date(2026, 4, 1)
EMPLOYER_NI_RATE = Decimal("0.15")
EMPLOYER_NI_THRESHOLD = Decimal("5000")
EMPLOYER_NI_SOURCE = (
    "NHS England, CQRS, “Help with GP reimbursement scheme”, 2026/27: "
    "https://welcome.cqrs.nhs.uk/service-desk/help-with-gp-reimbursement-scheme/"
)


def employer_ni(actual_salary):
    """A year's employer National Insurance on an actual salary, from April 2026."""
    above = max(Decimal(actual_salary) - EMPLOYER_NI_THRESHOLD, Decimal(0))
    return (above * EMPLOYER_NI_RATE).quantize(Decimal("0.01"))


class PostForm(SubmitOnceMixin, VersionedFormMixin, forms.ModelForm):
    """A post and the person in it. The Agenda for Change band is chosen from a list and
    checked against the role's bands when saved (workforce.rules). It carries the versions
    of both records it edits, so a change to the holder's name or registration meanwhile
    is refused like a change to the post."""

    full_name = forms.CharField(label="Full name of the post holder", max_length=200)
    professional_registration = forms.CharField(
        label="Professional registration (optional)",
        max_length=40,
        required=False,
        help_text="For example GPhC 2071234, HCPC PA12345 or NMC 12A3456E",
    )
    afc_band = forms.ChoiceField(
        label="Agenda for Change band",
        required=False,
        choices=[("", "Not on Agenda for Change (GPs)")]
        + [(band, f"Band {band}") for band in AFC_BANDS],
        help_text="One of the role's bands",
    )

    class Meta:
        model = Post
        fields = actions.POST_FIELDS  # and the holder's PERSON_FIELDS, declared above
        field_classes = {
            "start_date": DateInputField,
            "end_date": DateInputField,
            "cct_date": DateInputField,
        }
        labels = {
            "employer_type": "Employer",
            "employer_practice": "Member practice that employs the post holder",
            "employer_name": "Employer's name (when not a member practice)",
            "start_date": "Start date",
            "end_date": "Last day in post (optional)",
            "weekly_hours": "Weekly hours",
            "annual_salary": "Full-time equivalent annual salary (£)",
            "annual_employer_ni": "Annual employer National Insurance (£)",
            "annual_employer_pension": "Annual employer pension contributions (£)",
            "london_zone": "London zone",
            "arrs_funded": "ARRS-funded",
            "cct_date": "GP's CCT date (GP posts)",
            "locum": "Is the GP engaged as a locum? (GP posts)",
            "gp_before_scheme": "Was the GP already employed as a GP before 1 October 2024? "
            "(GP posts)",
            "employed_here_in_previous_year": "Was the post holder employed by the network or "
            "a member practice in the 12 months before starting? (nurse and healthcare "
            "support worker posts from April 2025)",
            "more_senior_nursing_role": "If so, is this a more senior or specialist nursing role?",
        }
        help_texts = {
            "start_date": "For example, 1 10 2024",
            "end_date": "The last day worked, for example 31 3 2026. Leave blank if still in post",
            "weekly_hours": "37.5 hours is 1.0 WTE; ARRS reimburses at most 1.0 WTE per post",
            "arrs_funded": "Tick if the post is claimed for under ARRS",
            "annual_salary": "The salary for 37.5 hours a week, as Agenda for Change pay points "
            "and the salaried GP range are published, even for a part-time post. The actual "
            "salary is worked out from the weekly hours",
            "annual_employer_ni": "On the actual salary, for a year. For pay from 1 April 2026 "
            "leave it blank to have it worked out: 15% of pay above £5,000 a year "
            f"({EMPLOYER_NI_SOURCE})",
            "annual_employer_pension": "The employer's NHS Pension Scheme contributions on the "
            "actual salary for a year, from your payroll (the employer rate is set by the "
            "scheme, not by ARRS)",
        }
        widgets = {"london_zone": forms.RadioSelect, "employer_type": forms.RadioSelect}

    def __init__(self, *args, pcn, **kwargs):
        super().__init__(*args, **kwargs)
        self.pcn = pcn
        if self.instance.pk:
            self.initial.setdefault("full_name", self.instance.staff_member.full_name)
            self.initial.setdefault(
                "professional_registration", self.instance.staff_member.professional_registration
            )
        self.fields["role"].queryset = ARRSRole.objects.order_by("name").prefetch_related("sources")
        self.fields["role"].help_text = (
            "When each role became reimbursable, and its bands, are under “Rules checked "
            "when you save”"
        )
        self.fields["employer_type"].choices = EmployerType.choices
        self.fields["london_zone"].choices = LondonZone.choices
        self.fields["employer_practice"].queryset = (
            Practice.objects.filter(memberships__pcn=pcn).distinct().order_by("code")
        )
        self.fields["employer_practice"].required = False
        self.fields["annual_employer_ni"].required = False
        order = [*actions.PERSON_FIELDS, *actions.POST_FIELDS]
        if self.instance.pk is not None:
            shown = self._terms_shown()
            for name in TERM_FIELDS:
                self.initial[name] = getattr(shown, name)
            self.fields["terms_from"] = DateInputField(
                label="From which day do the new hours, band, pay, zone or funding apply?",
                required=False,
                help_text="Only if you changed them. Earlier days keep the terms they had, so "
                "claims and forecasts of earlier months do not change. To correct them from "
                "the start, give the start date. For example, 1 4 2026",
            )
            order.insert(order.index("weekly_hours"), "terms_from")
        self.order_fields(order)
        self.helper = _helper("Save post")

    def _terms_shown(self):
        """On a change page, the terms in force today (or on the post's first or last day,
        for a post not yet started or ended): the ones the form starts from."""
        if self.instance.pk is None:
            return None
        return calculations.terms_on(self.instance, today())

    def changed_terms(self):
        """The terms the user changed from those the form showed."""
        shown = self._terms_shown()
        if shown is None:
            return {}
        return {
            name: self.cleaned_data[name]
            for name in TERM_FIELDS
            if name in self.cleaned_data and self.cleaned_data[name] != getattr(shown, name)
        }

    def versioned_records(self):
        """The post and its holder, whose name and registration the form also edits."""
        if self.instance.pk is None:
            return [self.instance]
        return [self.instance, self.instance.staff_member]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("employer_type") == "member_practice" and not cleaned.get(
            "employer_practice"
        ):
            self.add_error("employer_practice", "Choose the member practice that employs them.")
        first_day = self._terms_first_day(cleaned)
        if cleaned.get("annual_employer_ni") is None and "annual_employer_ni" not in self.errors:
            self._work_out_ni(cleaned, first_day)
        undated = self.instance.pk is not None and not cleaned.get("terms_from")
        if undated and "terms_from" not in self.errors and self.changed_terms():
            self.add_error(
                "terms_from",
                "Enter the first day the new hours, band, pay, zone or funding apply",
            )
        return cleaned

    def _terms_first_day(self, cleaned):
        if self.instance.pk is not None and cleaned.get("terms_from"):
            return cleaned["terms_from"]
        return cleaned.get("start_date")

    def _work_out_ni(self, cleaned, first_day):
        work_out_employer_ni(self, cleaned, first_day)

    def _post_clean(self):
        # The action validates the whole post (and its rules) when it saves.
        pass


class EndPostForm(VersionedFormMixin, forms.Form):
    """A post's last day. It carries the post's version: ending a post someone changed or
    ended after the form was opened is refused, their last day shown beside yours (and the
    post saved whole would otherwise put back what they changed)."""

    end_date = DateInputField(
        label="Last day in post", help_text="The last day worked, for example 30 11 2025"
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, initial={"end_date": instance.end_date}, **kwargs)
        self.helper = _helper("End post")


def month_choices(first_year=2019):
    """The months a claim can be for, newest first: from July 2019 (the scheme's start,
    DOMAIN.md §3.1) to last month (a month is claimed once it has ended)."""
    now = today()
    months = []
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    while (year, month) >= (first_year, 7):
        months.append((f"{year:04d}-{month:02d}", datetime.date(year, month, 1).strftime("%B %Y")))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class MonthField(forms.ChoiceField):
    """A month offered in the list, or any other month written like 2026-12: starting its
    claim then says why it cannot be claimed yet (workforce.actions.start_claim), in place
    of a bare "not one of the choices"."""

    default_error_messages = {"invalid_choice": "Choose a month like 2025-06 from the list."}

    def valid_value(self, value):
        return super().valid_value(value) or bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value))


class StartClaimForm(SubmitOnceMixin, forms.Form):
    month = MonthField(label="Month to claim for")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Choose a month"), *month_choices()]
        self.helper = _helper("Start claim")

    def clean_month(self):
        return datetime.date.fromisoformat(self.cleaned_data["month"] + "-01")


class ClaimHeldLinesForm(SubmitOnceMixin, forms.Form):
    """Claiming a claim's held lines once their maximum is known (working them out again):
    nothing to fill in, but sent once however many times the button is pressed."""


class AddLinesForm(SubmitOnceMixin, forms.Form):
    """Adding a claim's missing lines: nothing to fill in, but sent once however many
    times the button is pressed."""


class LineForm(VersionedFormMixin, forms.ModelForm):
    """What was actually paid for a post in the claim's month, and the hours worked."""

    class Meta:
        model = ClaimLine
        fields = actions.LINE_FIELDS
        labels = {
            "salary": "Salary paid in the month (£)",
            "employer_ni": "Employer NI paid in the month (£)",
            "employer_pension": "Employer pension paid in the month (£)",
            "weekly_hours": "Weekly hours worked",
        }
        help_texts = {
            "weekly_hours": "The hours worked drive the line's maximum: 37.5 hours is 1.0 WTE, "
            "and at most 1.0 WTE is reimbursed",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True
        self.helper = _helper("Save line")

    def _post_clean(self):
        pass  # the action works the line out again and validates it


class SubmitClaimForm(NHSMessagesMixin, forms.Form):
    declaration = forms.BooleanField(
        label="I make this declaration on behalf of the network",
        required=True,
        error_messages={"required": "Tick the declaration to submit the claim"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Submit claim")


class CorrectedLineField(forms.ModelChoiceField):
    def label_from_instance(self, line):
        return (
            f"{line.claim.month:%B %Y}: {line.post.staff_member}, {line.post.role} "
            f"(£{line.reimbursable_amount:,.2f} reimbursed)"
        )


class AdjustmentForm(SubmitOnceMixin, forms.Form):
    """An adjustment in a draft claim: the approved line it puts right (chosen from the
    network's approved lines, workforce.actions.adjustable_lines), the amount and why."""

    corrects = CorrectedLineField(
        label="Approved line to correct",
        queryset=ClaimLine.objects.none(),
        empty_label="Choose a line",
        error_messages={"required": "Choose the approved line to correct"},
    )
    amount = forms.DecimalField(
        label="Amount to add or take away (£)",
        max_digits=9,
        decimal_places=2,
        help_text="What the approved line should have reimbursed, less what it did: for "
        "example 120.50 to pay more, or -120.50 to pay back",
        error_messages={"required": "Enter the amount to add or take away"},
    )
    reason = forms.CharField(
        label="Why the approved line is corrected",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The commissioner reads it when deciding the claim",
        error_messages={"required": "Say why the approved line is corrected"},
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = actions.adjustable_lines(claim)
        self.helper = _helper("Add adjustment")


class DecisionForm(NHSMessagesMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve the claim"), ("reject", "Reject the claim")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or reject the claim"},
    )
    decision_note = forms.CharField(
        label="Reason or note for the network",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you reject the claim: the network sees it",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The address of the queue the approver came from, to return to once decided (the
    # view checks it is a claims queue of this site before following it).
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Record decision")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("decision_note", "").strip():
            self.add_error("decision_note", "Say why the claim is rejected")
        return cleaned


def work_out_employer_ni(form, cleaned, first_day):
    """Employer NI left blank on `form`: worked out for pay from April 2026, the rate the
    portal has a source for (employer_ni); before then it must be entered. The post form
    and the what-if form both ask it this way."""
    salary, hours = cleaned.get("annual_salary"), cleaned.get("weekly_hours")
    if first_day is None or salary is None or hours is None:
        return
    if first_day < EMPLOYER_NI_FROM:
        form.add_error(
            "annual_employer_ni",
            "Enter the employer National Insurance for a year: the portal works it out only "
            "for pay from 1 April 2026",
        )
        return
    cleaned["annual_employer_ni"] = employer_ni(salary * hours / FULL_TIME_HOURS)
