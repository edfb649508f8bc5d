"""Writes to the ARRS register: staff and posts, allocations, and monthly claims."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from networks.scopes import check_can_approve_claims
from pcn_portal.core.dates import month_bounds
from pcn_portal.core.writing import delete_checked, save_checked, validated_save, writing
from practices.calculations import weighted_population_on
from workforce import calculations
from workforce.models import (
    AllocationRate,
    ARRSAllocation,
    ARRSRole,
    Claim,
    ClaimLine,
    ClaimStatus,
    LondonZone,
    MaximumAmount,
    Post,
    RoleCap,
    StaffMember,
)


def add_post(
    *,
    pcn,
    by,
    full_name,
    role,
    employer_type,
    start_date,
    weekly_hours,
    annual_salary,
    professional_registration="",
    employer_practice=None,
    employer_name="",
    end_date=None,
    afc_band="",
    annual_employer_ni=0,
    annual_employer_pension=0,
    london_zone=LondonZone.NATIONAL,
    arrs_funded=True,
):
    """Register a person in a post at a network."""
    with writing(by):
        person = validated_save(
            StaffMember(
                pcn=pcn, full_name=full_name, professional_registration=professional_registration
            )
        )
        return validated_save(
            Post(
                pcn=pcn,
                staff_member=person,
                role=role,
                employer_type=employer_type,
                employer_practice=employer_practice,
                employer_name=employer_name,
                start_date=start_date,
                end_date=end_date,
                weekly_hours=weekly_hours,
                afc_band=afc_band,
                annual_salary=annual_salary,
                annual_employer_ni=annual_employer_ni,
                annual_employer_pension=annual_employer_pension,
                london_zone=london_zone,
                arrs_funded=arrs_funded,
            )
        )


def end_post(*, post, by, end_date):
    """Record that a post ended: end_date is its last day."""
    with writing(by):
        post.end_date = end_date
        return validated_save(post)


def set_allocation(*, pcn, by=None, process=None, financial_year):
    """Work out a network's ARRS sum for a year from its members' weighted population at
    1 January and the year's rate, and record it."""
    rate = calculations.allocation_rate(financial_year)
    if rate is None:
        raise ValidationError(
            f"No ARRS rate per weighted patient is recorded for {financial_year}; "
            "a national admin can add it under ARRS allocation rates."
        )
    on = calculations.allocation_population_date(financial_year)
    population = weighted_population_on(pcn, on)
    if population is None:
        raise ValidationError(
            f"No weighted list size is recorded for the members of {pcn.code} on or before "
            f"{on:%d %B %Y}."
        )
    with writing(by, process):
        allocation, _ = ARRSAllocation.objects.get_or_create(
            pcn=pcn,
            financial_year=financial_year,
            defaults={"weighted_population": 0, "population_date": on, "rate": 0, "amount": 0},
        )
        allocation.weighted_population = population
        allocation.population_date = on
        allocation.rate = rate
        allocation.amount = calculations.allocation_amount(population, rate)
        return validated_save(allocation)


def line_for(
    claim,
    post,
    *,
    salary,
    employer_ni=0,
    employer_pension=0,
    weekly_hours=None,
    rows=None,
    rules=None,
):
    """A claim line with its maximum and reimbursable amounts worked out. `rows` (the role's
    maximum amounts) and `rules` (share rules) may be passed in when making many lines."""
    maximum = calculations.monthly_maximum(post, claim.month, rows)
    share = calculations.reimbursement_share(post.role, claim.month, rules)
    cost = salary + employer_ni + employer_pension
    amount = calculations.reimbursable(cost, maximum.amount, share)
    return ClaimLine(
        claim=claim,
        post=post,
        salary=salary,
        employer_ni=employer_ni,
        employer_pension=employer_pension,
        weekly_hours=post.weekly_hours if weekly_hours is None else weekly_hours,
        maximum_amount=maximum.amount,
        reimbursable_amount=amount if amount is not None else 0,
    )


