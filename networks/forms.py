"""Forms for a network's people and governance, as its managers fill them in."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from networks import actions
from networks.models import (
    ClinicalDirector,
    Collaboration,
    CommissionerNote,
    NetworkAgreement,
    NetworkAgreementSchedule,
    NetworkAgreementStatus,
    NetworkTeamMember,
    PartnerKind,
    PartnerOrganisation,
    PrimaryCareNetwork,
)
from pcn_portal.core.dates import today
from pcn_portal.core.forms import fields_from
from pcn_portal.core.forms_nhsuk import DateInputField
from pcn_portal.core.submissions import SubmitOnceMixin
from pcn_portal.core.versions import VersionedModelForm, shown

DATES = {"start_date": DateInputField, "end_date": DateInputField}


def member_practices(field, pcn, keep=None):
    """Limit a practice field to the network's members today (and the current choice)."""
    members = pcn.memberships.current().values("practice_id")
    queryset = field.queryset.filter(pk__in=members)
    if keep is not None:
        queryset = queryset | field.queryset.filter(pk=keep)
    field.queryset = queryset.order_by("name")
    field.label_from_instance = lambda p: f"{p.display_name} ({p.code})"


class EndDateOrderMixin:
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date", self.instance.start_date), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day must be on or after the start date")
        return cleaned


class ClinicalDirectorForm(EndDateOrderMixin, SubmitOnceMixin, VersionedModelForm):
    class Meta:
        model = ClinicalDirector
        fields = actions.CLINICAL_DIRECTOR_FIELDS
        field_classes = DATES
        labels = {
            "full_name": "Full name",
            "profession_detail": "Which clinician (for other clinicians)",
            "practice": "Member practice",
            "start_date": "First day in post",
            "end_date": "Last day in post (optional)",
            "share": "Share of the role",
        }
        help_texts = {
            "start_date": "For example, 1 4 2025",
            "end_date": "Leave blank while they are in post",
            "share": "1 for a sole clinical director; 0.5 each for two co-clinical directors",
        }
        error_messages = {
            "full_name": {"required": "Enter the clinical director's full name"},
            "profession": {"required": "Select the clinical director's profession"},
        }

    def __init__(self, *args, pcn, **kwargs):
        super().__init__(*args, **kwargs)
        self.pcn = pcn
        self.instance.pcn = pcn
        self.fields["profession"].widget = forms.RadioSelect(
            choices=self.fields["profession"].choices[1:]
        )
        self.fields["start_date"].error_messages["required"] = "Enter the first day in post"
        self.fields["practice"].empty_label = "Not recorded"
        member_practices(self.fields["practice"], pcn, keep=self.instance.practice_id)
        if self.instance.pk is not None:
            self.fields["share_from"] = DateInputField(
                label="If the share changed, from which day?",
                required=False,
                help_text="Earlier days keep the share they had: the appointment so far ends the "
                "day before, and a new period starts with the new share. Leave blank to correct "
                "the share from the first day in post. For example, 1 4 2026",
            )

    def clean_share(self):
        share = self.cleaned_data.get("share")
        if share is not None and not Decimal("0") < share <= Decimal("1"):
            raise ValidationError("Share of the role must be more than 0 and at most 1")
        return share

    def clean(self):
        cleaned = super().clean()
        start, share = cleaned.get("share_from") or cleaned.get("start_date"), cleaned.get("share")
        if start and share:
            others = self.pcn.clinical_directors.current(start).exclude(pk=self.instance.pk)
            total = sum((d.share for d in others), Decimal(0)) + share
            if total > 1:
                self.add_error(
                    "share",
                    f"The clinical directors in post on {shown(start)} would share {total:g} "
                    "of the role: the shares must add up to 1 at most. Lower this share, or "
                    "end or change the other director's first.",
                )
        return cleaned


