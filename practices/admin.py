from django.contrib import admin

from pcn_portal.admin import (
    HierarchyFilter,
    LargeTableAdmin,
    LoadedInline,
    date_column,
    display_name,
    open_closed_filter,
    organisation_fieldsets,
    year_filter,
)
from practices.forms import MembershipForm
from practices.models import ListSize, Membership, Practice


class ListSizeInline(LoadedInline, admin.TabularInline):
    model = ListSize
    row_select_related = ["practice"]
    rows_shown = 10
    fields = ["extract_date", "registered_patients", "weighted_patients"]
    extra = 0
    ordering = ["-extract_date"]
    max_num = 0
    can_delete = False
    readonly_fields = fields


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    fieldsets = organisation_fieldsets(
        "commissioner",
        "status",
        "prescribing_setting",
        address=True,
        sections=[("Contact", {"fields": ["phone"]})],
    )
    list_display = [
        "code",
        display_name,
        "postcode",
        "status",
        "prescribing_setting",
        "commissioner",
        date_column("close_date"),
    ]
    list_select_related = ["commissioner"]
    search_fields = ["code", "name", "postcode"]
    list_filter = [
        "status",
        "prescribing_setting",
        open_closed_filter("close_date"),
        ("commissioner__icb__region", HierarchyFilter),
        ("commissioner__icb", HierarchyFilter),
    ]
    autocomplete_fields = ["commissioner"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = [
        "practice",
        "pcn",
        date_column("start_date"),
        date_column("end_date", "last day"),
        "in_force",
        "source",
    ]
    list_select_related = ["practice", "pcn"]
    search_fields = ["practice__code", "practice__name", "pcn__code", "pcn__name"]
    list_filter = [
        open_closed_filter("end_date", "current"),
        "in_force",
        "source",
        ("pcn__lead_commissioner__icb", HierarchyFilter),
    ]
    autocomplete_fields = ["practice", "pcn"]
    readonly_fields = ["published_start_date", "published_end_date", "in_force", "adjustment"]


@admin.register(ListSize)
class ListSizeAdmin(LargeTableAdmin):
    list_display = [
        "practice",
        date_column("extract_date"),
        "registered_patients",
        "weighted_patients",
    ]
    list_select_related = ["practice"]
    search_fields = ["practice__code", "practice__name"]
    list_filter = [year_filter("extract_date", "year of extract"), "synthetic"]
    autocomplete_fields = ["practice"]
