"""GP practices, their membership spells in networks and their registered list sizes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from networks.models import Organisation, OrganisationQuerySet, PrimaryCareNetwork, SubICBLocation
from pcn_portal.core.dates import covers
from pcn_portal.core.db import (
    PRACTICE_CODE,
    FinancialYearField,
    SpellQuerySet,
    code_format_constraint,
    dates_in_order_constraint,
    no_overlap_constraint,
    ods_code_validator,
    synthetic_field,
    today,
    track_history,
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


@track_history()
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
    def in_force(self):
        """Spells that hold days: not those ODS publishes over on every day (see
        Membership.in_force)."""
        return self.filter(in_force=True)

    def of_pcn(self, pcn, on=None):
        return self.filter(pcn=pcn).current(on)


@track_history()
class Membership(models.Model):
    """A spell of a practice in a network, from its start date to its end date, the last
    day it is a member (inclusive), as ODS publishes it. A move is the old spell ending on
    31 March and the new one starting on 1 April; a spell that starts and ends on the same
    day is one day long.

    A practice is in at most one network on any day; the database enforces it over the
    spells in force. Where ODS publishes a practice in more than one network on some days,
    the importer keeps every published spell with its published dates and gives each day
    to one of them (practices.spells): start_date and end_date are then the days this
    spell keeps, a published spell that keeps days on both sides of another is stored as
    two rows, and one that keeps no day is kept with in_force off. The reason is in
    adjustment.
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="memberships")
    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.PROTECT, related_name="memberships", verbose_name="PCN"
    )
    start_date = models.DateField(help_text="The first day the practice is a member.")
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="The last day the practice is a member. Leave blank while it is a member.",
    )
    source = models.CharField(
        max_length=10, choices=MembershipSource, default=MembershipSource.PORTAL
    )
    published_start_date = models.DateField(
        null=True, blank=True, help_text="The start date ODS publishes, for a spell from ODS."
    )
    published_end_date = models.DateField(
        null=True,
        blank=True,
        help_text="The end date (last day) ODS publishes, for a spell from ODS.",
    )
    in_force = models.BooleanField(
        default=True,
        help_text=(
            "Off for a spell that keeps no day of its own: ODS publishes the practice in "
            "another network on every one of its days, and that spell wins them."
        ),
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
                condition=Q(in_force=True),
                message="The practice is already a member of a network on some of these dates.",
            ),
        ]

    def __str__(self):
        end = f" to {self.end_date:%d %b %Y}" if self.end_date else ""
        return f"{self.practice.code} in {self.pcn.code} from {self.start_date:%d %b %Y}{end}"

    @property
    def is_current(self):
        return self.in_force and covers(self.start_date, self.end_date, today())


class ListSizeQuerySet(models.QuerySet):
    def latest_on(self, on):
        """Each practice's latest list size with an extract date not after `on`."""
        return (
            self.filter(extract_date__lte=on)
            .order_by("practice_id", "-extract_date")
            .distinct("practice_id")
        )


@track_history()
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

    synthetic = synthetic_field()

    objects = ListSizeQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "-extract_date"]
        # The admin's year filter reads the first and last extract dates from it; the
        # area pages read an extract's practices and sizes from it alone (an index-only
        # scan, not a visit to a table page per practice).
        indexes = [
            models.Index(
                fields=["extract_date"],
                include=["practice", "registered_patients"],
                name="list_size_by_extract_date",
            ),
            # The date of the latest published figures (the public directory's "registered
            # patients at"): the published rows alone, not every synthetic one after them.
            models.Index(
                fields=["extract_date"],
                condition=models.Q(synthetic=False),
                name="published_list_size_dates",
            ),
        ]
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


class WeightedSource(models.TextChoices):
    PAYMENTS_TO_GP = "payments_gp", "NHS Payments to General Practice (practice level)"
    WEIGHTED_CSV = "weighted_csv", "Weighted population file (practice code, date, figure)"


@track_history()
class WeightedPopulation(models.Model):
    """A practice's contractor weighted (global sum) population on a date, with the file it
    came from: the figure the ARRS sum is worked out from (DOMAIN.md §3.4)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="weighted_populations"
    )
    on = models.DateField("date of the figure")
    weighted_patients = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=20, choices=WeightedSource)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["practice", "-on"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "on"],
                name="one_weighted_population_per_practice_per_date",
                violation_error_message=(
                    "This practice already has a weighted figure for that date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weighted_patients__gte=0),
                name="weighted_population_not_negative",
                violation_error_message="The weighted population cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.practice.code}: {self.weighted_patients:,} weighted on {self.on:%d %b %Y}"


@track_history()
class NetworkWeightedPopulation(models.Model):
    """A network's weighted population at 1 January before a financial year, entered by its
    commissioner (e.g. from the figure NHS England published for the network). It takes
    precedence over the sum of the members' figures in the ARRS sum for that year."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        related_name="weighted_populations",
        verbose_name="PCN",
    )
    financial_year = FinancialYearField()
    weighted_patients = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(
        max_length=300, help_text="Where the figure comes from, e.g. the commissioner's letter."
    )

    class Meta:
        ordering = ["pcn", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "financial_year"],
                name="one_network_weighted_population_per_year",
                violation_error_message=(
                    "This network already has a weighted population for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weighted_patients__gte=0),
                name="network_weighted_population_not_negative",
                violation_error_message="The weighted population cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.pcn.code}: {self.weighted_patients:,} weighted for {self.financial_year}"


class ODSUploadState(models.TextChoices):
    CHECKING = "checking", "Checking the files"
    CHECKED = "checked", "Checked, waiting for confirmation"
    FAILED = "failed", "Refused: nothing imported"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    CANCELLED = "cancelled", "Cancelled"


class Upload(models.Model):
    """A file (or files) a national admin uploaded in admin, from the check to the import:
    checked and applied by the task worker, never in the request. The files themselves
    wait on disk (practices/ods/uploads.py) and are removed as soon as the upload is
    imported, refused or cancelled; the row stays as the record of who imported what, and
    when. ODS files (ODSUpload) and a year's maximum amounts (workforce) share it."""

    RUNNING = (ODSUploadState.CHECKING, ODSUploadState.IMPORTING)

    token = models.CharField(max_length=64, unique=True)
    # [{"name": the name as uploaded, "stored": the safe name it is kept under}]
    files = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=ODSUploadState, default=ODSUploadState.CHECKING)
    progress = models.CharField(max_length=200, blank=True)
    preview = models.JSONField(null=True, blank=True)  # what the dry run found
    result = models.JSONField(null=True, blank=True)  # what the import did
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{', '.join(f['name'] for f in self.files)} ({self.get_state_display()})"

    @property
    def names(self):
        return [f["name"] for f in self.files]

    @property
    def running(self):
        return self.state in self.RUNNING


class ODSUpload(Upload):
    """ODS and NHS England files a national admin uploaded in admin (practices.ods)."""

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "ODS upload"
