"""GP practices, their membership spells in networks and their registered list sizes."""

import datetime

import pghistory
from django.db import models
from django.db.models import Q

from networks.models import Organisation, OrganisationQuerySet, PrimaryCareNetwork, SubICBLocation
from pcn_portal.models import (
    PRACTICE_CODE,
    SpellQuerySet,
    code_format_constraint,
    dates_in_order_constraint,
    no_overlap_constraint,
    ods_code_validator,
)


class PracticeStatus(models.TextChoices):
    # epraccur field 13, status code (epraccur specification 2019).
    ACTIVE = "A", "Active"
    CLOSED = "C", "Closed"
    DORMANT = "D", "Dormant"
    PROPOSED = "P", "Proposed"


class PrescribingSetting(models.IntegerChoices):
    # epraccur field 26, prescribing setting (epraccur specification 2019). Only 4 is a
    # GP practice; the others are kept so an imported file can be shown as published.
    OTHER = 0, "Other"
    WALK_IN_CENTRE = 1, "WIC practice"
    OUT_OF_HOURS = 2, "OOH practice"
    WIC_AND_OOH = 3, "WIC + OOH practice"
    GP_PRACTICE = 4, "GP practice"
    PUBLIC_HEALTH_SERVICE = 8, "Public health service"
    COMMUNITY_HEALTH_SERVICE = 9, "Community health service"
    HOSPITAL_SERVICE = 10, "Hospital service"
    OPTOMETRY_SERVICE = 11, "Optometry service"
    URGENT_AND_EMERGENCY_CARE = 12, "Urgent & emergency care"
    HOSPICE = 13, "Hospice"
    CARE_HOME = 14, "Care home / nursing home"
    BORDER_FORCE = 15, "Border force"
    YOUNG_OFFENDER_INSTITUTION = 16, "Young offender institution"
    SECURE_TRAINING_CENTRE = 17, "Secure training centre"
    SECURE_CHILDRENS_HOME = 18, "Secure children's home"
    IMMIGRATION_REMOVAL_CENTRE = 19, "Immigration removal centre"
    COURT = 20, "Court"
    POLICE_CUSTODY = 21, "Police custody"
    SEXUAL_ASSAULT_REFERRAL_CENTRE = 22, "Sexual assault referral centre"
    OTHER_JUSTICE_ESTATE = 24, "Other – justice estate"
    PRISON = 25, "Prison"


@pghistory.track()
class Practice(Organisation):
    """A GP practice (a prescribing cost centre): a letter and five digits, e.g. A81001."""

    code = models.CharField(
        "ODS code",
        max_length=6,
        unique=True,
        validators=[
            ods_code_validator(
                PRACTICE_CODE, "practice code: a letter and five digits, e.g. A81001"
            )
        ],
    )
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    address_line_3 = models.CharField(max_length=200, blank=True)
    address_line_4 = models.CharField(max_length=200, blank=True)
    address_line_5 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=1, choices=PracticeStatus, default=PracticeStatus.ACTIVE)
    prescribing_setting = models.PositiveSmallIntegerField(
        choices=PrescribingSetting, default=PrescribingSetting.GP_PRACTICE
    )
    commissioner = models.ForeignKey(
        SubICBLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
        help_text="The Sub-ICB location (formerly CCG) that commissions the practice.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta(Organisation.Meta):
        constraints = [
            code_format_constraint("practice_code_format", PRACTICE_CODE),
            dates_in_order_constraint("practice_dates_in_order", "open_date", "close_date"),
        ]


class MembershipSource(models.TextChoices):
    ODS = "ods", "ODS (imported)"
    PORTAL = "portal", "Entered in the portal"


class MembershipQuerySet(SpellQuerySet):
    def of_pcn(self, pcn, on=None):
        return self.filter(pcn=pcn).current(on)


@pghistory.track()
class Membership(models.Model):
    """A spell of a practice in a network, half-open: [start_date, end_date).

    The end date is the first day the practice is no longer a member, which is how ODS
    records a move: the old spell ends the day the new one starts. A spell may be empty
    (start equal to end): ODS publishes some. A practice is in at most one network on any
    day; the database enforces it. Where ODS itself published overlapping spells, the
    importer cut one of them (end_date) and kept the published end in published_end_date,
    with the reason in adjustment.
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="memberships")
    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.PROTECT, related_name="memberships", verbose_name="PCN"
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="The first day the practice is no longer a member."
    )
    source = models.CharField(
        max_length=10, choices=MembershipSource, default=MembershipSource.PORTAL
    )
    published_end_date = models.DateField(
        null=True,
        blank=True,
        help_text="The end date ODS published, where it was cut to resolve an overlap.",
    )
    adjustment = models.TextField(
        blank=True, help_text="Why the spell differs from what ODS published, if it does."
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "start_date"]
        constraints = [
            dates_in_order_constraint("membership_dates_in_order"),
            no_overlap_constraint(
                "membership_one_network_per_practice_per_day",
                "practice",
                message="The practice is already a member of a network on some of these dates.",
            ),
        ]

    def __str__(self):
        end = f" to {self.end_date:%d %b %Y}" if self.end_date else ""
        return f"{self.practice.code} in {self.pcn.code} from {self.start_date:%d %b %Y}{end}"

    @property
    def is_current(self):
        today = datetime.date.today()
        return self.start_date <= today and (self.end_date is None or self.end_date > today)


class ListSizeQuerySet(models.QuerySet):
    def latest_on(self, on):
        """Each practice's latest list size with an extract date not after `on`."""
        return (
            self.filter(extract_date__lte=on)
            .order_by("practice_id", "-extract_date")
            .distinct("practice_id")
        )


@pghistory.track()
class ListSize(models.Model):
    """Patients registered at a practice on an extract date (NHS England's monthly file)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="list_sizes")
    extract_date = models.DateField()
    registered_patients = models.PositiveIntegerField()
    weighted_patients = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Contractor weighted (global sum) population, where known.",
    )

    objects = ListSizeQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "-extract_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "extract_date"],
                name="one_list_size_per_practice_per_date",
                violation_error_message="This practice already has a list size for that date.",
            ),
            models.CheckConstraint(
                condition=Q(weighted_patients__isnull=True) | Q(weighted_patients__gte=0),
                name="weighted_patients_not_negative",
                violation_error_message="The weighted population cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.practice.code}: {self.registered_patients:,} on {self.extract_date:%d %b %Y}"
