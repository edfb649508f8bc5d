from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html

from networks.admin import PrimaryCareNetworkAdmin as BasePrimaryCareNetworkAdmin
from networks.models import PrimaryCareNetwork
from pcn_portal.core.admin import (
    HierarchyFilter,
    Inline,
    LargeTableAdmin,
    LoadedInline,
    VersionedAdmin,
    Writes,
    date_column,
    display_name,
    open_closed_filter,
    organisation_fieldsets,
    year_filter,
)
from practices import actions
from practices.admin_import import PERMISSION, import_ods_status_view, import_ods_view
from practices.forms import MembershipForm, VersionedMembershipForm
from practices.models import (
    ListSize,
    Membership,
    NetworkWeightedPopulation,
    ODSUpload,
    Practice,
    WeightedPopulation,
)

# Django admin saves and deletes through the same actions as the portal's pages.
WRITES = Writes(save=actions.correct_record, delete=actions.delete_record)
NEVER_DELETED = Writes(save=actions.correct_record)  # corrected in place, never deleted


class ListSizeInline(Inline, LoadedInline, admin.TabularInline):
    writes = None  # shown only: list sizes come from the imports
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
class PracticeAdmin(VersionedAdmin):
    writes = NEVER_DELETED
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
class MembershipAdmin(VersionedAdmin):
    writes = WRITES
    form = VersionedMembershipForm
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
    writes = WRITES
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
    date_hierarchy = "extract_date"


@admin.register(WeightedPopulation)
class WeightedPopulationAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["practice", date_column("on"), "weighted_patients", "source", "file_name"]
    list_select_related = ["practice"]
    search_fields = ["practice__code", "practice__name"]
    list_filter = [year_filter("on", "year of the figure"), "source"]
    autocomplete_fields = ["practice"]


@admin.register(NetworkWeightedPopulation)
class NetworkWeightedPopulationAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["pcn", "financial_year", "weighted_patients", "source"]
    list_select_related = ["pcn"]
    search_fields = ["pcn__code", "pcn__name"]
    list_filter = ["financial_year"]
    autocomplete_fields = ["pcn"]


class MembershipInline(Inline, LoadedInline, admin.TabularInline):
    writes = WRITES
    model = Membership
    row_select_related = ["practice", "pcn"]
    rows_shown = 10
    form = MembershipForm
    fields = ["practice", "start_date", "end_date", "in_force", "source", "adjustment"]
    readonly_fields = ["in_force", "adjustment"]
    autocomplete_fields = ["practice"]
    extra = 0
    ordering = ["-start_date"]


# The network's admin page gains what the practices layer adds to a network: its member
# practices, and the import of the ODS files that define them.
admin.site.unregister(PrimaryCareNetwork)


@admin.register(PrimaryCareNetwork)
class PrimaryCareNetworkAdmin(BasePrimaryCareNetworkAdmin):
    inlines = [MembershipInline, *BasePrimaryCareNetworkAdmin.inlines]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: import_ods_view(self, request))
        status = self.admin_site.admin_view(
            lambda request, token: import_ods_status_view(self, request, token)
        )
        return [
            path("import-ods/", view, name="networks_primarycarenetwork_import_ods"),
            path(
                "import-ods/<str:token>/", status, name="networks_primarycarenetwork_import_status"
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import_ods": request.user.has_perm(PERMISSION),
        }
        return super().changelist_view(request, extra_context)


@admin.register(ODSUpload)
class ODSUploadAdmin(admin.ModelAdmin):
    """The record of every ODS upload: who uploaded and who imported what, and when.
    Read only: uploads are made on the Import ODS files page."""

    list_display = ["uploaded_at", "file_names", "state", "uploaded_by", "confirmed_by"]
    list_filter = ["state"]
    fields = [
        "file_names", "state", "status_page", "uploaded_by", "uploaded_at", "confirmed_by",
        "confirmed_at", "finished_at", "error",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="files")
    def file_names(self, upload):
        return ", ".join(upload.names)

    @admin.display(description="status page")
    def status_page(self, upload):
        url = reverse("admin:networks_primarycarenetwork_import_status", args=[upload.token])
        return format_html('<a href="{}">{}</a>', url, upload.get_state_display())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
