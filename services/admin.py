from django.contrib import admin

from pcn_portal.core.admin import (
    HierarchyFilter,
    Inline,
    LargeTableAdmin,
    LoadedInline,
    ReferenceDataAdmin,
    VersionedAdmin,
    Writes,
    date_column,
    open_closed_filter,
    source_column,
)
from services import actions
from services.models import (
    CareHome,
    CareHomeAlignment,
    CareHomeBeds,
    CareHomePremiumRate,
    Evidence,
    LocalPriority,
    Requirement,
    RequirementProgress,
    ServiceDelivery,
    ServiceSpecification,
)

# Django admin saves and deletes through the same actions as the portal's pages.
WRITES = Writes(save=actions.correct_record, delete=actions.delete_record)
NEVER_DELETED = Writes(save=actions.correct_record)  # corrected in place, never deleted


class RequirementInline(Inline, admin.TabularInline):
    writes = NEVER_DELETED
    model = Requirement
    fields = ["code", "text", "valid_from", "valid_until", "sources", "section"]
    extra = 0
    can_delete = False


@admin.register(ServiceSpecification)
class ServiceSpecificationAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    list_display = [
        "name",
        date_column("start_date"),
        date_column("end_date"),
        "fate",
        source_column,
    ]
    search_fields = ["name", "code"]
    inlines = [RequirementInline]


@admin.register(Requirement)
class RequirementAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    list_display = ["code", "specification", "text", date_column("valid_from")]
    list_select_related = ["specification"]
    search_fields = ["code", "text"]
    list_filter = ["specification"]


class ProgressInline(Inline, LoadedInline, admin.TabularInline):
    writes = WRITES
    model = RequirementProgress
    row_select_related = ["requirement"]
    fields = ["requirement", "status", "note", "due_on", "completed_on"]
    raw_id_fields = ["requirement"]
    extra = 0


@admin.register(ServiceDelivery)
class ServiceDeliveryAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["pcn", "specification", "financial_year", "status", "lead_name"]
    list_select_related = ["pcn", "specification"]
    search_fields = ["pcn__code", "pcn__name", "lead_name"]
    list_filter = [
        "status",
        "financial_year",
        "specification",
        ("pcn__lead_commissioner__icb", HierarchyFilter),
    ]
    autocomplete_fields = ["pcn"]
    inlines = [ProgressInline]


@admin.register(RequirementProgress)
class RequirementProgressAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["delivery", "requirement", "status", date_column("completed_on")]
    list_select_related = ["delivery__pcn", "delivery__specification", "requirement"]
    search_fields = ["delivery__pcn__code", "requirement__code"]
    list_filter = ["status"]
    raw_id_fields = ["delivery", "requirement"]


class AlignmentInline(Inline, LoadedInline, admin.TabularInline):
    writes = WRITES
    model = CareHomeAlignment
    row_select_related = ["pcn"]
    fields = ["pcn", "start_date", "end_date", "clinical_lead", "round_day"]
    autocomplete_fields = ["pcn"]
    extra = 0


class BedsInline(Inline, LoadedInline, admin.TabularInline):
    writes = WRITES
    model = CareHomeBeds
    row_select_related = ["pcn"]
    fields = ["month", "beds", "pcn"]
    autocomplete_fields = ["pcn"]
    extra = 0


@admin.register(CareHome)
class CareHomeAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["name", "cqc_location_id", "home_type", "postcode"]
    search_fields = ["name", "cqc_location_id", "postcode", "alignments__pcn__code"]
    list_filter = ["home_type"]
    inlines = [AlignmentInline, BedsInline]


@admin.register(CareHomeAlignment)
class CareHomeAlignmentAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["home", "pcn", date_column("start_date"), date_column("end_date")]
    list_select_related = ["home", "pcn"]
    search_fields = ["home__name", "home__cqc_location_id", "pcn__code"]
    list_filter = [open_closed_filter("end_date", "current")]
    autocomplete_fields = ["pcn"]
    raw_id_fields = ["home"]


@admin.register(CareHomeBeds)
class CareHomeBedsAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["home", date_column("month"), "beds", "pcn"]
    list_select_related = ["home", "pcn"]
    search_fields = ["home__name", "home__cqc_location_id", "pcn__code"]
    raw_id_fields = ["home"]
    autocomplete_fields = ["pcn"]


@admin.register(CareHomePremiumRate)
class CareHomePremiumRateAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    list_display = [
        "financial_year",
        "per_bed_for_year",
        date_column("payable_from"),
        source_column,
    ]


@admin.register(Evidence)
class EvidenceAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["__str__", "pcn", "progress", "added_by", "added_at"]
    list_select_related = ["pcn", "progress__requirement", "added_by"]
    search_fields = ["pcn__code", "file_name", "link"]
    raw_id_fields = ["pcn", "progress"]
    readonly_fields = ["file", "file_name", "content_type", "size", "added_at", "added_by"]


@admin.register(LocalPriority)
class LocalPriorityAdmin(VersionedAdmin):
    writes = WRITES
    list_display = [
        "title",
        "pcn",
        "owner",
        "status",
        date_column("review_on"),
        date_column("start_date"),
        date_column("end_date"),
    ]
    list_select_related = ["pcn"]
    search_fields = ["title", "pcn__code", "pcn__name"]
    list_filter = ["status", open_closed_filter("end_date", "current")]
    autocomplete_fields = ["pcn"]
