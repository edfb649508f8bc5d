from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

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
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.names import person_name
from pcn_portal.core.versions import VersionedModelForm
from workforce import actions, admin_figures, rules
from workforce.forms import ClaimLineForm, VersionedClaimLineForm
from workforce.models import (
    AllocationRate,
    ARRSAllocation,
    ARRSForecast,
    ARRSRole,
    BackdatedChange,
    Claim,
    ClaimLine,
    ClaimStatusChange,
    MaximumAmount,
    MaximumAmountUpload,
    Post,
    PostTerms,
    RingFencedSum,
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
        "sources",
        "section",
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
    search_fields = ["role__name"]
    list_filter = ["role", "unknown"]

    # A year's table loaded from one file (workforce/admin_figures.py).
    def get_urls(self):
        return [*admin_figures.urls(self), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        can_load = request.user.has_perm(admin_figures.PERMISSION)
        return super().changelist_view(request, {**(extra_context or {}), "can_load": can_load})


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

    # The year's rate and ring-fenced sum on their own form, every network's ARRS sum then
    # recorded again (workforce/admin_figures.py).
    def get_urls(self):
        return [*admin_figures.rate_urls(self), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        can_set = request.user.has_perm(admin_figures.RATE_PERMISSION)
        return super().changelist_view(request, {**(extra_context or {}), "can_set": can_set})


@admin.register(RingFencedSum)
class RingFencedSumAdmin(ReferenceDataAdmin):
    writes = NEVER_DELETED
    list_display = [
        "financial_year",
        "role",
        "pounds_per_weighted_patient",
        date_column("first_day"),
        date_column("last_day"),
        source_column,
    ]
    list_select_related = ["role"]


@admin.register(StaffMember)
class StaffMemberAdmin(LargeTableAdmin):
    writes = WRITES
    list_display = ["full_name", "pcn", "professional_registration"]
    list_select_related = ["pcn"]
    search_fields = ["full_name", "professional_registration", "pcn__code", "pcn__name"]
    autocomplete_fields = ["pcn"]


class PostAdminForm(VersionedModelForm):
    """Checks a post against the same ARRS rules as the staff register's pages, as the
    admin who saves it (PostAdmin.get_form gives the form its user)."""

    user = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance.warnings = rules.check_post(self.instance, self.user)
        except ValidationError as error:
            self._update_errors(error)


class PostTermsInline(Inline, admin.TabularInline):
    """A post's later terms, each from its first day: shown here, changed on the post's
    page in the network's register (workforce.actions.change_post), where a change is
    checked against the post's claims. The post's own fields above are its terms from its
    first day."""

    model = PostTerms
    writes = None
    extra = 0
    fields = [
        "first_day",
        "weekly_hours",
        "afc_band",
        "annual_salary",
        "annual_employer_ni",
        "annual_employer_pension",
        "london_zone",
        "arrs_funded",
    ]
    readonly_fields = fields
    verbose_name_plural = "Later changes of terms (each from its first day)"


@admin.register(Post)
class PostAdmin(LargeTableAdmin):
    writes = WRITES
    form = PostAdminForm
    inlines = [PostTermsInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in getattr(obj, "warnings", []):
            self.message_user(request, warning, messages.WARNING)

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


class SealedClaimsReadOnly:
    """A submitted or approved claim and its lines are shown, never added to, changed or
    deleted (the database refuses it too: workforce.models.SEALED_STATUSES). `claim_of`
    gives the claim a page's record belongs to."""

    @staticmethod
    def claim_of(obj):
        return obj

    def _sealed(self, obj):
        return obj is not None and self.claim_of(obj).sealed

    def has_add_permission(self, request, *obj):
        # A model admin asks with the request alone; an inline with its parent record too.
        return not self._sealed(obj[0] if obj else None) and super().has_add_permission(
            request, *obj
        )

    def has_change_permission(self, request, obj=None):
        return not self._sealed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._sealed(obj) and super().has_delete_permission(request, obj)


class ClaimLineInline(SealedClaimsReadOnly, Inline, LoadedInline, admin.TabularInline):
    writes = WRITES
    can_delete = False  # a line is changed through change_line, never dropped from a claim
    model = ClaimLine
    fk_name = "claim"
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


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClaimStatusChange)
class ClaimStatusChangeAdmin(ReadOnlyMixin, LargeTableAdmin):
    """A claim's history, written only by the claim actions."""

    list_display = ["claim", "status", "by", "at"]
    list_select_related = ["claim__pcn", "by"]
    search_fields = ["claim__pcn__code", "by__username"]
    list_filter = ["status"]


@admin.register(PostTerms)
class PostTermsAdmin(ReadOnlyMixin, LargeTableAdmin):
    """Posts' changes of terms, each from its first day: changed on the post's page in the
    network's register (workforce.actions.change_post), where a change is checked against
    the post's claims."""

    list_display = ["post", date_column("first_day"), "weekly_hours", "afc_band",
                    money_column("annual_salary"), "london_zone", "arrs_funded"]  # fmt: skip
    list_select_related = ["post__staff_member", "post__role", "post__pcn"]
    search_fields = ["post__staff_member__full_name", "post__pcn__code", "post__pcn__name"]
    list_filter = ["london_zone", "arrs_funded"]


@admin.register(ARRSForecast)
class ARRSForecastAdmin(ReadOnlyMixin, LargeTableAdmin):
    """Each network's forecast as the area pages show it: worked out from its posts and
    claims, never entered (workforce.budget.record_forecast)."""

    list_display = ["pcn", "financial_year", "main_forecast", "forecast", "missing_maxima",
                    "awaiting", "gp_sum", "worked_out_at"]  # fmt: skip
    list_select_related = ["pcn"]
    search_fields = ["pcn__code", "pcn__name"]
    list_filter = ["financial_year"]


@admin.register(Claim)
class ClaimAdmin(SealedClaimsReadOnly, LargeTableAdmin):
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
        "status_history",
    ]
    date_hierarchy = "month"
    inlines = [ClaimLineInline]
    actions = ["approve_claims", "reject_claims"]

    @admin.display(description="Status history")
    def status_history(self, obj):
        if obj.pk is None:
            return "–"
        changes = obj.status_changes.select_related("by")
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} – {} by {}{}",
                (
                    (
                        f"{timezone.localtime(c.at):%d %b %Y %H:%M}",
                        c.get_status_display(),
                        person_name(c.by),
                        f": {c.note}" if c.note else "",
                    )
                    for c in changes
                ),
            )
            or "–"
        )

    def save_model(self, request, obj, form, change):
        """A new claim is started as the network's page starts one: a line for every ARRS
        post in place that month."""
        if not change:
            started = actions.start_claim(pcn=obj.pcn, by=request.user, month=obj.month)
            obj.pk = started.pk
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Changed lines are saved by the same action as on the claim's page, so a
        submitted or approved claim's lines cannot be changed here either."""
        if formset.model is not ClaimLine:
            return super().save_formset(request, form, formset, change)
        for line_form in formset.forms:
            if not line_form.has_changed() or line_form in formset.deleted_forms:
                continue
            line = line_form.instance
            data = line_form.cleaned_data
            try:
                actions.change_line(
                    line=line,
                    by=request.user,
                    changes={name: data[name] for name in actions.LINE_FIELDS},
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description="Approve the selected submitted claims")
    def approve_claims(self, request, queryset):
        self._decide(request, queryset, approve=True, note="")

    @admin.action(description="Reject the selected submitted claims (with a reason)")
    def reject_claims(self, request, queryset):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._decide(request, queryset, approve=False, note=form.cleaned_data["reason"])
            return None
        return TemplateResponse(
            request,
            "admin/workforce/claim/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject claims",
                "claims": queryset.select_related("pcn"),
                "form": form,
                "action": "reject_claims",
                "opts": self.model._meta,
            },
        )

    def _decide(self, request, queryset, *, approve, note):
        for claim in queryset.select_related("pcn__lead_commissioner__icb"):
            try:
                actions.decide_claim(claim=claim, by=request.user, approve=approve, note=note)
            except ValidationError as error:
                self.message_user(request, f"{claim}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{claim}: {claim.get_status_display().lower()}.", messages.SUCCESS
                )


