"""Networks and the commissioning hierarchy above them: the scope root of the portal."""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import JSONObject

from pcn_portal.core.citations import (
    citation_html,
    citation_text,
    citation_with_links,
    sources_of,
)
from pcn_portal.core.db import (
    ICB_CODE,
    PCN_CODE,
    REGION_CODE,
    SUB_ICB_CODE,
    FinancialYearField,
    SpellQuerySet,
    code_format_constraint,
    dates_in_order_constraint,
    financial_year_label,
    ods_code_validator,
    synthetic_field,
    today,
    track_history,
)
from pcn_portal.core.names import ods_title


def open_q(on):
    """The condition on an organisation (or a practice) of being open on `on`: opened by
    then or with no open date, and not closed before it (the close date is the last day
    open). As a Q, for a query that tests it on each row rather than filtering by it."""
    return (Q(close_date__isnull=True) | Q(close_date__gte=on)) & ~Q(open_date__gt=on)


class OrganisationQuerySet(models.QuerySet):
    def open(self, on=None):
        """Open on `on` (default today): the close date is the last day open."""
        return self.filter(open_q(on or today()))

    def open_between(self, start, end):
        """Open on at least one day from `start` to `end` (both included)."""
        return self.filter(Q(close_date__isnull=True) | Q(close_date__gte=start)).exclude(
            open_date__gt=end
        )

    def closed(self, on=None):
        """Closed by `on` (default today): its last day open is before it."""
        return self.filter(close_date__lt=on or today())