def start_claim(*, pcn, by, month):
    """A draft claim for a month with a line for every ARRS post in place that month, its
    costs estimated pro rata from the post's salary, NI and pension (the manager corrects
    them to what was paid)."""
    first, last = month_bounds(month)
    with writing(by):
        claim = validated_save(Claim(pcn=pcn, month=first))
        posts = pcn.posts.arrs().overlapping(first, last).select_related("role")
        rules = calculations.share_rules()
        rows, lines = {}, []
        for post in posts:
            key = (post.role_id, post.afc_band)
            if key not in rows:
                rows[key] = calculations.maximum_amount_rows(post.role, post.afc_band, first, last)
            fraction = calculations.month_fraction(post, first)
            salary, ni, pension = (
                calculations.money(annual / 12 * fraction)
                for annual in (
                    post.annual_salary,
                    post.annual_employer_ni,
                    post.annual_employer_pension,
                )
            )
            lines.append(
                line_for(
                    claim,
                    post,
                    salary=salary,
                    employer_ni=ni,
                    employer_pension=pension,
                    rows=rows[key],
                    rules=rules,
                )
            )
        # Worked out here from validated posts; the database still checks every rule.
        ClaimLine.objects.bulk_create(lines)
        return claim


def _check_status(claim, *allowed):
    if claim.status not in allowed:
        raise ValidationError(
            f"The claim for {claim.month:%B %Y} is {claim.get_status_display().lower()}; "
            f"it must be {' or '.join(ClaimStatus(s).label.lower() for s in allowed)}."
        )


def submit_claim(*, claim, by):
    with writing(by):
        _check_status(claim, ClaimStatus.DRAFT, ClaimStatus.REJECTED)
        if not claim.lines.exists():
            raise ValidationError("A claim needs at least one line before it is submitted.")
        claim.status = ClaimStatus.SUBMITTED
        claim.submitted_by = by
        claim.submitted_at = timezone.now()
        return validated_save(claim)


def decide_claim(*, claim, by, approve, note=""):
    """An approver's decision; a rejection must say why. Only approvers of a commissioner
    area over the network (or national admins) decide."""
    check_can_approve_claims(by, claim.pcn)
    with writing(by):
        _check_status(claim, ClaimStatus.SUBMITTED)
        if not approve and not note.strip():
            raise ValidationError({"decision_note": "Say why the claim is rejected."})
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.decided_by = by
        claim.decided_at = timezone.now()
        claim.decision_note = note
        return validated_save(claim)


# What a national admin may change in Django admin, by kind of record. Reference figures
# (roles, maximum amounts, caps, allocation rates) are corrected in place with their source;
# a claim's status and who decided it change only through submit_claim and decide_claim,
# and a line's amounts are worked out from its post and costs (workforce.forms).
REFERENCE_FIELDS = ["source", "notes"]
ADMIN_FIELDS = {
    ARRSRole: [
        *REFERENCE_FIELDS, "code", "name", "reimbursable_from", "reimbursable_until",
        "afc_bands",
    ],
    MaximumAmount: [
        *REFERENCE_FIELDS, "role", "afc_band", "period_start", "period_end", "national",
        "outer_london", "inner_london", "unknown",
    ],
    RoleCap: [
        *REFERENCE_FIELDS, "role", "valid_from", "valid_until", "kind", "max_count",
        "population_threshold", "max_count_above_threshold", "share", "rule",
    ],
    AllocationRate: [
        *REFERENCE_FIELDS, "financial_year", "pounds_per_weighted_patient",
        "population_basis", "national_total",
    ],
    StaffMember: ["pcn", "full_name", "professional_registration"],
    Post: [
        "pcn", "staff_member", "role", "employer_type", "employer_practice", "employer_name",
        "start_date", "end_date", "weekly_hours", "afc_band", "annual_salary",
        "annual_employer_ni", "annual_employer_pension", "london_zone", "arrs_funded",
    ],
    ARRSAllocation: [
        "pcn", "financial_year", "weighted_population", "population_date", "rate", "amount",
    ],
    Claim: ["pcn", "month"],
    ClaimLine: [
        "claim", "post", "salary", "employer_ni", "employer_pension", "weekly_hours",
        "maximum_amount", "reimbursable_amount",
    ],
}  # fmt: skip
ADMIN_DELETABLE = (StaffMember, Post, ARRSAllocation, Claim, ClaimLine)


def correct_record(*, record, by):
    """A national admin's new or corrected record, from Django admin: only the fields
    ADMIN_FIELDS lists for its kind may differ from the stored row."""
    return save_checked(record, by=by, allowed=ADMIN_FIELDS[type(record)])


def delete_record(*, record, by):
    """A national admin's delete, from Django admin: only the kinds in ADMIN_DELETABLE."""
    delete_checked(record, by=by, deletable=ADMIN_DELETABLE)
