"""The Additional Roles Reimbursement Scheme (ARRS): roles, their maximum reimbursable
amounts, each network's staff and posts, its yearly allocation and its monthly claims."""

import datetime
import json
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.contrib.postgres.aggregates import JSONBAgg
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, JSONObject, Upper

from networks.models import Cited, PrimaryCareNetwork
from pcn_portal.core.dates import covers
from pcn_portal.core.db import (
    FinancialYearField,
    SpellQuerySet,
    dates_in_order_constraint,
    financial_year_label,
    no_overlap_constraint,
    synthetic_field,
    today,
    track_history,
)
from pcn_portal.core.names import sql_ods_title
from practices.models import Upload

FULL_TIME_HOURS = Decimal("37.5")  # 1.0 WTE (DESIGN.md: WTE on 37.5 hours a week)


def wte(weekly_hours):
    """Whole-time equivalent on a 37.5-hour week, to four decimal places."""
    return (Decimal(weekly_hours) / FULL_TIME_HOURS).quantize(Decimal("0.0001"))


class LondonZone(models.TextChoices):
    NATIONAL = "national", "Outside London"
    OUTER = "outer", "Outer London"
    INNER = "inner", "Inner London"


class SourcedReference(Cited):
    """Reference data shipped with the portal, citing the public documents each figure comes
    from."""

    notes = models.TextField(blank=True)

    class Meta:
        abstract = True


@track_history()
class ARRSRole(SourcedReference):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    reimbursable_from = models.DateField()
    reimbursable_until = models.DateField(
        null=True, blank=True, help_text="The last day the role is reimbursable."
    )
    afc_bands = models.CharField("Agenda for Change bands", max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "ARRS role"
        constraints = [
            dates_in_order_constraint(
                "arrs_role_dates_in_order", "reimbursable_from", "reimbursable_until"
            )
        ]

    def __str__(self):
        return self.name


class MaximumAmountQuerySet(models.QuerySet):
    def in_force(self, on, band=""):
        return self.filter(
            Q(period_end__isnull=True) | Q(period_end__gte=on),
            period_start__lte=on,
            afc_band=band,
        )


@track_history()
class MaximumAmount(SourcedReference):
    """The most ARRS reimburses for one WTE over twelve months in a period, by zone.

    Amounts cover salary plus employer NI and pension. A period DOMAIN.md gives no figure
    for is kept with `unknown` set and no amounts, so a claim for it cannot be capped by a
    guess.
    """

    role = models.ForeignKey(ARRSRole, on_delete=models.PROTECT, related_name="maximum_amounts")
    afc_band = models.CharField(
        "Agenda for Change band",
        max_length=10,
        blank=True,
        help_text="Blank when one amount covers the role; a band where amounts differ by band.",
    )
    period_start = models.DateField()
    period_end = models.DateField(
        null=True, blank=True, help_text="The last day the amount applies."
    )
    national = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    outer_london = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    inner_london = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    unknown = models.BooleanField(
        default=False, help_text="No source gives the amounts for this period."
    )

    objects = MaximumAmountQuerySet.as_manager()

    class Meta:
        ordering = ["role", "afc_band", "period_start"]
        constraints = [
            dates_in_order_constraint(
                "maximum_amount_dates_in_order", "period_start", "period_end"
            ),
            no_overlap_constraint(
                "maximum_amount_periods_do_not_overlap",
                "role",
                "afc_band",
                start="period_start",
                end="period_end",
                message="Another amount for this role and band covers some of these dates.",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(national__isnull=True) | Q(national__gte=0))
                    & (Q(outer_london__isnull=True) | Q(outer_london__gte=0))
                    & (Q(inner_london__isnull=True) | Q(inner_london__gte=0))
                ),
                name="maximum_amounts_not_negative",
                violation_error_message="Amounts cannot be negative.",
            ),
        ]

    def __str__(self):
        band = f" band {self.afc_band}" if self.afc_band else ""
        return f"{self.role}{band} from {self.period_start:%d %b %Y}"

    def for_zone(self, zone):
        """The amount for a London zone; London falls back to nothing, never to national."""
        return {
            LondonZone.NATIONAL: self.national,
            LondonZone.OUTER: self.outer_london,
            LondonZone.INNER: self.inner_london,
        }[zone]


class CapKind(models.TextChoices):
    MAX_POSTS = "max_posts", "Maximum posts per network"
    MAX_WTE = "max_wte", "Maximum WTE per network"
    REIMBURSEMENT_SHARE = "reimbursement_share", "Share of costs reimbursed"
    BAND_CAP = "band_cap", "Reimbursed at a lower band"
    # Who may be ARRS-funded in the role (workforce.rules.check_eligibility): the rule's
    # dates and documents are the row's, the answers the post's.
    RECENT_GP = "recent_gp", "Only recently qualified GPs"
    PRIOR_EMPLOYMENT = "prior_employment", "Not for staff employed here in the previous 12 months"
    OTHER = "other", "Other rule"


@track_history()
class RoleCap(SourcedReference):
    """A rule limiting what a network can claim for a role in a period."""

    role = models.ForeignKey(ARRSRole, on_delete=models.PROTECT, related_name="caps")
    valid_from = models.DateField()
    valid_until = models.DateField(
        null=True, blank=True, help_text="The last day the rule applies."
    )
    kind = models.CharField(max_length=30, choices=CapKind)
    max_count = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    population_threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text="Networks at or above this list size get the higher cap."
    )
    max_count_above_threshold = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Share of costs reimbursed, e.g. 0.5 for half.",
    )
    rule = models.TextField()
    refuses = models.BooleanField(
        default=True,
        help_text="A post that would break a post or WTE cap is refused; unticked, the "
        "portal only warns (where the source allows exceptions).",
    )

    class Meta:
        ordering = ["role", "valid_from"]
        constraints = [
            dates_in_order_constraint("role_cap_dates_in_order", "valid_from", "valid_until")
        ]

    def __str__(self):
        return f"{self.role}: {self.get_kind_display()} from {self.valid_from:%d %b %Y}"


@track_history()
class AllocationRate(SourcedReference):
    """The year's ARRS sum per weighted patient (DOMAIN.md §3.4, Appendix A.2)."""

    financial_year = FinancialYearField(unique=True)
    pounds_per_weighted_patient = models.DecimalField(
        max_digits=7, decimal_places=3, null=True, blank=True
    )
    population_basis = models.CharField(max_length=200, blank=True)
    national_total = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-financial_year"]

    def __str__(self):
        return f"ARRS allocation rate {financial_year_label(self.financial_year)}"


