from django.contrib import admin

from networks import actions
from networks.models import (
    Assignment,
    ClinicalDirector,
    Collaboration,
    CommissionerNote,
    IntegratedCareBoard,
    NetworkAgreement,
    NetworkAgreementSchedule,
    NetworkTeamMember,
    PartnerOrganisation,
    PrimaryCareNetwork,
    Region,
    SignInIdentity,
    Source,
    SubICBLocation,
)
from pcn_portal.core.admin import (
    HierarchyFilter,
    Inline,
    LargeTableAdmin,
    LoadedInline,
    ReferenceDataAdmin,
    VersionedAdmin,
    Writes,
    date_column,
    display_name,
    open_closed_filter,
    organisation_fieldsets,
)

ORGANISATION_COLUMNS = ["code", display_name, date_column("open_date"), date_column("close_date")]

# Django admin saves and deletes through the same actions as the portal's pages.
WRITES = Writes(save=actions.correct_record, delete=actions.delete_record)
NEVER_DELETED = Writes(save=actions.correct_record)  # corrected in place, never deleted


@admin.register(Source)
class SourceAdmin(ReferenceDataAdmin):
    """The public documents the reference data cites, for a national admin to correct a
    title, date or link; every page citing one shows the correction."""

    writes = NEVER_DELETED
    list_display = ["title", "issuer", "published", "link"]
    search_fields = ["title", "issuer"]
    list_filter = ["issuer"]
    fields = ["title", "issuer", "published", "link"]


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    fieldsets = organisation_fieldsets()
    list_display = [*ORGANISATION_COLUMNS, "ons_code"]
    search_fields = ["code", "name", "ons_code"]
    list_filter = [open_closed_filter("close_date")]


@admin.register(IntegratedCareBoard)
class IntegratedCareBoardAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    fieldsets = organisation_fieldsets("region")
    list_display = [*ORGANISATION_COLUMNS, "region", "ons_code"]
    list_select_related = ["region"]
    search_fields = ["code", "name", "ons_code"]
    list_filter = ["region", open_closed_filter("close_date")]
    autocomplete_fields = ["region"]


@admin.register(SubICBLocation)
class SubICBLocationAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    fieldsets = organisation_fieldsets("icb")
    list_display = [*ORGANISATION_COLUMNS, "icb", "ons_code"]
    list_select_related = ["icb"]
    search_fields = ["code", "name", "ons_code"]
    list_filter = [
        ("icb__region", HierarchyFilter),
        ("icb", HierarchyFilter),
        open_closed_filter("close_date"),
    ]
    autocomplete_fields = ["icb"]


class ClinicalDirectorInline(Inline, LoadedInline, admin.TabularInline):
    writes = WRITES
    model = ClinicalDirector
    row_select_related = ["practice", "pcn"]
    rows_shown = 10
    fields = ["full_name", "profession", "practice", "start_date", "end_date", "share"]
    autocomplete_fields = ["practice"]
    extra = 0


@admin.register(PrimaryCareNetwork)
class PrimaryCareNetworkAdmin(ReferenceDataAdmin):
    """Networks come from ODS: corrected here, closed by their close date, never deleted
    (a network that had members keeps them in its history)."""

    writes = NEVER_DELETED

    fieldsets = organisation_fieldsets(
        "lead_commissioner",
        address=True,
        sections=[("Funding and footprint", {"fields": ["nominated_payee", "footprint_notes"]})],
    )
    list_display = [*ORGANISATION_COLUMNS, "lead_commissioner", "postcode"]
    list_select_related = ["lead_commissioner"]
    search_fields = ["code", "name", "postcode", "lead_commissioner__code"]
    list_filter = [
        open_closed_filter("close_date"),
        ("lead_commissioner__icb__region", HierarchyFilter),
        ("lead_commissioner__icb", HierarchyFilter),
        "lead_commissioner",
    ]
    autocomplete_fields = ["lead_commissioner", "nominated_payee"]
    inlines = [ClinicalDirectorInline]


