"""The national service specifications and how each network delivers them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from networks.models import Cited, PrimaryCareNetwork
from pcn_portal.core.dates import covers
from pcn_portal.core.db import (
    FinancialYearField,
    SpellQuerySet,
    dates_in_order_constraint,
    financial_year_bounds,
    financial_year_label,
    no_overlap_constraint,
    synthetic_field,
    track_history,
)


class SpecificationKind(models.TextChoices):
    SPECIFICATION = "specification", "National service specification"
    ACCESS = "access", "Access requirement"
    FUNCTION = "function", "Key function"


class SpecificationQuerySet(models.QuerySet):
    def in_year(self, year):
        """The specifications and functions in force on at least one day of a financial
        year (end dates the last day)."""
        first, last = financial_year_bounds(year)
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last)


class RequirementQuerySet(models.QuerySet):
    def in_year(self, year):
        """Requirements that applied on at least one day of a financial year; a blank
        valid_from is the specification's own start."""
        first, last = financial_year_bounds(year)
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=first),
            Q(valid_from__isnull=True) | Q(valid_from__lte=last),
        )


@track_history()
class ServiceSpecification(Cited):
    """A national service specification of the Network Contract DES (DOMAIN.md §4)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="The last day it applied on its own."
    )
    fate = models.TextField(blank=True, help_text="What became of it, e.g. merged in 2024/25.")
    kind = models.CharField(
        max_length=20, choices=SpecificationKind, default=SpecificationKind.SPECIFICATION
    )

    objects = SpecificationQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "name"]
        constraints = [dates_in_order_constraint("specification_dates_in_order")]

    def __str__(self):
        return self.name


@track_history()
class Requirement(Cited):
    specification = models.ForeignKey(
        ServiceSpecification, on_delete=models.PROTECT, related_name="requirements"
    )
    code = models.CharField(max_length=20)
    text = models.TextField()
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(
        null=True, blank=True, help_text="The last day the requirement applied."
    )

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["specification", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "code"],
                name="unique_requirement_code",
                violation_error_message="This requirement code is already used.",
            ),
            dates_in_order_constraint("requirement_dates_in_order", "valid_from", "valid_until"),
        ]

    def __str__(self):
        return f"{self.code}: {self.text[:60]}"


class DeliveryStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    AT_RISK = "at_risk", "At risk"
    NOT_DELIVERED = "not_delivered", "Not delivered"


@track_history()
class ServiceDelivery(models.Model):
    """How a network delivers a specification in a financial year."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        related_name="service_deliveries",
        verbose_name="PCN",
    )
    specification = models.ForeignKey(
        ServiceSpecification, on_delete=models.PROTECT, related_name="deliveries"
    )
    financial_year = FinancialYearField()
    status = models.CharField(
        max_length=20, choices=DeliveryStatus, default=DeliveryStatus.NOT_STARTED
    )
    lead_name = models.CharField("named lead", max_length=200, blank=True)
    evidence_notes = models.TextField(blank=True)
    updated_on = models.DateField(null=True, blank=True)

    synthetic = synthetic_field()

    class Meta:
        ordering = ["pcn", "-financial_year", "specification"]
        verbose_name_plural = "service deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "specification", "financial_year"],
                name="one_delivery_per_spec_per_year",
                violation_error_message=(
                    "This network already records delivery of that specification for that year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.pcn.code} – {self.specification} {financial_year_label(self.financial_year)}"


@track_history()
class RequirementProgress(models.Model):
    delivery = models.ForeignKey(ServiceDelivery, on_delete=models.CASCADE, related_name="progress")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=DeliveryStatus, default=DeliveryStatus.NOT_STARTED
    )
    note = models.TextField(blank=True)
    due_on = models.DateField("due date", null=True, blank=True)
    completed_on = models.DateField("completed on", null=True, blank=True)
    updated_on = models.DateField("last updated", null=True, blank=True)

    synthetic = synthetic_field()

    class Meta:
        ordering = ["delivery", "requirement"]
        verbose_name_plural = "requirement progress"
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "requirement"],
                name="one_progress_per_requirement",
                violation_error_message="Progress on this requirement is already recorded.",
            )
        ]

    def __str__(self):
        return f"{self.requirement.code}: {self.get_status_display()}"


class CareHomeType(models.TextChoices):
    WITH_NURSING = "with_nursing", "Care home with nursing"
    WITHOUT_NURSING = "without_nursing", "Care home without nursing"


class Weekday(models.IntegerChoices):
    MONDAY = 1, "Monday"
    TUESDAY = 2, "Tuesday"
    WEDNESDAY = 3, "Wednesday"
    THURSDAY = 4, "Thursday"
    FRIDAY = 5, "Friday"
    SATURDAY = 6, "Saturday"
    SUNDAY = 7, "Sunday"


@track_history()
class CareHome(models.Model):
    """A CQC-registered care home (Enhanced Health in Care Homes, DOMAIN.md §4 and §7)."""

    cqc_location_id = models.CharField(
        "CQC location ID",
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^1-[0-9]{1,12}$",
                "Enter the CQC location ID as CQC publishes it: 1- and then digits, for "
                "example 1-123456789.",
            )
        ],
        help_text="As CQC publishes it, for example 1-123456789.",
    )
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    home_type = models.CharField(
        "type", max_length=20, choices=CareHomeType, default=CareHomeType.WITHOUT_NURSING
    )

    synthetic = synthetic_field()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.cqc_location_id})"


class AlignmentQuerySet(SpellQuerySet):
    pass