def _year_day(year_field, month, day, later=0):
    """A day of the calendar year a row's financial year field names (or `later` years on),
    for a check constraint."""
    year = models.F(year_field) + later if later else models.F(year_field)
    return models.Func(
        year,
        models.Value(month),
        models.Value(day),
        function="make_date",
        output_field=models.DateField(),
    )


@track_history()
class RingFencedSum(SourcedReference):
    """A sum a network is given beside its ARRS allocation for one role's posts alone, for
    part of a year: £ per weighted patient (the allocation's weighted population at
    1 January) from its first day to its last. 2024/25's GP sum is one (DOMAIN.md §3.3
    "GP ARRS 2024/25", §3.4, Appendix A.2): no other role may draw on it, and what it
    leaves is not carried into the next year."""

    financial_year = FinancialYearField(unique=True)
    role = models.ForeignKey(
        ARRSRole,
        on_delete=models.PROTECT,
        related_name="ring_fenced_sums",
        verbose_name="ARRS role",
        help_text="The role whose posts alone draw on the sum.",
    )
    pounds_per_weighted_patient = models.DecimalField(max_digits=7, decimal_places=3)
    first_day = models.DateField()
    last_day = models.DateField(help_text="The last day the sum covers.")

    class Meta:
        ordering = ["-financial_year"]
        verbose_name = "ARRS ring-fenced sum"
        constraints = [
            dates_in_order_constraint("ring_fenced_sum_dates_in_order", "first_day", "last_day"),
            models.CheckConstraint(
                condition=Q(first_day__gte=_year_day("financial_year", 4, 1))
                & Q(last_day__lte=_year_day("financial_year", 3, 31, later=1)),
                name="ring_fenced_sum_within_its_year",
                violation_error_message="The first and last days must be in the financial "
                "year (1 April to 31 March).",
            ),
            models.CheckConstraint(
                condition=Q(pounds_per_weighted_patient__gte=0),
                name="ring_fenced_sum_rate_not_negative",
                violation_error_message="The rate cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"ARRS ring-fenced sum {financial_year_label(self.financial_year)}"


# The professional registers whose names people type before the number ("GPhC 2071234",
# "NMC 12A3456E", "HCPC PA12345"), as they read once spaces and punctuation are gone.
REGISTERS = ("GPHC", "GMC", "NMC", "HCPC")


def registration_number(field="professional_registration"):
    """A registration as the database compares it: capitals and digits only, a register's
    name in front taken off (when something follows it). "GPhC 2071234", "gphc2071234" and
    "2071234" all read 2071234; a hyphen or space typed in one entry and not the other makes
    no difference. The same expression is indexed on StaffMember, so a post's save finds
    the same person's other posts in every network at once."""
    letters_and_digits = models.Func(
        Upper(field),
        models.Value("[^A-Z0-9]"),
        models.Value(""),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.CharField(),
    )
    return models.Func(
        letters_and_digits,
        models.Value(f"^({'|'.join(REGISTERS)})(?=.)"),
        models.Value(""),
        function="regexp_replace",
        output_field=models.CharField(),
    )


@track_history()
class StaffMember(models.Model):
    """A person employed in an ARRS post: only what the register needs to tell people apart."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        related_name="staff_members",
        verbose_name="PCN",
    )
    full_name = models.CharField(max_length=200)
    professional_registration = models.CharField(
        max_length=40, blank=True, help_text="e.g. GPhC 2071234, HCPC PA12345, NMC 12A3456E."
    )

    synthetic = synthetic_field()

    class Meta:
        ordering = ["pcn", "full_name"]
        indexes = [
            # The same person in every network's register (workforce.rules, one person
            # paid once); blank registrations are never looked up.
            models.Index(
                registration_number(),
                name="staff_registration_number",
                condition=~Q(professional_registration=""),
            )
        ]

    def __str__(self):
        return self.full_name


class EmployerType(models.TextChoices):
    MEMBER_PRACTICE = "member_practice", "Member practice"
    LEAD_PROVIDER = "lead_provider", "PCN lead provider"
    NHS_TRUST = "nhs_trust", "NHS trust"
    SUBCONTRACTOR = "subcontractor", "Subcontractor"


def later_terms_json(post_ref):
    """A post's later terms (PostTerms) as JSON text, in the same query as the post (or
    its claim line): `post_ref` names the post's id in the outer query."""
    rows = (
        PostTerms.objects.filter(post=models.OuterRef(post_ref))
        .order_by()
        .values("post")
        .annotate(
            terms=JSONBAgg(
                JSONObject(
                    id="id",
                    post_id="post_id",
                    first_day="first_day",
                    **{name: name for name in TERM_FIELDS},
                )
            )
        )
        .values("terms")
    )
    return Cast(models.Subquery(rows, output_field=models.JSONField()), models.TextField())


def terms_from_json(text):
    """The PostTerms rows later_terms_json read (decimals kept exact, days as dates)."""
    if not text:
        return []
    rows = json.loads(text, parse_float=Decimal)
    terms = []
    for row in rows:
        row["first_day"] = datetime.date.fromisoformat(row["first_day"])
        for name in ("weekly_hours", "annual_salary", "annual_employer_ni",
                     "annual_employer_pension"):  # fmt: skip
            row[name] = Decimal(str(row[name]))
        terms.append(PostTerms(**row))
    return terms


class PostsWithTerms(models.query.ModelIterable):
    """Posts whose later terms came in the same query (PostQuerySet.with_terms)."""

    def __iter__(self):
        for post in super().__iter__():
            post.known_terms = terms_from_json(post.later_terms_json)
            yield post


class LinesWithTerms(models.query.ModelIterable):
    """Claim lines whose post's later terms came in the same query (lines_with_terms)."""

    def __iter__(self):
        for line in super().__iter__():
            line.post.known_terms = terms_from_json(line.post_terms_json)
            yield line


def lines_with_terms(lines):
    """Claim lines (a queryset joining their posts) with each post's later terms read in
    the same query, so that a claim page reads no more queries for them."""
    lines = lines.annotate(post_terms_json=later_terms_json("post_id"))
    lines._iterable_class = LinesWithTerms
    return lines


def term_on(name, day, through=""):
    """A post's term `name` in force on a day, as an expression: its latest change of
    terms (PostTerms) from that day or before, else the post's own. `through` is the path
    to the posts from the query's model ("posts__" from roles), empty from posts."""
    latest = PostTerms.objects.filter(post=models.OuterRef(f"{through}pk"), first_day__lte=day)
    field = Post._meta.get_field(name)
    return Coalesce(
        models.Subquery(latest.order_by("-first_day").values(name)[:1], output_field=field),
        models.F(f"{through}{name}"),
    )


class PostQuerySet(SpellQuerySet):
    def arrs(self):
        """Posts ARRS funds on some day: from their start (the post's own terms) or from a
        later change of terms (PostTerms). Which days are funded is the terms' to say
        (workforce.calculations.terms_pieces)."""
        later = PostTerms.objects.filter(post=models.OuterRef("pk"), arrs_funded=True)
        return self.filter(Q(arrs_funded=True) | models.Exists(later))

    def with_terms_on(self, day, **names):
        """Each post with the terms named in force on a day, for sorting by them: each
        keyword names an annotation and the term it holds (term_on)."""
        return self.annotate(**{alias: term_on(term, day) for alias, term in names.items()})

    def with_terms(self):
        """Posts with their later terms read in the same query (no query more)."""
        posts = self.annotate(later_terms_json=later_terms_json("pk"))
        posts._iterable_class = PostsWithTerms
        return posts


# The ARRS hours (ARRSHours) of the networks in `networks` worked out afresh from their
# posts and their terms: each post's pieces (its own terms from its first day, then each
# later PostTerms row from its first day while the post lasts), and where a network's
# ARRS-funded weekly hours change (a piece's first day adds its hours less the piece
# before's, the day after the post's last takes the last piece's away), each day with the
# running sum. Hours of terms that are not ARRS-funded count as 0. A last day of
# 31 December 9999 means no end. The body of each trigger on posts below, after it has
# listed the networks whose posts its statement touched.
REBUILD_ARRS_HOURS = """
    DELETE FROM workforce_arrshours WHERE pcn_id = ANY (networks);
    WITH pieces AS (
        SELECT post_id, pcn_id, first_day, hours, end_date,
               hours - coalesce(lag(hours) OVER post_order, 0) AS change,
               lead(first_day) OVER post_order IS NULL AS last_piece
        FROM (
            SELECT p.id AS post_id, p.pcn_id, p.start_date AS first_day, p.end_date,
                   CASE WHEN p.arrs_funded THEN p.weekly_hours ELSE 0 END AS hours
            FROM workforce_post p WHERE p.pcn_id = ANY (networks)
            UNION ALL
            SELECT p.id, p.pcn_id, t.first_day, p.end_date,
                   CASE WHEN t.arrs_funded THEN t.weekly_hours ELSE 0 END
            FROM workforce_postterms t JOIN workforce_post p ON p.id = t.post_id
            WHERE p.pcn_id = ANY (networks) AND t.first_day > p.start_date
              AND (p.end_date IS NULL OR t.first_day <= p.end_date)
        ) terms
        WINDOW post_order AS (PARTITION BY post_id ORDER BY first_day)
    )
    INSERT INTO workforce_arrshours (pcn_id, from_date, weekly_hours)
    SELECT pcn_id, day, sum(change) OVER (PARTITION BY pcn_id ORDER BY day)
    FROM (
        SELECT pcn_id, day, sum(change) AS change FROM (
            SELECT pcn_id, first_day AS day, change FROM pieces WHERE change <> 0
            UNION ALL
            SELECT pcn_id, end_date + 1, -hours FROM pieces
            WHERE last_piece AND hours <> 0 AND end_date < DATE '9999-12-31'
        ) changes
        GROUP BY pcn_id, day
    ) days;
    RETURN NULL;
"""


# One statement at a time rebuilds a network's ARRS hours: two people saving posts of the
# same network at once would otherwise each delete the rows they can see and insert the
# whole network's rows again, and the second would collide with the first's on the day's
# unique row. A transaction-scoped advisory lock per network (keyed by this class number
# and the network's id), taken in id order so two statements never wait on each other in
# a circle, makes the second wait for the first to commit, then see its posts and rows.
ARRS_HOURS_LOCK_CLASS = 20_260_001
LOCK_NETWORKS = f"""
    PERFORM pg_advisory_xact_lock({ARRS_HOURS_LOCK_CLASS}, network::integer)
    FROM unnest(networks) AS network ORDER BY network;
"""


def arrs_hours_trigger(operation, networks, **referencing):
    """After each statement that inserts, changes or deletes posts, the ARRS hours of the
    networks whose posts it touched (`networks`: their ids, read from the statement's
    transition tables), worked out afresh. A statement-level trigger sees every row the
    statement changed, so a bulk load works each network out once."""
    return pgtrigger.Trigger(
        name=f"arrs_hours_after_{str(operation).lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(**referencing),
        declare=[("networks", "bigint[]")],
        func=f"networks := ARRAY({networks} ORDER BY 1);" + LOCK_NETWORKS + REBUILD_ARRS_HOURS,
    )


# A post's terms: what it costs and what ARRS may reimburse for it, from a day. A post's own
# fields are its terms from its first day; a PostTerms row replaces them from its
# first_day until the next row's (DESIGN.md: a post's terms are effective-dated).
TERM_FIELDS = (
    "weekly_hours",
    "afc_band",
    "annual_salary",
    "annual_employer_ni",
    "annual_employer_pension",
    "london_zone",
    "arrs_funded",
)


class PostTermsFields(models.Model):
    """The fields of a post's terms, on the post (its terms from its start) and on each
    later change (PostTerms)."""

    weekly_hours = models.DecimalField(max_digits=4, decimal_places=2)
    afc_band = models.CharField("Agenda for Change band", max_length=10, blank=True)
    annual_salary = models.DecimalField(
        "full-time equivalent annual salary",
        max_digits=9,
        decimal_places=2,
        help_text="The salary for 37.5 hours a week (Agenda for Change pay points are "
        "published full-time); the actual salary is worked out from the weekly hours.",
    )
    annual_employer_ni = models.DecimalField(
        "annual employer NI",
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text="Employer National Insurance contributions for a year on the actual salary.",
    )
    annual_employer_pension = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text="Employer pension contributions for a year on the actual salary.",
    )
    london_zone = models.CharField(max_length=10, choices=LondonZone, default=LondonZone.NATIONAL)
    arrs_funded = models.BooleanField("ARRS-funded", default=True)

    class Meta:
        abstract = True

    @property
    def actual_salary(self):
        """The salary actually paid for a year: the full-time equivalent salary pro rata
        for the weekly hours on 37.5 (not capped: ARRS's cap at 1.0 WTE is on the
        maximum reimbursed, not on what is paid)."""
        return self.annual_salary * Decimal(self.weekly_hours) / FULL_TIME_HOURS

    @property
    def annual_cost(self):
        """A year's actual cost: actual salary, employer NI and employer pension."""
        return self.actual_salary + self.annual_employer_ni + self.annual_employer_pension

    @property
    def wte(self):
        return wte(self.weekly_hours)