class EndForm(VersionedModelForm):
    """The last day of a spell: a clinical director's, a team member's, a collaboration's."""

    class Meta:
        fields = ["end_date"]
        field_classes = {"end_date": DateInputField}

    def __init__(self, *args, label="Last day", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["end_date"]
        field.required = True
        field.label = label
        field.help_text = "The last day itself included. For example, 31 3 2026"
        field.error_messages["required"] = f"Enter the {label.lower()}"

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end and end < self.instance.start_date:
            raise ValidationError(
                f"The last day must be on or after the first day, {shown(self.instance.start_date)}"
            )
        return end


def end_form(model):
    meta = type("Meta", (EndForm.Meta,), {"model": model})
    return type(f"{model.__name__}EndForm", (EndForm,), {"Meta": meta})


ClinicalDirectorEndForm = end_form(ClinicalDirector)
TeamMemberEndForm = end_form(NetworkTeamMember)
CollaborationEndForm = end_form(Collaboration)


class TeamMemberForm(EndDateOrderMixin, SubmitOnceMixin, VersionedModelForm):
    class Meta:
        model = NetworkTeamMember
        fields = actions.TEAM_MEMBER_FIELDS
        field_classes = DATES
        labels = {
            "full_name": "Full name",
            "role_detail": "Role title (optional)",
            "email": "Email address (optional)",
            "start_date": "First day in the role",
            "end_date": "Last day in the role (optional)",
        }
        help_texts = {"end_date": "Leave blank while they are in the role"}
        error_messages = {
            "full_name": {"required": "Enter the team member's full name"},
            "role": {"required": "Select the team member's role"},
            "email": {"invalid": "Enter an email address like name@example.nhs.uk"},
        }

    def __init__(self, *args, pcn, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.pcn = pcn
        self.fields["start_date"].error_messages["required"] = "Enter the first day in the role"


class PostedWithVersion:
    """For a form whose every field may be blank: a post without the form's version (not
    sent from the page) saves nothing, rather than blanking the record."""

    def clean(self):
        if self.add_prefix("version") not in self.data:
            raise ValidationError(
                "The form was sent without the version it was opened with. Nothing has been "
                "saved: open the page again and save from there."
            )
        return super().clean()


SCHEDULE_CHOICES = [("", "Not recorded"), *NetworkAgreementStatus.choices]


class AgreementForm(PostedWithVersion, VersionedModelForm):
    """A year's Network Agreement, with the status of each of its seven schedules. The
    schedules' statuses as the form was opened travel with it, so a change someone made
    to a schedule meanwhile is refused like a change to the agreement itself."""

    class Meta:
        model = NetworkAgreement
        fields = actions.AGREEMENT_FIELDS
        field_classes = {"signed_on": DateInputField}
        labels = {
            "signed_on": "Date signed (optional)",
            "data_sharing_agreement_in_place": "A data-sharing agreement is in place",
            "notes": "Notes (optional)",
        }
        help_texts = {"signed_on": "Leave blank until every member practice has signed"}

    def __init__(self, *args, schedules, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedules = {s.number: s for s in schedules}
        self.fields["opened_schedules"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["opened_schedules"] = self.signature()
        for number in NetworkAgreementSchedule.NUMBERS:
            name = f"schedule_{number}"
            self.fields[name] = forms.ChoiceField(
                label=NetworkAgreementSchedule.label_of(number),
                choices=SCHEDULE_CHOICES,
                required=False,
            )
            if number in self.schedules:
                self.initial.setdefault(name, self.schedules[number].status)

    def signature(self):
        return ",".join(f"{n}:{s.status}" for n, s in sorted(self.schedules.items()))

    def schedule_statuses(self):
        """{number: status} of the schedules given a status on the form."""
        return {
            number: self.cleaned_data[f"schedule_{number}"]
            for number in NetworkAgreementSchedule.NUMBERS
            if self.cleaned_data.get(f"schedule_{number}")
        }

    def clean_signed_on(self):
        signed = self.cleaned_data.get("signed_on")
        if signed and signed > today():
            raise ValidationError("The date signed must be today or in the past")
        return signed

    def clean_opened_schedules(self):
        """The schedules' statuses as the page was opened, as signature() wrote them
        ("1:signed,3:in_progress"): anything else did not come from this page."""
        opened = self.cleaned_data.get("opened_schedules") or ""
        statuses = {value for value, _ in NetworkAgreementStatus.choices}
        pairs = [part.split(":") for part in opened.split(",") if part]
        if not all(len(pair) == 2 and pair[0].isdigit() and pair[1] in statuses for pair in pairs):
            raise ValidationError(
                "This page's record of the schedules as you opened them was changed on the "
                "way. Nothing has been saved: open the agreement again and enter your changes."
            )
        return opened

    def clean(self):
        cleaned = super().clean()
        if "opened_schedules" in self.errors:
            # A hidden field shows no message of its own: say it for the whole form.
            self.add_error(None, self.errors.pop("opened_schedules"))
            return cleaned
        opened = cleaned.get("opened_schedules")
        if opened is not None and self.is_bound and opened != self.signature():
            before = dict(p.split(":") for p in opened.split(",") if p)
            labels = dict(SCHEDULE_CHOICES)
            for number, schedule in self.schedules.items():
                if before.get(str(number)) != schedule.status:
                    self.add_error(
                        f"schedule_{number}",
                        f"Someone saved “{labels[schedule.status]}” here after you opened the "
                        f"page; yours is “{labels[cleaned.get(f'schedule_{number}') or '']}”.",
                    )
            self.data = self.data.copy()
            self.data["opened_schedules"] = self.signature()
            raise ValidationError(
                "Someone changed this agreement's schedules after you opened it. Nothing you "
                "entered has been saved. Check their values, then save again to keep yours."
            )
        return cleaned


class PayeeForm(PostedWithVersion, VersionedModelForm):
    class Meta:
        model = PrimaryCareNetwork
        fields = fields_from(actions.PCN_FIELDS, "nominated_payee")  # this page: the payee alone
        labels = {"nominated_payee": "Nominated payee"}
        help_texts = {
            "nominated_payee": "The member practice that receives the network's funding, or "
            "none (since 2023 a network may have its own bank account)"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["nominated_payee"]
        field.empty_label = "No member practice: the network's own bank account"
        member_practices(field, self.instance, keep=self.instance.nominated_payee_id)


class FootprintForm(PostedWithVersion, VersionedModelForm):
    class Meta:
        model = PrimaryCareNetwork
        fields = fields_from(actions.PCN_FIELDS, "footprint_notes")  # this page: the notes alone
        labels = {"footprint_notes": "Footprint notes"}
        help_texts = {
            "footprint_notes": "Why the network's registered population is outside 30,000 to "
            "50,000, and the commissioner's approval (who approved it, and when)"
        }


def partner_label(partner):
    """A partner as the list of partners offers it: its kind and whose it is."""
    whose = f"added by {partner.added_by_pcn.display_name}" if partner.added_by_pcn else "national"
    return f"{partner.display_name} ({partner.get_kind_display()}, {whose})"


class PartnerOrganisationForm(VersionedModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = actions.PARTNER_FIELDS
        labels = {"name": "Name", "kind": "Kind", "ods_code": "ODS code (optional)"}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PartnerKind.choices  # a partner always has a kind


class CollaborationForm(EndDateOrderMixin, SubmitOnceMixin, VersionedModelForm):
    """A collaboration with a partner: an existing partner, or a new one named here."""

    partner_name = forms.CharField(
        label="Or a new partner organisation: its name", required=False, max_length=200
    )
    partner_kind = forms.ChoiceField(
        label="The new partner's kind",
        choices=[("", "Choose a kind"), *PartnerKind.choices],
        required=False,
    )

    class Meta:
        model = Collaboration
        fields = actions.COLLABORATION_FIELDS
        field_classes = DATES
        labels = {
            "partner": "Partner organisation",
            "description": "What the collaboration covers (optional)",
            "start_date": "First day of the collaboration",
            "end_date": "Last day of the collaboration (optional)",
        }

    field_order = ["partner", "partner_name", "partner_kind"]

    def __init__(self, *args, pcn, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.pcn = pcn
        partner = self.fields["partner"]
        partner.required = False
        partner.empty_label = "A new partner (name it below)"
        partner.queryset = PartnerOrganisation.objects.select_related("added_by_pcn").order_by(
            "name"
        )
        partner.label_from_instance = partner_label
        self.fields["start_date"].error_messages["required"] = (
            "Enter the first day of the collaboration"
        )
        if self.instance.pk:
            del self.fields["partner_name"], self.fields["partner_kind"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk or cleaned.get("partner"):
            return cleaned
        name, kind = cleaned.get("partner_name", "").strip(), cleaned.get("partner_kind")
        if not name:
            self.add_error("partner", "Select a partner organisation, or name a new one below")
        if name and not kind:
            self.add_error("partner_kind", "Select the new partner's kind")
        return cleaned

    def _post_clean(self):
        # The partner may be new: the action makes it, then the collaboration.
        if self.cleaned_data.get("partner") or self.instance.pk:
            super()._post_clean()


class CommissionerNoteForm(SubmitOnceMixin, forms.ModelForm):
    """A commissioner's note on a network, with an optional follow-up action."""

    class Meta:
        model = CommissionerNote
        fields = actions.COMMISSIONER_NOTE_FIELDS
        field_classes = {"written_on": DateInputField, "follow_up_due": DateInputField}
        labels = {
            "written_on": "Date of the note",
            "text": "Note",
            "follow_up": "Follow-up action (optional)",
            "follow_up_due": "Follow-up due by (optional)",
        }
        help_texts = {
            "written_on": "The day of the meeting, call or finding. For example, 2 6 2025",
            "follow_up": "What is to be done, and by whom",
            "follow_up_due": "For example, 30 6 2025",
        }
        error_messages = {
            "text": {"required": "Enter the note"},
            "written_on": {"required": "Enter the date of the note"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 5
        self.fields["follow_up"].widget.attrs["rows"] = 3
        if not self.is_bound:
            self.initial.setdefault("written_on", today())

    def clean_written_on(self):
        written_on = self.cleaned_data.get("written_on")
        if written_on and written_on > today():
            raise ValidationError("The date of the note must be today or in the past")
        return written_on

    def clean(self):
        cleaned = super().clean()
        due, action = cleaned.get("follow_up_due"), cleaned.get("follow_up")
        written_on = cleaned.get("written_on")
        if due and not action:
            self.add_error("follow_up", "Enter the follow-up action that is due, or clear its date")
        elif due and written_on and due < written_on:
            self.add_error(
                "follow_up_due", "The follow-up must be due on or after the date of the note"
            )
        return cleaned