@track_history()
class CareHomeAlignment(models.Model):
    """A spell of a care home aligned to a network, first to last day inclusive. A home is
    aligned to one network at a time: the database refuses two spells sharing a day."""

    home = models.ForeignKey(CareHome, on_delete=models.PROTECT, related_name="alignments")
    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        related_name="care_home_alignments",
        verbose_name="PCN",
    )
    start_date = models.DateField("aligned from", help_text="The first day of the alignment.")
    end_date = models.DateField(
        "aligned until",
        null=True,
        blank=True,
        help_text="The last day of the alignment. Leave blank while it lasts.",
    )
    clinical_lead = models.CharField("named clinical lead", max_length=200, blank=True)
    round_day = models.PositiveSmallIntegerField(
        "weekly home round", choices=Weekday, null=True, blank=True
    )

    synthetic = synthetic_field()

    objects = AlignmentQuerySet.as_manager()

    class Meta:
        ordering = ["home", "start_date"]
        constraints = [
            dates_in_order_constraint("care_home_alignment_dates_in_order"),
            no_overlap_constraint(
                "care_home_one_network_at_a_time",
                "home",
                message="The care home is already aligned to a network on some of these dates.",
            ),
        ]

    def __str__(self):
        return f"{self.home} with {self.pcn.code} from {self.start_date:%d %b %Y}"

    def covers(self, day):
        """Whether the home is aligned to the network on the day (its last day included)."""
        return covers(self.start_date, self.end_date, day)

    def ended_before(self, day):
        """Whether the alignment's last day is before the day: from then on the home is no
        longer the network's to change."""
        return self.end_date is not None and self.end_date < day


@track_history()
class CareHomeBeds(models.Model):
    """A care home's registered beds (with and without nursing, as CQC records them) from a
    month on, as the commissioner updates them monthly for the Care Home Premium
    (DOMAIN.md §5.1). A month without a row keeps the month before's count."""

    home = models.ForeignKey(CareHome, on_delete=models.CASCADE, related_name="bed_counts")
    month = models.DateField(help_text="The first day of the month.")
    beds = models.PositiveIntegerField()
    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        related_name="care_home_bed_counts",
        verbose_name="recorded by PCN",
        help_text="The network that recorded the count.",
    )

    synthetic = synthetic_field()

    class Meta:
        ordering = ["home", "month"]
        verbose_name_plural = "care home beds"
        # A home's latest count on or before a day, read from the index alone (the area
        # pages look it up for every aligned home: about 4,000 nationally).
        indexes = [
            models.Index(fields=["home", "-month"], include=["beds"], name="latest_beds_of_home")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["home", "month"],
                name="one_bed_count_per_home_per_month",
                violation_error_message="This month's bed count is already recorded.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="bed_count_month_first_day",
                violation_error_message="A bed count is for a month: give its first day.",
            ),
        ]

    def __str__(self):
        return f"{self.home}: {self.beds} beds from {self.month:%B %Y}"


@track_history()
class CareHomePremiumRate(Cited):
    """The Care Home Premium for a financial year (DOMAIN.md §5.1): what one bed earns over
    the months of the year it is paid, from `payable_from`. Reference data."""

    financial_year = FinancialYearField(unique=True)
    per_bed_for_year = models.DecimalField(
        "£ per bed for the year", max_digits=10, decimal_places=3
    )
    payable_from = models.DateField(help_text="The first day of the first month it is paid.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["financial_year"]

    def __str__(self):
        return f"{financial_year_label(self.financial_year)}: £{self.per_bed_for_year} a bed"

    @property
    def months_paid(self):
        first, last = financial_year_bounds(self.financial_year)
        start = max(first, self.payable_from)
        return (last.year - start.year) * 12 + last.month - start.month + 1

    @property
    def per_bed_per_month(self):
        return self.per_bed_for_year / self.months_paid


class PriorityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


@track_history()
class LocalPriority(models.Model):
    """A priority a network sets itself (e.g. diabetes), beyond the national ones."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        related_name="local_priorities",
        verbose_name="PCN",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=PriorityStatus, default=PriorityStatus.PLANNED)
    owner = models.CharField(max_length=200, blank=True, help_text="Who leads it.")
    review_on = models.DateField("review date", null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day of the priority.")

    objects = SpellQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "title"]
        verbose_name_plural = "local priorities"
        constraints = [dates_in_order_constraint("local_priority_dates_in_order")]

    def __str__(self):
        return self.title


def evidence_file_name(instance, filename):
    """A name the portal chooses, never the uploader's: the network's code and a random
    token, with the extension of the type the content was found to be."""
    return f"evidence/{instance.pcn.code}/{instance.token}.{instance.extension}"


@track_history()
class Evidence(models.Model):
    """Evidence a network holds for a requirement: a note, a link or an uploaded file.

    Files live in the default storage (under MEDIA_ROOT) and are served only through a
    view that checks the network's scope."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.CASCADE, related_name="service_evidence"
    )
    progress = models.ForeignKey(
        RequirementProgress, on_delete=models.CASCADE, related_name="evidence_items"
    )
    note = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=evidence_file_name, max_length=200, blank=True)
    token = models.CharField(max_length=32, blank=True, editable=False)
    extension = models.CharField(max_length=10, blank=True, editable=False)
    file_name = models.CharField("file name as uploaded", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["progress", "added_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=~Q(note="") | ~Q(link="") | ~Q(file=""),
                name="evidence_has_something",
                violation_error_message="Give a note, a link or a file.",
            )
        ]

    def __str__(self):
        return self.file_name or self.link or self.note[:60]
