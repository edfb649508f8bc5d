"""Forms for ARRS records that more than one page uses."""

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError

from pcn_portal.core.dates import month_bounds, overlap
from workforce.actions import line_for
from workforce.models import ClaimLine


class ClaimLineForm(forms.ModelForm):
    """A claim line whose maximum and reimbursable amounts are worked out from the post,
    the claim's month and the costs entered — the same way the portal builds a claim —
    rather than typed, so the two can never disagree."""

    class Meta:
        model = ClaimLine
        fields = ["claim", "post", "salary", "employer_ni", "employer_pension", "weekly_hours"]

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
        line = line_for(
            claim,
            post,
            salary=costs[0],
            employer_ni=costs[1],
            employer_pension=costs[2],
            weekly_hours=cleaned["weekly_hours"],
        )
        self.instance.maximum_amount = line.maximum_amount
        self.instance.reimbursable_amount = line.reimbursable_amount
        return cleaned