class Organisation(models.Model):
    """Fields every ODS organisation has. Names are kept as published (ODS uses capitals)."""

    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=200)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(
        null=True, blank=True, help_text="The last day it is open, as ODS publishes it."
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name_and_code

    @property
    def display_name(self):
        return ods_title(self.name)

    @property
    def name_and_code(self):
        """The name with the code after it, "Demo North ICB (QZ1)"; a name that already
        ends with its code, as ODS names Sub-ICB locations ("NHS North East and North
        Cumbria ICB - 00L"), is not given it twice."""
        name = self.display_name
        if name.endswith(f" {self.code}"):
            return name
        return f"{name} ({self.code})"

    @property
    def is_open(self):
        return self.is_open_on(today())

    def is_open_on(self, day):
        """Open on `day`: opened by then, and its close date (the last day open) not past."""
        return (self.open_date is None or self.open_date <= day) and (
            self.close_date is None or self.close_date >= day
        )


def user_assignments(user):
    """A user's assignments, read once per request (kept on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_portal_assignments", None)
    if cached is None:
        cached = user._portal_assignments = list(Assignment.objects.filter(user=user))
    return cached


def sees_everything(user):
    """National admins and national commissioner staff see every network and area."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(a.scope == Scope.NATIONAL for a in user_assignments(user))


class AreaQuerySet(OrganisationQuerySet):
    """Sub-ICB locations, ICBs and regions. `area_paths` names, for each commissioner scope,
    the field that holds the assigned area's id on this model."""

    area_paths = {}

    def for_user(self, user):
        """The areas a user may see: their commissioner areas and the areas inside them."""
        if sees_everything(user):
            return self
        q = Q(pk__in=[])
        for a in user_assignments(user):
            path = self.area_paths.get(a.scope)
            if path:
                q |= Q(**{path: a.area_id})
        return self.filter(q)


class RegionQuerySet(AreaQuerySet):
    area_paths = {"region": "pk"}


class ICBQuerySet(AreaQuerySet):
    area_paths = {"icb": "pk", "region": "region_id"}


class SubICBQuerySet(AreaQuerySet):
    area_paths = {"sub_icb": "pk", "icb": "icb_id", "region": "icb__region_id"}


@track_history()
class Region(Organisation):
    """An NHS England commissioning region (Y56–Y63)."""

    code = models.CharField(
        "ODS code",
        max_length=3,
        unique=True,
        validators=[ods_code_validator(REGION_CODE, "region code: Y and two digits, e.g. Y56")],
    )

    objects = RegionQuerySet.as_manager()

    class Meta(Organisation.Meta):
        constraints = [
            code_format_constraint("region_code_format", REGION_CODE),
            dates_in_order_constraint("region_dates_in_order", "open_date", "close_date"),
        ]


@track_history()
class IntegratedCareBoard(Organisation):
    """An ICB (formerly an STP): Q and two characters, e.g. QOP."""

    code = models.CharField(
        "ODS code",
        max_length=3,
        unique=True,
        validators=[ods_code_validator(ICB_CODE, "ICB code: Q and two characters, e.g. QOP")],
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="icbs"
    )

    objects = ICBQuerySet.as_manager()

    class Meta(Organisation.Meta):
        verbose_name = "integrated care board"
        constraints = [
            code_format_constraint("icb_code_format", ICB_CODE),
            dates_in_order_constraint("icb_dates_in_order", "open_date", "close_date"),
        ]


@track_history()
class SubICBLocation(Organisation):
    """A Sub-ICB location: until 1 July 2022 a clinical commissioning group (CCG), whose
    3- or 5-character code it kept."""

    code = models.CharField(
        "ODS code",
        max_length=5,
        unique=True,
        validators=[
            ods_code_validator(
                SUB_ICB_CODE, "Sub-ICB location code: 3 or 5 letters and digits, e.g. 00Y"
            )
        ],
    )
    icb = models.ForeignKey(
        IntegratedCareBoard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_icb_locations",
        verbose_name="ICB",
    )

    objects = SubICBQuerySet.as_manager()

    class Meta(Organisation.Meta):
        verbose_name = "Sub-ICB location (formerly CCG)"
        verbose_name_plural = "Sub-ICB locations (formerly CCGs)"
        constraints = [
            code_format_constraint("sub_icb_code_format", SUB_ICB_CODE),
            dates_in_order_constraint("sub_icb_dates_in_order", "open_date", "close_date"),
        ]


class PrimaryCareNetworkQuerySet(OrganisationQuerySet):
    def for_user(self, user):
        """The networks a user may see: through a network or a commissioner assignment."""
        if sees_everything(user):
            return self
        paths = {
            "pcn": "pk",
            "sub_icb": "lead_commissioner_id",
            "icb": "lead_commissioner__icb_id",
            "region": "lead_commissioner__icb__region_id",
        }
        q = Q(pk__in=[])
        for a in user_assignments(user):
            q |= Q(**{paths[a.scope]: a.area_id})
        return self.filter(q)

    def in_area(self, area):
        """Networks whose lead commissioner sits in a Sub-ICB location, ICB or region."""
        if isinstance(area, SubICBLocation):
            return self.filter(lead_commissioner=area)
        if isinstance(area, IntegratedCareBoard):
            return self.filter(lead_commissioner__icb=area)
        if isinstance(area, Region):
            return self.filter(lead_commissioner__icb__region=area)
        raise TypeError(f"Not a commissioner area: {area!r}")


@track_history()
class PrimaryCareNetwork(Organisation):
    """A primary care network: U and five digits, e.g. U89141."""

    code = models.CharField(
        "ODS code",
        max_length=6,
        unique=True,
        validators=[ods_code_validator(PCN_CODE, "PCN code: U and five digits, e.g. U89141")],
    )
    lead_commissioner = models.ForeignKey(
        SubICBLocation,
        on_delete=models.PROTECT,
        related_name="pcns",
        help_text="The Sub-ICB location (formerly CCG) ODS records as the network's commissioner.",
    )
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    address_line_3 = models.CharField(max_length=200, blank=True)
    address_line_4 = models.CharField(max_length=200, blank=True)
    address_line_5 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    nominated_payee = models.ForeignKey(
        "practices.Practice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payee_for",
        help_text="The member practice or provider that receives the network's funding, if any.",
    )
    footprint_notes = models.TextField(
        blank=True,
        help_text="Why the network's population is outside 30,000–50,000, and the commissioner's "
        "approval, where it is.",
    )

    objects = PrimaryCareNetworkQuerySet.as_manager()

    class Meta(Organisation.Meta):
        verbose_name = "primary care network"
        permissions = [("import_ods", "Can import ODS reference files")]
        constraints = [
            code_format_constraint("pcn_code_format", PCN_CODE),
            dates_in_order_constraint("pcn_dates_in_order", "open_date", "close_date"),
        ]

    @property
    def address_lines(self):
        """The address as published, blank lines left out, the postcode last."""
        lines = [
            self.address_line_1,
            self.address_line_2,
            self.address_line_3,
            self.address_line_4,
            self.address_line_5,
        ]
        return [ods_title(line) for line in lines if line] + (
            [self.postcode] if self.postcode else []
        )


class NetworkAgreementStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AGREED = "agreed", "Agreed"
    SIGNED = "signed", "Signed"


@track_history()
class NetworkAgreement(models.Model):
    """The network's Network Agreement for one financial year (DOMAIN.md §1.4)."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.CASCADE, related_name="agreements", verbose_name="PCN"
    )
    financial_year = FinancialYearField()
    signed_on = models.DateField(null=True, blank=True)
    data_sharing_agreement_in_place = models.BooleanField(
        default=False,
        help_text="Data-sharing and data-processing arrangements between members are in place.",
    )
    notes = models.TextField(blank=True)

    synthetic = synthetic_field()

    class Meta:
        ordering = ["pcn", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "financial_year"],
                name="one_agreement_per_pcn_per_year",
                violation_error_message="This network already has an agreement for that year.",
            )
        ]

    def __str__(self):
        return f"{self.pcn.code} Network Agreement {financial_year_label(self.financial_year)}"


@track_history()
class NetworkAgreementSchedule(models.Model):
    """One of the locally completed schedules of a Network Agreement, with its status."""

    agreement = models.ForeignKey(
        NetworkAgreement, on_delete=models.CASCADE, related_name="schedules"
    )
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    status = models.CharField(
        max_length=20, choices=NetworkAgreementStatus, default=NetworkAgreementStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    synthetic = synthetic_field()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="one_schedule_per_number",
                violation_error_message="That schedule is already recorded for this agreement.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=7),
                name="schedule_number_1_to_7",
                violation_error_message="A Network Agreement has schedules 1 to 7.",
            ),
        ]

    NUMBERS = range(1, 8)  # a Network Agreement has seven schedules
    SCHEDULE_TITLES = {
        # DOMAIN.md §1.4 (S16, S30, S31); schedule 6 is not described there.
        1: "Governance",
        2: "Additional terms",
        3: "Activities",
        4: "Financial arrangements",
        5: "Workforce",
        7: "Arrangements with organisations outside the network",
    }

    def __str__(self):
        return self.label

    @classmethod
    def label_of(cls, number):
        """The label, "Schedule 3: Activities", or "Schedule 6" alone where no public source gives
        the schedule's title."""
        title = cls.SCHEDULE_TITLES.get(number)
        return f"Schedule {number}: {title}" if title else f"Schedule {number}"

    @property
    def label(self):
        return self.label_of(self.number)


class ClinicalDirectorProfession(models.TextChoices):
    GP = "gp", "GP"
    OTHER = "other", "Other clinician"


@track_history()
class ClinicalDirector(models.Model):
    """A clinical director of a network. A network may have several (co-clinical directors)."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        related_name="clinical_directors",
        verbose_name="PCN",
    )
    full_name = models.CharField(max_length=200)
    profession = models.CharField(max_length=10, choices=ClinicalDirectorProfession)
    profession_detail = models.CharField(
        max_length=100, blank=True, help_text="For other clinicians: e.g. clinical pharmacist."
    )
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clinical_directors",
        help_text="The member practice the clinical director works at.",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day in post.")
    share = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=1,
        help_text="Share of the role, from 0.01 to 1: 0.5 for each of two co-directors.",
    )

    synthetic = synthetic_field()

    objects = SpellQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "-start_date", "full_name"]
        constraints = [
            dates_in_order_constraint("clinical_director_dates_in_order"),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=1),
                name="clinical_director_share_0_to_1",
                violation_error_message="The share of the role must be more than 0 and at most 1.",
            ),
        ]

    def __str__(self):
        return f"{self.full_name}, clinical director of {self.pcn.code}"


class TeamRole(models.TextChoices):
    NETWORK_MANAGER = "network_manager", "Network manager"
    DEPUTY_MANAGER = "deputy_manager", "Deputy network manager"
    ADMINISTRATOR = "administrator", "Administrator"
    FINANCE = "finance", "Finance lead"
    DIGITAL = "digital", "Digital lead"
    OTHER = "other", "Other"


@track_history()
class NetworkTeamMember(models.Model):
    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.CASCADE, related_name="team", verbose_name="PCN"
    )
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=TeamRole)
    role_detail = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day in post.")

    objects = SpellQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "role", "full_name"]
        constraints = [dates_in_order_constraint("team_member_dates_in_order")]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()}, {self.pcn.code})"


class PartnerKind(models.TextChoices):
    COMMUNITY = "community", "Community services"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SOCIAL_CARE = "social_care", "Social care"
    PHARMACY = "pharmacy", "Community pharmacy"
    HOSPITAL = "hospital", "Hospital"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    OTHER = "other", "Other"


class PartnerOrganisationQuerySet(models.QuerySet):
    def for_pcn(self, pcn):
        """The partner organisations a network sees: those it works with (a collaboration
        of any dates) and those it added."""
        return self.filter(Q(collaborations__pcn=pcn) | Q(added_by_pcn=pcn)).distinct()


@track_history()
class PartnerOrganisation(models.Model):
    """A non-GP provider networks work with (Network Agreement schedule 7): one record,
    shared by every network that works with it. The network that added it may change it
    while no other network works with it; a national record (added by a national admin),
    or one other networks work with too, only national admins change (networks.scopes)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PartnerKind)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    added_by_pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners_added",
        verbose_name="added by network",
        help_text="The network that added it; blank for a national record.",
    )

    objects = PartnerOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind"],
                name="unique_partner_name_kind",
                violation_error_message="A partner of this kind with this name already exists.",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name as people write it: one kept in capitals, as ODS publishes names, is
        shown in title case ("DEMO COMMUNITY HEALTH TRUST" reads "Demo Community Health
        Trust"); a name typed in mixed case is left as it is."""
        return ods_title(self.name)


class CollaborationQuerySet(SpellQuerySet):
    def with_partners(self):
        """Each collaboration with its partner and the network that added it, and whether
        another network works with the partner too (`partner_shared`)."""
        others = self.model.objects.filter(partner=OuterRef("partner")).exclude(pcn=OuterRef("pcn"))
        return self.select_related("partner__added_by_pcn").annotate(partner_shared=Exists(others))


@track_history()
class Collaboration(models.Model):
    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        related_name="collaborations",
        verbose_name="PCN",
    )
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="collaborations"
    )
    description = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="The last day of the collaboration."
    )

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "partner"]
        constraints = [dates_in_order_constraint("collaboration_dates_in_order")]

    def __str__(self):
        return f"{self.pcn.code} with {self.partner}"