def term_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=Q(weekly_hours__gt=0, weekly_hours__lte=FULL_TIME_HOURS * 2),
            name=f"{prefix}_weekly_hours_in_range",
            violation_error_message="Weekly hours must be more than 0 and at most 75.",
        ),
        models.CheckConstraint(
            condition=Q(
                annual_salary__gte=0, annual_employer_ni__gte=0, annual_employer_pension__gte=0
            ),
            name=f"{prefix}_money_not_negative",
            violation_error_message="Salary, employer NI and pension cannot be negative.",
        ),
    ]


@track_history()
class Post(PostTermsFields):
    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.PROTECT, related_name="posts", verbose_name="PCN"
    )
    staff_member = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="posts")
    role = models.ForeignKey(ARRSRole, on_delete=models.PROTECT, related_name="posts")
    employer_type = models.CharField(max_length=20, choices=EmployerType)
    employer_practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employed_posts",
        help_text="When the employer is a member practice.",
    )
    employer_name = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="The last day in post.")
    # Its terms from its first day: PostTermsFields; later changes: later_terms (PostTerms).
    # What a manager tells the portal so it can check who the role may fund
    # (workforce.rules.check_eligibility, RoleCap rows of kinds RECENT_GP and
    # PRIOR_EMPLOYMENT). Blank is "not told": the post is saved with a warning.
    cct_date = models.DateField(
        "date of the Certificate of Completion of Training (CCT)",
        null=True,
        blank=True,
        help_text="GP posts only. From 1 October 2024 to 31 March 2026 ARRS funds only GPs "
        "within two years of their CCT on the day the post starts.",
    )
    locum = models.BooleanField(
        "engaged as a locum",
        null=True,
        blank=True,
        help_text="GP posts only. ARRS does not fund locum GPs (from 1 October 2024 to "
        "31 March 2026); the GP must be employed on salaried GP terms.",
    )
    gp_before_scheme = models.BooleanField(
        "already employed as a GP before 1 October 2024",
        null=True,
        blank=True,
        help_text="GP posts only. ARRS does not fund GPs who were already substantively "
        "employed as GPs before the GP role became reimbursable on 1 October 2024.",
    )
    employed_here_in_previous_year = models.BooleanField(
        "employed by the network or a member practice in the 12 months before starting",
        null=True,
        blank=True,
        help_text="New-to-general-practice nurse, experienced general practice nurse, "
        "consultant nurse and healthcare support worker posts from April 2025: ARRS does not "
        "fund someone employed by the network or its member practices in the 12 months "
        "before the post, unless recruited to a more senior or specialist nursing role.",
    )
    more_senior_nursing_role = models.BooleanField(
        "recruited to a more senior or specialist nursing role",
        null=True,
        blank=True,
        help_text="Only when employed here in the previous 12 months: a move to a more senior "
        "or specialist nursing role is the one exception the contract allows.",
    )

    synthetic = synthetic_field()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "role", "start_date"]
        # Keep each network's ARRS hours by day (ARRSHours) in step with its posts.
        triggers = [
            arrs_hours_trigger(
                pgtrigger.Insert, "SELECT DISTINCT pcn_id FROM new_posts", new="new_posts"
            ),
            arrs_hours_trigger(
                pgtrigger.Update,
                "SELECT pcn_id FROM old_posts UNION SELECT pcn_id FROM new_posts",
                old="old_posts",
                new="new_posts",
            ),
            arrs_hours_trigger(
                pgtrigger.Delete, "SELECT DISTINCT pcn_id FROM old_posts", old="old_posts"
            ),
        ]
        constraints = [
            dates_in_order_constraint("post_dates_in_order"),
            *term_constraints("post"),
            models.CheckConstraint(
                condition=~Q(employer_type="member_practice") | Q(employer_practice__isnull=False),
                name="post_member_practice_employer_named",
                violation_error_message="Choose the member practice that employs the post holder.",
            ),
        ]

    def __str__(self):
        return f"{self.role} – {self.staff_member} ({self.pcn.code})"

    @property
    def is_current(self):
        return covers(self.start_date, self.end_date, today())

    def terms_rows(self):
        """Its later terms (PostTerms) in force, in date order: those after its first day
        (a change on or before it, left when the start moved later, has no day to apply
        to). `known_terms`, when set, are used instead of reading them: the terms a change
        will store, checked before they are (workforce.actions.change_post), or none for
        posts a bulk loader made without any (seed_national), so that 40,000 posts are not
        read one by one. A post not yet saved has none."""
        rows = getattr(self, "known_terms", None)
        if rows is None:
            rows = [] if self.pk is None else self.later_terms.all()
        return sorted((t for t in rows if t.first_day > self.start_date), key=lambda t: t.first_day)