class RejectionForm(NHSMessagesMixin, forms.Form):
    reason = forms.CharField(
        label="Reason the networks will see", widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(ClaimLine)
class ClaimLineAdmin(SealedClaimsReadOnly, LargeTableAdmin):
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
    readonly_fields = ["maximum_amount", "reimbursable_amount", "corrects", "reason"]
    raw_id_fields = ["claim", "post"]

    @staticmethod
    def claim_of(obj):
        return obj.claim

    def save_model(self, request, obj, form, change):
        """Through the same action as the claim's page (a new line is created first, then
        worked out by it)."""
        if not change:
            super().save_model(request, obj, form, change)
        try:
            actions.change_line(
                line=obj,
                by=request.user,
                changes={name: getattr(obj, name) for name in actions.LINE_FIELDS},
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)


@admin.register(MaximumAmountUpload)
class MaximumAmountUploadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The record of every table of maximum amounts uploaded: who uploaded it, who applied
    it, and when. Uploads are made on the Load maximum amounts page."""

    list_display = ["uploaded_at", "file_names", "state", "uploaded_by", "confirmed_by"]
    list_filter = ["state"]
    fields = ["file_names", "state", "uploaded_by", "uploaded_at", "confirmed_by",
              "confirmed_at", "finished_at", "error"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="files")
    def file_names(self, upload):
        return ", ".join(upload.names)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(admin_figures.PERMISSION)


@admin.register(BackdatedChange)
class BackdatedChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Each change of maximum amounts over months already past, with what it came to for the
    networks' approved claims: the arrears worked out, and the reductions not recovered
    (workforce.arrears). Made by loading maximum amounts or changing one in admin."""

    list_display = ["__str__", "made_at", "made_by", "how", "worked_out_at", "networks",
                    "lines", "arrears", "reduced_lines", "reduced_by"]  # fmt: skip
    list_filter = ["role"]
    fields = ["role", "afc_band", "first_day", "last_day", "made_at", "made_by", "how",
              "worked_out_at", "networks", "lines", "arrears", "reduced_lines",
              "reduced_by"]  # fmt: skip
    readonly_fields = fields
