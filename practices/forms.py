"""Forms for membership spells that more than one page uses."""

import re

from django import forms
from django.core.exceptions import ValidationError

from pcn_portal.core.db import PRACTICE_CODE
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.forms_nhsuk import DateInputField
from pcn_portal.core.submissions import SubmitOnceMixin
from pcn_portal.core.versions import VersionedFormMixin, VersionedModelForm, shown
from practices import actions
from practices.models import Membership, MembershipSource, Practice


class MembershipForm(NHSMessagesMixin, forms.ModelForm):
    """A spell edited by hand. Whether it is in force is the importer's to say (so it is
    not on the form), yet the one-network-per-day rule depends on it: the rule is checked
    here too, with its message, rather than left to the database."""

    class Meta:
        model = Membership
        fields = actions.ADMIN_FIELDS[Membership]

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"in_force"}


class VersionedMembershipForm(VersionedFormMixin, MembershipForm):
    """The same, on a change page of its own: refuses to save over a later change."""


class JoinForm(SubmitOnceMixin, forms.Form):
    """A practice joining a network: which practice (by its ODS code) and its first day."""

    practice_code = forms.CharField(
        label="The practice's ODS code",
        help_text="A letter and five digits, for example A81001",
        max_length=6,
        error_messages={"required": "Enter the practice's ODS code"},
    )
    start_date = DateInputField(
        label="First day as a member",
        help_text="For example, 1 4 2026",
        error_messages={"required": "Enter the first day as a member"},
    )

    def __init__(self, *args, pcn, **kwargs):
        super().__init__(*args, **kwargs)
        self.pcn = pcn
        self.practice = None

    def clean_practice_code(self):
        code = self.cleaned_data["practice_code"].strip().upper()
        if not re.fullmatch(PRACTICE_CODE, code):
            raise ValidationError("Enter an ODS code of a letter and five digits, like A81001")
        self.practice = Practice.objects.filter(code=code).first()
        if self.practice is None:
            raise ValidationError(f"No practice has the ODS code {code}")
        return code

    def clean(self):
        cleaned = super().clean()
        practice, start = self.practice, cleaned.get("start_date")
        if practice is None or start is None:
            return cleaned
        if practice.close_date and practice.close_date < start:
            self.add_error(
                "start_date",
                f"{practice.display_name} closed after {shown(practice.close_date)}, "
                "before this date",
            )
            return cleaned
        clash = (
            Membership.objects.filter(practice=practice)
            .overlapping(start, None)
            .select_related("pcn")
            .order_by("start_date")
            .first()
        )
        if clash:
            self.add_error("start_date", membership_clash(practice, clash))
        return cleaned


def membership_clash(practice, clash):
    """Why a practice cannot join on a day another network holds it, and what to do: a
    first day after its last day there, or (with no last day yet) who records one."""
    other = clash.pcn.display_name
    if clash.end_date:
        return (
            f"{practice.display_name} is a member of {other} from {shown(clash.start_date)} "
            f"up to and including {shown(clash.end_date)}. A practice is in one network on "
            f"any day: choose a first day after {shown(clash.end_date)}."
        )
    if clash.source == MembershipSource.PORTAL:
        who = f"{other}'s network managers record the day it leaves, under Member practices"
    else:
        who = (
            "NHS England's list of network members (ePCN) records the day it leaves, and the "
            "portal takes it from the next import of that list"
        )
    return (
        f"{practice.display_name} is a member of {other} from {shown(clash.start_date)} with "
        f"no last day recorded. A practice is in one network on any day: {who}; it can then "
        "join here from the day after."
    )


class LeaveForm(VersionedModelForm):
    """A practice leaving: the last day of its spell (the day itself included)."""

    class Meta:
        model = Membership
        fields = ["end_date"]
        field_classes = {"end_date": DateInputField}
        labels = {"end_date": "Last day as a member"}
        help_texts = {
            "end_date": "The practice is a member on this day itself. For example, 31 3 2026"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        self.fields["end_date"].error_messages["required"] = "Enter the last day as a member"

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end < self.instance.start_date:
            raise ValidationError(
                "The last day must be on or after the first day as a member, "
                f"{shown(self.instance.start_date)}"
            )
        return end

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"in_force", "practice"}