def post_terms_trigger(operation, **referencing):
    """After each statement that changes a post's later terms, its network's ARRS hours
    worked out afresh, as after a change to the post (arrs_hours_trigger)."""
    table = "new_terms" if "new" in referencing else "old_terms"
    networks = f"SELECT DISTINCT p.pcn_id FROM {table} t JOIN workforce_post p ON p.id = t.post_id"
    if operation == pgtrigger.Update:
        networks += (
            " UNION SELECT p.pcn_id FROM old_terms t JOIN workforce_post p ON p.id = t.post_id"
        )
    return pgtrigger.Trigger(
        name=f"terms_arrs_hours_after_{str(operation).lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(**referencing),
        declare=[("networks", "bigint[]")],
        func=f"networks := ARRAY({networks} ORDER BY 1);" + LOCK_NETWORKS + REBUILD_ARRS_HOURS,
    )


@track_history()
class PostTerms(PostTermsFields):
    """A change to a post's terms from a day (a pay rise from 1 April, fewer hours from
    1 September): in force from `first_day` until the day before the post's next change,
    or its last day. Earlier days keep the terms they had, so a claim line and a forecast
    of a month read the terms in force in that month (workforce.calculations.terms_pieces).
    The post's own fields are its terms from its first day."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="later_terms")
    first_day = models.DateField(help_text="The first day these terms apply.")

    synthetic = synthetic_field()

    class Meta:
        ordering = ["post", "first_day"]
        verbose_name = "change of a post's terms"
        verbose_name_plural = "changes of posts' terms"
        triggers = [
            post_terms_trigger(pgtrigger.Insert, new="new_terms"),
            post_terms_trigger(pgtrigger.Update, old="old_terms", new="new_terms"),
            post_terms_trigger(pgtrigger.Delete, old="old_terms"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "first_day"],
                name="one_terms_change_per_post_per_day",
                violation_error_message="This post already has a change of terms from that day.",
            ),
            *term_constraints("post_terms"),
        ]

    def __str__(self):
        return f"{self.post}: terms from {self.first_day:%d %B %Y}"


@track_history()
class ARRSAllocation(models.Model):
    """A network's ARRS sum for a financial year: weighted population at 1 January × rate."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.PROTECT,
        related_name="arrs_allocations",
        verbose_name="PCN",
    )
    financial_year = FinancialYearField()
    weighted_population = models.DecimalField(max_digits=12, decimal_places=2)
    population_date = models.DateField(help_text="Normally 1 January before the year starts.")
    rate = models.DecimalField("£ per weighted patient", max_digits=7, decimal_places=3)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    synthetic = synthetic_field()

    class Meta:
        ordering = ["pcn", "-financial_year"]
        verbose_name = "ARRS allocation"
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "financial_year"],
                name="one_allocation_per_pcn_per_year",
                violation_error_message="This network already has an allocation for that year.",
            ),
            models.CheckConstraint(
                condition=Q(weighted_population__gte=0, rate__gte=0, amount__gte=0),
                name="allocation_not_negative",
                violation_error_message="Population, rate and amount cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.pcn.code} ARRS {financial_year_label(self.financial_year)}: £{self.amount:,}"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# --- sealed claims ----------------------------------------------------------------------
# A submitted or approved claim is kept as it is for audit (DOMAIN.md §3.6: the
# commissioner keeps a record of each approved claim): the database refuses any change to
# it or its lines, whoever makes it (the portal, Django admin, a plain SQL session). A
# submitted claim only moves to approved or rejected, with who decided, when and the note;
# a rejected claim is the network's to correct and submit again. A mistake found after
# approval is put right by an adjustment line in a later claim (ClaimLine.corrects).
SEALED_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)
# The SQLSTATE the triggers raise (class 23, integrity constraint violation), which
# pcn_portal.core.writing turns into a ValidationError carrying the trigger's message.
SEALED_SQLSTATE = "23S01"
_SEALED = ", ".join(f"'{status}'" for status in SEALED_STATUSES)