class ScheduleInline(Inline, admin.TabularInline):
    writes = WRITES
    model = NetworkAgreementSchedule
    extra = 0


@admin.register(NetworkAgreement)
class NetworkAgreementAdmin(VersionedAdmin):
    writes = WRITES
    list_display = [
        "pcn",
        "financial_year",
        date_column("signed_on"),
        "data_sharing_agreement_in_place",
    ]
    list_select_related = ["pcn"]
    search_fields = ["pcn__code", "pcn__name"]
    list_filter = ["financial_year", "data_sharing_agreement_in_place"]
    autocomplete_fields = ["pcn"]
    inlines = [ScheduleInline]


@admin.register(NetworkAgreementSchedule)
class NetworkAgreementScheduleAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["agreement", "number", "status", date_column("completed_on")]
    list_select_related = ["agreement__pcn"]
    search_fields = ["agreement__pcn__code"]
    list_filter = ["status", "number"]
    raw_id_fields = ["agreement"]


@admin.register(ClinicalDirector)
class ClinicalDirectorAdmin(VersionedAdmin):
    writes = WRITES
    list_display = [
        "full_name",
        "pcn",
        "profession",
        "practice",
        date_column("start_date"),
        date_column("end_date"),
        "share",
    ]
    list_select_related = ["pcn", "practice"]
    search_fields = ["full_name", "pcn__code", "pcn__name", "practice__code"]
    list_filter = [open_closed_filter("end_date", "in post"), "profession"]
    autocomplete_fields = ["pcn", "practice"]


@admin.register(NetworkTeamMember)
class NetworkTeamMemberAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["full_name", "pcn", "role", date_column("start_date"), date_column("end_date")]
    list_select_related = ["pcn"]
    search_fields = ["full_name", "pcn__code", "pcn__name"]
    list_filter = [open_closed_filter("end_date", "in post"), "role"]
    autocomplete_fields = ["pcn"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(VersionedAdmin):
    """Partner organisations: a national record has no network; one a network added is
    its own while no other network works with it (networks.scopes.partner_refusal)."""

    writes = WRITES
    list_display = ["name", "kind", "ods_code", "added_by_pcn"]
    list_select_related = ["added_by_pcn"]
    search_fields = ["name", "ods_code"]
    list_filter = ["kind", ("added_by_pcn", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["added_by_pcn"]


@admin.register(Collaboration)
class CollaborationAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["pcn", "partner", date_column("start_date"), date_column("end_date")]
    list_select_related = ["pcn", "partner"]
    search_fields = ["pcn__code", "pcn__name", "partner__name"]
    list_filter = [open_closed_filter("end_date", "current"), "partner__kind"]
    autocomplete_fields = ["pcn", "partner"]


@admin.register(CommissionerNote)
class CommissionerNoteAdmin(VersionedAdmin):
    """Notes commissioner staff keep on networks, for a national admin to correct or remove
    (the commissioner's pages write them: networks.actions.add_commissioner_note)."""

    writes = WRITES
    list_display = ["pcn", date_column("written_on"), "written_by", "done"]
    list_select_related = ["pcn", "written_by"]
    search_fields = ["pcn__code", "pcn__name", "text", "follow_up"]
    list_filter = ["done"]
    autocomplete_fields = ["pcn", "written_by"]


@admin.register(SignInIdentity)
class SignInIdentityAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["user", "subject", "first_signed_in"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["first_signed_in"]
    autocomplete_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(VersionedAdmin):
    writes = WRITES
    list_display = ["user", "scope", "role", "pcn", "sub_icb_location", "icb", "region"]
    list_select_related = ["user", "pcn", "sub_icb_location", "icb", "region"]
    search_fields = [
        "user__username",
        "user__email",
        "pcn__code",
        "sub_icb_location__code",
        "icb__code",
        "region__code",
    ]
    list_filter = ["scope", "role"]
    autocomplete_fields = ["user", "pcn", "sub_icb_location", "icb", "region"]
