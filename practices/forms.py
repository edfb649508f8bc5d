"""Forms for membership spells that more than one page uses."""

from django import forms

from practices.models import Membership


class MembershipForm(forms.ModelForm):
    """A spell edited by hand. Whether it is in force is the importer's to say (so it is
    not on the form), yet the one-network-per-day rule depends on it: the rule is checked
    here too, with its message, rather than left to the database."""

    class Meta:
        model = Membership
        fields = ["practice", "pcn", "start_date", "end_date", "source"]

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"in_force"}