def _refuse_sealed(claim_id, doing):
    """PL/pgSQL raising the refusal of `doing` to the claim `claim_id` (an expression), in
    words a network manager or admin reads: the network, the month and what to do."""
    # The network's name is worked out only for the refusal: title-casing it costs more
    # than the rest of the check, which runs for every line written.
    return f"""
        SELECT c.status, c.month, c.pcn_id INTO sealed_status, sealed_month, sealed_pcn
        FROM workforce_claim c WHERE c.id = {claim_id};
        IF sealed_status IN ({_SEALED}) THEN
            SELECT {sql_ods_title("p.name")} INTO sealed_network
            FROM networks_primarycarenetwork p WHERE p.id = sealed_pcn;
            RAISE EXCEPTION USING ERRCODE = '{SEALED_SQLSTATE}', MESSAGE = format(
                'The claim of %s for %s is %s, so {doing}: a submitted or approved claim '
                'is kept as it is for audit. Put a mistake right with an adjustment line '
                'in a later claim.',
                sealed_network, to_char(sealed_month, 'FMMonth YYYY'), sealed_status
            );
        END IF;
    """


_SEALED_DECLARE = [
    ("sealed_status", "text"),
    ("sealed_month", "date"),
    ("sealed_pcn", "integer"),
    ("sealed_network", "text"),
]

# A claim row: deleted only while a draft or rejected; once submitted, changed only by a
# decision (status to approved or rejected, who decided, when, the note); once approved,
# never. An UPDATE that changes nothing passes. A claim is submitted only without held
# lines (no maximum amount known): submitting moves them to a supplementary claim first.
SEALED_CLAIM_UPDATE = f"""
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF NEW.status IN ({_SEALED}) AND EXISTS (
        SELECT 1 FROM workforce_claimline l
        WHERE l.claim_id = NEW.id AND l.maximum_amount IS NULL
    ) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(
            'The claim for %s still has lines without a maximum amount: a held line is '
            'never submitted or approved. Submit the claim from the portal, which moves them '
            'to a supplementary claim for the month.', to_char(NEW.month, 'FMMonth YYYY'));
    END IF;
    IF OLD.status = '{ClaimStatus.SUBMITTED}'
        AND NEW.status IN ('{ClaimStatus.APPROVED}', '{ClaimStatus.REJECTED}')
        AND (NEW.id, NEW.pcn_id, NEW.month, NEW.submitted_by_id, NEW.submitted_at,
             NEW.claimed_total, NEW.gp_total, NEW.synthetic)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.pcn_id, OLD.month, OLD.submitted_by_id, OLD.submitted_at,
             OLD.claimed_total, OLD.gp_total, OLD.synthetic)
    THEN
        RETURN NEW;
    END IF;
    {_refuse_sealed("OLD.id", "it cannot be changed")}
    RETURN NEW;
"""
SEALED_CLAIM_DELETE = f"""
    {_refuse_sealed("OLD.id", "it cannot be deleted")}
    RETURN OLD;
"""
# A line of a submitted or approved claim: never added, changed, moved or removed.
SEALED_LINE = f"""
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_refuse_sealed("OLD.claim_id", "its lines cannot be changed or removed")}
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {_refuse_sealed("NEW.claim_id", "no line can be added to it")}
        RETURN NEW;
    END IF;
    RETURN OLD;
"""


def sealed_trigger(name, operation, func):
    """A row trigger run before each write, refusing it when it touches a sealed claim.
    Row-level: TRUNCATE (test teardown) is not a row write and is not affected."""
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Row,
        when=pgtrigger.Before,
        operation=operation,
        declare=_SEALED_DECLARE,
        func=func,
    )


