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
    money_column,
    open_closed_filter,
    source_column,
)
from workforce import actions
from workforce.forms import ClaimLineForm, VersionedClaimLineForm
from workforce.models import (
    AllocationRate,
    ARRSAllocation,
    ARRSRole,
    Claim,
    ClaimLine,
    MaximumAmount,
    Post,
    RoleCap,
    StaffMember,
)

# Django admin saves and deletes through the same actions as the portal's pages.
WRITES = Writes(save=actions.correct_record, delete=actions.delete_record)
NEVER_DELETED = Writes(save=actions.correct_record)  # corrected in place, never deleted


class MaximumAmountInline(Inline, LoadedInline, admin.TabularInline):
    writes = NEVER_DELETED
    model = MaximumAmount
    row_select_related = ["role"]
    fields = [
        "afc_band",
        "period_start",
        "period_end",
        "national",
        "outer_london",
        "inner_london",
        "unknown",
        "source",
    ]
    extra = 0
    can_delete = False


@admin.register(ARRSRole)
class ARRSRoleAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    list_display = [
        "name",
        "code",
        date_column("reimbursable_from"),
        date_column("reimbursable_until"),
        "afc_bands",
        source_column,
    ]
    search_fields = ["name", "code"]
    inlines = [MaximumAmountInline]


@admin.display(description="AfC band", ordering="afc_band")
def afc_band(obj):
    return obj.afc_band or "–"


@admin.register(MaximumAmount)
class MaximumAmountAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    # Narrow enough to read beside the filters; each row's source is on its change page.
    list_display = [
        "role",
        afc_band,
        date_column("period_start", "from"),
        date_column("period_end", "until"),
        money_column("national"),
        money_column("outer_london"),
        money_column("inner_london"),
        "unknown",
    ]
    list_select_related = ["role"]
    search_fields = ["role__name", "source"]
    list_filter = ["role", "unknown"]


@admin.register(RoleCap)
class RoleCapAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    list_display = ["role", "kind", date_column("valid_from"), date_column("valid_until"), "rule"]
    list_select_related = ["role"]
    search_fields = ["role__name", "rule"]
    list_filter = ["kind", "role"]


@admin.register(AllocationRate)
class AllocationRateAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    list_display = [
        "financial_year",
        "pounds_per_weighted_patient",
        "population_basis",
        money_column("national_total"),
        source_column,
    ]


@admin.register(StaffMember)
class StaffMemberAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["full_name", "pcn", "professional_registration"]
    list_select_related = ["pcn"]
    search_fields = ["full_name", "professional_registration", "pcn__code", "pcn__name"]
    autocomplete_fields = ["pcn"]


@admin.register(Post)
class PostAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = [
        "staff_member",
        "role",
        "pcn",
        date_column("start_date"),
        date_column("end_date"),
        "weekly_hours",
        "london_zone",
        money_column("annual_salary"),
        "arrs_funded",
    ]
    list_select_related = ["staff_member", "role", "pcn"]
    search_fields = ["staff_member__full_name", "pcn__code", "pcn__name", "role__name"]
    list_filter = [
        open_closed_filter("end_date", "in post"),
        "role",
        "london_zone",
        "employer_type",
        "arrs_funded",
        ("pcn__lead_commissioner__icb", HierarchyFilter),
    ]
    autocomplete_fields = ["pcn", "staff_member", "role", "employer_practice"]


@admin.register(ARRSAllocation)
class ARRSAllocationAdmin(VersionedAdmin):
    writes = WRITES
    list_display = [
        "pcn",
        "financial_year",
        "weighted_population",
        date_column("population_date"),
        "rate",
        money_column("amount"),
    ]
    list_select_related = ["pcn"]
    search_fields = ["pcn__code", "pcn__name"]
    list_filter = ["financial_year", ("pcn__lead_commissioner__icb", HierarchyFilter)]
    autocomplete_fields = ["pcn"]


LINE_AMOUNTS = [
    money_column("maximum_amount", "maximum amount"),
    money_column("reimbursable_amount", "reimbursable amount"),
]


class ClaimLineInline(Inline, LoadedInline, admin.TabularInline):
    writes = WRITES
    model = ClaimLine
    row_select_related = ["claim__pcn", "post__role", "post__staff_member", "post__pcn"]
    rows_shown = 10
    form = ClaimLineForm
    fields = [
        "post",
        "salary",
        "employer_ni",
        "employer_pension",
        "weekly_hours",
        *LINE_AMOUNTS,
    ]
    readonly_fields = LINE_AMOUNTS
    autocomplete_fields = ["post"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "post":
            # A line names an existing post of the claim's PCN: no add/edit/delete icons
            # crowding every row.
            widget = field.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return field


@admin.register(Claim)
class ClaimAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["pcn", "month", "status", "submitted_by", "decided_by"]
    list_select_related = ["pcn", "submitted_by", "decided_by"]
    search_fields = ["pcn__code", "pcn__name"]
    list_filter = ["status", "month", ("pcn__lead_commissioner__icb", HierarchyFilter)]
    autocomplete_fields = ["pcn"]
    # A claim is submitted by its network and decided by the commissioner's approvers, in
    # the portal (workforce.actions), never by editing its status here.
    readonly_fields = [
        "status",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    date_hierarchy = "month"
    inlines = [ClaimLineInline]


@admin.register(ClaimLine)
class ClaimLineAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = [
        "claim",
        "post",
        money_column("salary"),
        money_column("maximum_amount"),
        money_column("reimbursable_amount"),
    ]
    list_select_related = ["claim__pcn", "post__staff_member", "post__role", "post__pcn"]
    search_fields = ["claim__pcn__code", "post__staff_member__full_name"]
    form = VersionedClaimLineForm
    readonly_fields = ["maximum_amount", "reimbursable_amount"]
    raw_id_fields = ["claim", "post"]