class CommissionerNoteQuerySet(models.QuerySet):
    def open_follow_ups(self):
        """Notes with a follow-up action not yet marked done."""
        return self.exclude(follow_up="").filter(done=False)


@track_history()
class CommissionerNote(models.Model):
    """A dated note the commissioner's staff keep on a network (a meeting, a concern, an
    agreement reached), with an optional follow-up action and its due date. The area's
    own record, not the network's: only staff of a commissioner area the network sits in
    (and national staff) read or write them (networks.scopes.can_keep_notes); the
    network's own pages, its history, the public directory and the API never show them."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        related_name="commissioner_notes",
        verbose_name="PCN",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_on = models.DateField(help_text="The day the note is about or was written.")
    text = models.TextField("note")
    follow_up = models.TextField(
        "follow-up action", blank=True, help_text="What is to be done, and by whom; optional."
    )
    follow_up_due = models.DateField("follow-up due by", null=True, blank=True)
    done = models.BooleanField("follow-up done", default=False)

    objects = CommissionerNoteQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "-written_on", "-pk"]
        verbose_name = "commissioner note"
        # The open follow-ups of an area's networks, which its exceptions page lists.
        indexes = [
            models.Index(
                fields=["pcn"],
                condition=Q(done=False) & ~Q(follow_up=""),
                name="open_follow_ups_by_network",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="commissioner_note_has_text",
                violation_error_message="Enter the note.",
            ),
            models.CheckConstraint(
                condition=~Q(follow_up="") | Q(follow_up_due__isnull=True, done=False),
                name="follow_up_due_and_done_need_an_action",
                violation_error_message="A due date or a follow-up done needs the follow-up "
                "action itself.",
            ),
        ]

    def __str__(self):
        return f"Commissioner note on {self.pcn.code}, {self.written_on:%-d %B %Y}"


class Scope(models.TextChoices):
    PCN = "pcn", "Network"
    SUB_ICB = "sub_icb", "Sub-ICB location"
    ICB = "icb", "ICB"
    REGION = "region", "Region"
    NATIONAL = "national", "National"


class Role(models.TextChoices):
    EDITOR = "editor", "Manager (can edit)"
    VIEWER = "viewer", "Viewer"
    APPROVER = "approver", "Approver (can approve claims)"


@track_history()
class Assignment(models.Model):
    """What a user may see and do: a role on one network or one commissioner area."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    scope = models.CharField(max_length=10, choices=Scope)
    role = models.CharField(max_length=10, choices=Role)
    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="PCN",
    )
    sub_icb_location = models.ForeignKey(
        SubICBLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    icb = models.ForeignKey(
        IntegratedCareBoard, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["user", "scope"]
        constraints = [
            models.CheckConstraint(
                name="assignment_names_its_scope",
                condition=(
                    Q(
                        scope="pcn",
                        pcn__isnull=False,
                        sub_icb_location__isnull=True,
                        icb__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        scope="sub_icb",
                        pcn__isnull=True,
                        sub_icb_location__isnull=False,
                        icb__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        scope="icb",
                        pcn__isnull=True,
                        sub_icb_location__isnull=True,
                        icb__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        scope="region",
                        pcn__isnull=True,
                        sub_icb_location__isnull=True,
                        icb__isnull=True,
                        region__isnull=False,
                    )
                    | Q(
                        scope="national",
                        pcn__isnull=True,
                        sub_icb_location__isnull=True,
                        icb__isnull=True,
                        region__isnull=True,
                    )
                ),
                violation_error_message=(
                    "Choose exactly the one organisation the scope names (none for national)."
                ),
            ),
            models.CheckConstraint(
                name="assignment_role_fits_scope",
                condition=(
                    Q(scope="pcn", role__in=["editor", "viewer"])
                    | (~Q(scope="pcn") & Q(role__in=["viewer", "approver"]))
                ),
                violation_error_message=(
                    "On a network a user is a manager or a viewer; on a commissioner area a "
                    "viewer or an approver."
                ),
            ),
        ]

    def __str__(self):
        target = self.pcn or self.sub_icb_location or self.icb or self.region or "England"
        return f"{self.user}: {self.get_role_display()} – {target}"

    @property
    def area_id(self):
        """The id of the network or commissioner area the scope names (None: national)."""
        return self.pcn_id or self.sub_icb_location_id or self.icb_id or self.region_id


class ImportedExtract(models.Model):
    """An ePCN extract an import applied. ODS publishes no extract date inside the file;
    the latest open date in it (of a network or a membership spell) tells its age, so an
    older extract is not applied over a newer one by mistake."""

    file_name = models.CharField(max_length=255)
    latest_open_date = models.DateField()
    imported_at = models.DateTimeField(auto_now_add=True)
    process = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-latest_open_date", "-imported_at"]
        get_latest_by = ["latest_open_date", "imported_at"]

    def __str__(self):
        return f"{self.file_name} (latest open date {self.latest_open_date:%d %b %Y})"


@track_history()
class SignInIdentity(models.Model):
    """A user's account at the single sign-on provider: its subject (the provider's
    unchanging id for the person), so they are matched by it after their first sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_identity"
    )
    subject = models.CharField(
        max_length=255, unique=True, help_text="The provider's subject ('sub') for this user."
    )
    first_signed_in = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user"]
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"

    def __str__(self):
        return f"{self.user} ({self.subject})"


@track_history()
class Source(models.Model):
    """A public document the national reference data comes from (a contract specification,
    NHS England guidance, an article quoting them), as its publisher names it. Every page,
    message and download cites these — title, issuer, date and link — never the portal's
    own key, which is only how migrations find a document."""

    key = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        help_text="The portal's own name for the document, used by its migrations; never "
        "shown to users.",
    )
    title = models.CharField(max_length=300, help_text="The title as the publisher gives it.")
    issuer = models.CharField(
        max_length=120, help_text="Who published it: NHS England, the BMA, a journal …"
    )
    published = models.CharField(
        max_length=80,
        blank=True,
        help_text="When it was published, as the publisher dates it (for example "
        "“April 2025”); blank when not known.",
    )
    link = models.URLField(max_length=500, blank=True, help_text="Where to read it.")

    class Meta:
        ordering = ["issuer", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(issuer=""),
                name="source_has_title_and_issuer",
                violation_error_message="A source needs its title and who published it.",
            )
        ]

    def __str__(self):
        return citation_text([self])


class Cited(models.Model):
    """National reference data citing the public documents its figures come from, and where
    in them (a section, table or annex)."""

    sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="+",
        help_text="The public documents the figures come from.",
    )
    section = models.CharField(
        "section or table",
        max_length=200,
        blank=True,
        help_text="Where in the documents, for example “Table 2” or “Annex B paragraph 3”.",
    )

    class Meta:
        abstract = True

    @classmethod
    def with_sources(cls, queryset):
        """`queryset` with each row's sources read in the same query (as `source_list`, in
        the order a citation names them), so a page citing many rows spends no query on
        their documents."""
        return queryset.annotate(source_list=cls.sources_column())

    @classmethod
    def sources_column(cls):
        """An expression giving a row's sources as a list of their title, issuer, date
        and link, read by pcn_portal.core.citations like Source records."""
        field = cls._meta.get_field("sources")
        source = field.m2m_reverse_field_name()
        return ArraySubquery(
            field.remote_field.through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")})
            .order_by(f"{source}__issuer", f"{source}__title")
            .values(
                json=JSONObject(
                    title=f"{source}__title",
                    issuer=f"{source}__issuer",
                    published=f"{source}__published",
                    link=f"{source}__link",
                )
            )
        )

    def citation(self):
        """The sources as plain text (for downloads and messages)."""
        return citation_text(sources_of(self), self.section)

    def citation_with_links(self):
        return citation_with_links(sources_of(self), self.section)

    def citation_html(self):
        """The sources as HTML, each title linking to its document."""
        return citation_html(sources_of(self), self.section)