class ClaimQuerySet(models.QuerySet):
    def for_user(self, user):
        """Claims of the networks a user may see."""
        return self.filter(pcn__in=PrimaryCareNetwork.objects.for_user(user))

    def in_area(self, area):
        return self.filter(pcn__in=PrimaryCareNetwork.objects.in_area(area))

    def waiting(self):
        """Submitted and not yet decided, oldest submission first."""
        return self.filter(status=ClaimStatus.SUBMITTED).order_by("submitted_at", "pk")

    def keep_totals(self):
        """Keep on each claim what it claims as submitted (claimed_total, gp_total: the
        rule is kept_totals'), in one UPDATE: for claims still drafts or rejected, since the
        database refuses any change to a sealed claim."""
        return self.update(**kept_totals())

    def with_totals(self):
        """Each claim's lines, its held lines (no known maximum: £0, never counted; only a
        claim not yet submitted has any), the lines held out of it at its submission (now in
        a supplementary claim) and the amount claimed."""
        held_out = (
            ClaimLine.objects.filter(held_from=OuterRef("pk"))
            .order_by()
            .values("held_from")
            .annotate(n=Count("pk"))
            .values("n")
        )
        counted = Q(lines__maximum_amount__isnull=False)
        return self.annotate(
            line_count=Count("lines"),
            held_count=Count("lines", filter=Q(lines__maximum_amount__isnull=True)),
            held_out_count=Coalesce(Subquery(held_out), 0),
            claimed=Sum("lines__reimbursable_amount", filter=counted),
        )


@track_history()
class Claim(models.Model):
    """A network's ARRS claim for one month."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork, on_delete=models.PROTECT, related_name="claims", verbose_name="PCN"
    )
    month = models.DateField(help_text="The first day of the month claimed for.")
    status = models.CharField(max_length=10, choices=ClaimStatus, default=ClaimStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    supplement = models.PositiveSmallIntegerField(
        default=0,
        db_default=0,  # a bulk load that names no supplement writes the month's own claim
        editable=False,  # numbered by actions.submit_claim, which holds lines out into it
        help_text="0 for the month's claim; 1, 2… for its supplementary claims, each holding "
        "the lines an earlier claim of the month left out because no maximum amount was known, "
        "to claim once it is.",
    )

    # What the claim asks for as submitted, kept when it is submitted (kept_totals; a
    # sealed claim's lines never change), so an area's figures as of a date sum claims,
    # not their lines: blank for a claim never submitted.
    claimed_total = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text="The reimbursable amounts of the claim's lines when it was submitted.",
    )
    gp_total = models.DecimalField(
        "GP total",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text="The part of the claimed total on the year's ring-fenced sum (2024/25's GP "
        "lines on the GP sum); 0 in a year without one.",
    )

    synthetic = synthetic_field()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "-month"]
        triggers = [
            sealed_trigger("sealed_claim_update", pgtrigger.Update, SEALED_CLAIM_UPDATE),
            sealed_trigger("sealed_claim_delete", pgtrigger.Delete, SEALED_CLAIM_DELETE),
        ]
        # The claims waiting for a decision, network by network (the area pages count them).
        indexes = [
            models.Index(
                fields=["pcn"],
                condition=Q(status=ClaimStatus.SUBMITTED),
                name="claims_waiting_by_network",
            ),
            # An area's figures as of a date (pcn_portal.areas.figures.claim_sums): the
            # year's claims ever submitted with their days and kept totals, read from the
            # index alone. Drafts (half the claims) are never counted.
            models.Index(
                fields=["month"],
                include=[
                    "pcn",
                    "status",
                    "submitted_at",
                    "decided_at",
                    "claimed_total",
                    "gp_total",
                ],
                condition=~Q(status=ClaimStatus.DRAFT),
                name="claims_submitted_by_month",
            ),
        ]
        constraints = [
            # One main claim a month; any number of supplementary claims, numbered.
            models.UniqueConstraint(
                fields=["pcn", "month"],
                condition=Q(supplement=0),
                name="one_claim_per_pcn_per_month",
                violation_error_message="This network already has a claim for that month.",
            ),
            models.UniqueConstraint(
                fields=["pcn", "month", "supplement"],
                name="one_supplementary_claim_per_number",
                violation_error_message="This network already has a supplementary claim "
                "with that number for that month.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="claim_month_is_first_day",
                violation_error_message="A claim is for a whole month: use its first day.",
            ),
        ]

    def __str__(self):
        return f"{self.pcn.code} {self.title[0].lower()}{self.title[1:]}"

    @property
    def is_supplementary(self):
        return self.supplement > 0

    @property
    def title(self):
        """What the claim is, as pages name it: "Claim for March 2025", or "Supplementary
        claim for March 2025 (2)" for the month's second supplementary claim."""
        if self.is_supplementary:
            return f"Supplementary claim for {self.month:%B %Y} ({self.supplement})"
        return f"Claim for {self.month:%B %Y}"

    @property
    def key(self):
        """The claim in its network's URLs: "2025-03", or "2025-03-supplementary-2"."""
        month = f"{self.month:%Y-%m}"
        return f"{month}-supplementary-{self.supplement}" if self.is_supplementary else month

    @property
    def editable(self):
        """The network may change a draft claim, or a rejected one to correct it."""
        return self.status in (ClaimStatus.DRAFT, ClaimStatus.REJECTED)

    @property
    def sealed(self):
        """Submitted or approved: kept as it is, by the database (SEALED_STATUSES)."""
        return self.status in SEALED_STATUSES


def kept_totals():
    """What a claim (the outer query's row) asks for, as an area's figures count it
    (workforce.budget.budget_position counts the same lines): `claimed_total`, the
    reimbursable amounts of its lines (a held line claims £0, and none is left on a
    submitted claim), and `gp_total`, those of its lines whose role draws on the ring-fenced
    sum of the claim's financial year (RingFencedSum: GP posts in 2024/25), 0 without one."""
    lines = ClaimLine.objects.filter(claim=OuterRef("pk")).order_by().values("claim")
    ring_fenced = RingFencedSum.objects.filter(
        role=OuterRef("post__role"), financial_year=FinancialYearOf(OuterRef("claim__month"))
    )
    money = models.DecimalField(max_digits=12, decimal_places=2)

    def total(of):
        summed = of.annotate(total=Sum("reimbursable_amount")).values("total")
        return Coalesce(Subquery(summed), Decimal("0.00"), output_field=money)

    return {
        "claimed_total": total(lines),
        "gp_total": total(lines.filter(models.Exists(ring_fenced))),
    }


class FinancialYearOf(models.Func):
    """The financial year (its first calendar year) of a date: April to March."""

    template = "(EXTRACT(YEAR FROM %(expressions)s - interval '3 months'))::integer"
    output_field = models.IntegerField()


