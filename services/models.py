"""The national service specifications and how each network delivers them."""

from django.db import models

from networks.models import PrimaryCareNetwork
from pcn_portal.core.db import (
    FinancialYearField,
    SpellQuerySet,
    dates_in_order_constraint,
    financial_year_label,
    synthetic_field,
    track_history,
)


@track_history()
class ServiceSpecification(models.Model):
    """A national service specification of the Network Contract DES (DOMAIN.md §4)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="The last day it applied on its own."
    )
    fate = models.TextField(blank=True, help_text="What became of it, e.g. merged in 2024/25.")
    source = models.CharField(max_length=200, help_text="Source keys in DOMAIN.md.")

    class Meta:
        ordering = ["start_date", "name"]
        constraints = [dates_in_order_constraint("specification_dates_in_order")]

    def __str__(self):
        return self.name


@track_history()
class Requirement(models.Model):
    specification = models.ForeignKey(
        ServiceSpecification, on_delete=models.PROTECT, related_name="requirements"
    )
    code = models.CharField(max_length=20)
    text = models.TextField()
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(
        null=True, blank=True, help_text="The last day the requirement applied."
    )
    source = models.CharField(max_length=200)

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
    evidence = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

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


@track_history()
class CareHome(models.Model):
    """A CQC-registered care home, aligned to one network (Enhanced Health in Care Homes)."""

    cqc_location_id = models.CharField("CQC location ID", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8, blank=True)
    beds = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Registered beds, with and without nursing, as CQC records.",
    )
    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_homes",
        help_text="The network the home is aligned to.",
        verbose_name="PCN",
    )
    clinical_lead = models.CharField("named clinical lead", max_length=200, blank=True)
    aligned_from = models.DateField(null=True, blank=True)

    synthetic = synthetic_field()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.cqc_location_id})"


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
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day of the priority.")

    objects = SpellQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "title"]
        verbose_name_plural = "local priorities"
        constraints = [dates_in_order_constraint("local_priority_dates_in_order")]

    def __str__(self):
        return self.title