class ClaimStatusChange(models.Model):
    """One step of a claim's life: who moved it to which status, when, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=10, choices=ClaimStatus)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["claim", "at", "pk"]
        indexes = [models.Index(fields=["claim", "at"], name="claim_status_change_by_time")]

    def __str__(self):
        return f"{self.claim}: {self.get_status_display()} at {self.at:%d %b %Y %H:%M}"


# A post is claimed once a month: a line with a maximum (one that counts) is refused where
# another claim of the month already has one for the post. A supplementary claim's lines are
# the lines an earlier claim of the month held out at its submission (held_from), and only
# those. Checked by the database whichever way a line is written (actions, admin, imports);
# the actions refuse the same with a message naming the claims first.
CLAIMED_ONCE_A_MONTH = """
    SELECT pcn_id, month, supplement INTO this_pcn, this_month, this_supplement
    FROM workforce_claim WHERE id = NEW.claim_id;
    IF NEW.corrects_id IS NOT NULL THEN
        RETURN NEW;  -- an adjustment corrects an approved line; it claims no month itself
    END IF;
    IF NEW.maximum_amount IS NOT NULL AND EXISTS (
        SELECT 1 FROM workforce_claimline other
        JOIN workforce_claim c ON c.id = other.claim_id
        WHERE other.post_id = NEW.post_id AND other.id <> NEW.id
          AND c.month = this_month AND other.maximum_amount IS NOT NULL
          AND other.corrects_id IS NULL
    ) THEN
        RAISE EXCEPTION 'Post % is already claimed for the month of %: a post is claimed '
            'once a month.', NEW.post_id, to_char(this_month, 'FMMonth YYYY')
            USING ERRCODE = 'unique_violation';
    END IF;
    IF this_supplement > 0 AND NOT EXISTS (
        SELECT 1 FROM workforce_claim c
        WHERE c.id = NEW.held_from_id AND c.pcn_id = this_pcn AND c.month = this_month
          AND c.supplement < this_supplement
    ) THEN
        RAISE EXCEPTION 'Post % was not held out of an earlier claim for %: a supplementary '
            'claim claims only held lines.', NEW.post_id, to_char(this_month, 'FMMonth YYYY')
            USING ERRCODE = 'check_violation';
    END IF;
    IF this_supplement = 0 AND NEW.held_from_id IS NOT NULL THEN
        RAISE EXCEPTION 'A line held out of a claim goes to a supplementary claim for its '
            'month, not to a month''s own claim.' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
"""


def claimed_once_a_month_trigger():
    return pgtrigger.Trigger(
        name="claim_line_claimed_once_a_month",
        level=pgtrigger.Row,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert
        | pgtrigger.UpdateOf(
            "claim_id", "post_id", "maximum_amount", "corrects_id", "held_from_id"
        ),
        declare=[("this_pcn", "integer"), ("this_month", "date"), ("this_supplement", "smallint")],
        func=CLAIMED_ONCE_A_MONTH,
    )


@track_history()
class ClaimLine(models.Model):
    """What a claim asks for one post in its month, and what may be reimbursed."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="claim_lines")
    salary = models.DecimalField(max_digits=9, decimal_places=2)
    employer_ni = models.DecimalField("employer NI", max_digits=9, decimal_places=2, default=0)
    employer_pension = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    weekly_hours = models.DecimalField(max_digits=4, decimal_places=2)
    maximum_amount = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The role's maximum for this month, pro rata; blank when no source gives it.",
    )
    reimbursable_amount = models.DecimalField(max_digits=9, decimal_places=2)
    held_reason = models.TextField(
        blank=True,
        default="",
        db_default="",
        editable=False,  # worked out with the line's maximum (actions.line_for), never typed
        help_text="Why the line is held (no source gives its maximum amount), as it stood "
        "when the line was worked out; blank for a line with a maximum.",
    )
    # A held line is never submitted: submitting its claim moves it to a draft supplementary
    # claim for the month (actions.submit_claim), which claims it once its maximum is known.
    held_from = models.ForeignKey(
        "Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_out_lines",
        editable=False,  # set by workforce.actions.submit_claim alone
        help_text="The claim of the month this line was held out of when it was submitted, "
        "no maximum amount being known for it then; blank for a line of its claim from the "
        "start.",
    )
    # An adjustment: a line of a later claim that puts right an approved line (of the same
    # post, so of the same network and role), by a signed amount in reimbursable_amount,
    # with the reason. Its costs and hours are nil: it corrects what was reimbursed.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        editable=False,  # set by workforce.actions.add_adjustment alone
        help_text="The approved line this adjustment corrects.",
    )
    reason = models.TextField(
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="Why the approved line is corrected.",
    )

    # Arrears: an adjustment the portal worked out after a maximum amount changed for a
    # month already claimed (workforce.arrears), which brings the corrected line up to its
    # new maximum (kept in maximum_amount: the line's maximum from then on).
    arrears = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,  # set by workforce.arrears alone
        help_text="Worked out by the portal after the maximum amount of an approved line's "
        "month was raised: what the line is owed at the new maximum.",
    )

    synthetic = synthetic_field()

    class Meta:
        ordering = ["claim", "post", "pk"]
        triggers = [
            claimed_once_a_month_trigger(),
            sealed_trigger(
                "sealed_claim_line",
                pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                SEALED_LINE,
            ),
        ]
        indexes = [
            # The arrears claims a work-out adds to (workforce.arrears): a few lines among
            # more than a million.
            models.Index(fields=["claim"], condition=Q(arrears=True), name="claim_line_arrears"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "post"],
                condition=Q(corrects__isnull=True),
                name="one_line_per_post_per_claim",
                violation_error_message="This post already has a line in the claim.",
            ),
            models.UniqueConstraint(
                fields=["claim", "corrects"],
                condition=Q(corrects__isnull=False),
                name="one_adjustment_per_line_per_claim",
                violation_error_message="This claim already corrects that line.",
            ),
            models.CheckConstraint(
                condition=Q(
                    salary__gte=0,
                    employer_ni__gte=0,
                    employer_pension__gte=0,
                    weekly_hours__gte=0,
                )
                & (Q(reimbursable_amount__gte=0) | Q(corrects__isnull=False)),
                name="claim_line_not_negative",
                violation_error_message="Amounts and hours cannot be negative.",
            ),
            # A held line (no maximum known) counts £0 everywhere: budget, approval, areas.
            models.CheckConstraint(
                condition=Q(maximum_amount__isnull=False) | Q(reimbursable_amount=0),
                name="held_claim_line_claims_nothing",
                violation_error_message="A line without a known maximum claims £0.",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""),
                name="adjustment_gives_its_reason",
                violation_error_message="Say why the approved line is corrected.",
            ),
        ]

    def __str__(self):
        if self.corrects_id:
            return f"{self.claim}: adjustment of {self.post}"
        return f"{self.claim}: {self.post}"

    @property
    def is_adjustment(self):
        return self.corrects_id is not None

    @property
    def total_cost(self):
        return self.salary + self.employer_ni + self.employer_pension


class ARRSHours(models.Model):
    """A network's ARRS-funded weekly hours in post from a day (`from_date`) until the day
    before its next row: the sum of the weekly hours of its ARRS-funded posts in post on
    those days (Post.objects.arrs().current(day)). Kept so that an area's pages read each
    network's hours on a day as one row instead of summing its posts (some 40,000
    nationally).

    Written only by the database: the triggers declared on Post (Post.Meta.triggers,
    built by arrs_hours_trigger with REBUILD_ARRS_HOURS) work a network's rows out afresh
    from its posts after every statement that inserts, changes or deletes any of them,
    whichever way it comes (actions, admin, imports, bulk loads), in the same transaction.
    A network with no row before a day had no ARRS-funded post in post then."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        related_name="kept_arrs_hours",
        verbose_name="PCN",
        db_index=False,  # the unique constraint's index leads with it
    )
    from_date = models.DateField()
    weekly_hours = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["pcn", "from_date"]
        verbose_name = "ARRS hours from a day"
        verbose_name_plural = "ARRS hours from a day"
        constraints = [
            # Read from its index alone: a network's row on or before a day.
            models.UniqueConstraint(
                fields=["pcn", "from_date"],
                include=["weekly_hours"],
                name="one_arrs_hours_row_per_pcn_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.pcn.code} ARRS hours from {self.from_date}: {self.weekly_hours}"


class ARRSForecast(models.Model):
    """A network's ARRS position for a financial year as its budget page works it out
    (workforce.budget.budget_position): what its claims have had approved and submitted,
    and its forecast year-end spend. Kept so that an area's pages can show every network's
    without working out each or summing the year's claim lines (about 400,000 a year
    nationally).

    It is a figure derived from the records, never entered: worked out again whenever a
    post or a claim of the network changes (workforce.actions, admin included), and for
    every network after a national maximum, cap, role or ring-fenced sum changes (the task
    workforce.tasks.refresh_forecasts) or by `manage.py refresh_arrs_forecasts`. What it
    depends on does not include the date: a month claimed counts what was claimed, a month
    not claimed what the posts in place that month are expected to claim."""

    pcn = models.ForeignKey(
        PrimaryCareNetwork,
        on_delete=models.CASCADE,
        related_name="arrs_forecasts",
        verbose_name="PCN",
    )
    financial_year = FinancialYearField()
    approved = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="The reimbursable amounts of the lines of the year's approved claims.",
    )
    submitted = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="The reimbursable amounts of the lines of the year's claims submitted and "
        "waiting for a decision.",
    )
    forecast = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Every role, GP posts included."
    )
    main_forecast = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="What the main ARRS sum carries: the forecast less GP posts in a year with "
        "a separate GP sum (2024/25).",
    )
    missing_maxima = models.PositiveIntegerField(
        default=0,
        help_text="Maximum amounts no source gives that the forecast had to leave out.",
    )
    # What the area pages need of the sums (workforce.budget.sums_for_lines): the year's
    # ring-fenced GP sum and what is approved and submitted on it, so each sum's Left and
    # Headroom (workforce.budget.left, headroom) can be read beside the recorded allocation.
    gp_sum = models.DecimalField(
        "GP sum",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The year's ring-fenced GP sum (2024/25), blank in other years.",
    )
    gp_approved = models.DecimalField(
        "approved on the GP sum", max_digits=12, decimal_places=2, default=0
    )
    gp_submitted = models.DecimalField(
        "submitted on the GP sum", max_digits=12, decimal_places=2, default=0
    )
    awaiting = models.DecimalField(
        "cost awaiting maximum amounts",
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="The cost of the forecast's months and held lines whose maximum no source "
        "gives yet: its reimbursement is not known, so the forecast leaves it out.",
    )
    arrears_claimed = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="Arrears the network has claimed (submitted or approved) for the year's "
        "months after a maximum amount was raised.",
    )
    arrears_owed = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="Arrears worked out for the year's months and not yet claimed: in a claim "
        "the network has still to check and submit.",
    )
    worked_out_at = models.DateTimeField()

    class Meta:
        ordering = ["pcn", "-financial_year"]
        verbose_name = "ARRS forecast"
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "financial_year"], name="one_forecast_per_pcn_per_year"
            ),
        ]

    def __str__(self):
        label = financial_year_label(self.financial_year)
        return f"{self.pcn.code} ARRS forecast {label}: £{self.forecast:,}"


class MaximumAmountUpload(Upload):
    """A table of maximum amounts a national admin uploaded in admin to load a year's
    figures (workforce.figures): checked, then applied on confirmation, by the task worker."""

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "maximum amounts upload"
        permissions = [("load_maximum_amounts", "Can load maximum amounts from a file")]


class BackdatedChange(models.Model):
    """A national admin's change to a role's maximum amounts over days already past (loaded
    from a file or made in admin), and what it came to for the networks' approved claims:
    the arrears the portal worked out (workforce.arrears) and the reductions it did not
    recover. Kept so that a claim approved after the change is worked out again too, and so
    that a national admin can see each change's effect."""

    role = models.ForeignKey(ARRSRole, on_delete=models.PROTECT, related_name="+")
    afc_band = models.CharField("Agenda for Change band", max_length=10, blank=True)
    first_day = models.DateField(help_text="The first day whose maximum changed.")
    last_day = models.DateField(help_text="The last day whose maximum changed.")
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    how = models.CharField(max_length=300, help_text="Where the change was made.")
    worked_out_at = models.DateTimeField(
        null=True, blank=True, help_text="When the networks' arrears were worked out."
    )
    networks = models.PositiveIntegerField(default=0, help_text="Networks owed arrears.")
    lines = models.PositiveIntegerField(default=0, help_text="Approved lines owed arrears.")
    arrears = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    reduced_lines = models.PositiveIntegerField(
        default=0, help_text="Approved lines whose maximum is now lower (not recovered)."
    )
    reduced_by = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="What those lines would come to less at the lower maximum: never taken "
        "back by the portal.",
    )

    class Meta:
        ordering = ["-made_at", "pk"]
        indexes = [models.Index(fields=["made_at"], name="backdated_change_by_time")]
        constraints = [
            dates_in_order_constraint("backdated_change_days_in_order", "first_day", "last_day")
        ]

    def __str__(self):
        band = f" band {self.afc_band}" if self.afc_band else ""
        return f"{self.role}{band}, {self.first_day:%d %b %Y} to {self.last_day:%d %b %Y}"
