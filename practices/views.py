"""A network's member practices: who is a member on a date, every spell it has recorded,
a practice joining or leaving (with a page that says what will change before it does),
and a practice's own page with its list sizes.

Spells from ODS are read-only here: ODS is the record of membership, so they are put
right there and come back with the next import."""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from networks.loaders import load_pcn, load_rw_pcn
from networks.pages import day, render_network
from pcn_portal.core.dates import ONE_DAY, today
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.forms import posted, save_form, success_message
from pcn_portal.core.forms_nhsuk import DateInputField
from pcn_portal.core.names import ods_title
from pcn_portal.core.tables import Column, Table
from practices import actions
from practices.calculations import latest_list_size
from practices.forms import JoinForm, LeaveForm
from practices.models import MembershipSource

ODS_READ_ONLY = (
    "Spells that come from ODS (the Organisation Data Service) cannot be changed here: ODS "
    "is the national record of which network each practice is in. If one is wrong, ask "
    "your commissioner (the Sub-ICB location) to have ODS correct it; the correction "
    "arrives here with the next ODS file the portal imports."
)


def practice_link(membership):
    return reverse(
        "practices:practice_detail", args=[membership.pcn.code, membership.practice.code]
    )


class OnForm(NHSMessagesMixin, forms.Form):
    on = DateInputField(label="Members on", required=False, help_text="For example, 1 4 2024")


class MemberTable(Table):
    code = Column("ODS code", "practice.code", sort="practice__code", link=practice_link)
    name = Column("Practice", "practice.display_name", sort="practice__name")
    start_date = Column("Member since", sort="start_date")
    end_date = Column("Last day as a member", sort="end_date")
    list_size = Column("Registered patients", numeric=True, sort="list_size")
    source = Column("Recorded by", lambda m: m.get_source_display())

    caption = "Member practices"
    default_sort = "code"
    filename = "member-practices"
    empty_message = "No practice is a member of this network on that date."


@load_pcn
def member_list(request, pcn):
    """The members on a date (default today), each with its list size on that date."""
    on_form = OnForm(request.GET or None)
    on = (on_form.cleaned_data.get("on") if on_form.is_valid() else None) or today()
    members = (
        pcn.memberships.current(on)
        .select_related("practice", "pcn")
        .annotate(list_size=latest_list_size(on))
    )
    table = MemberTableWithActions(request, members)
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "practices/member_list.html",
        {
            "heading": "Member practices",
            "table": table,
            "on_form": on_form,
            "on": on,
            "is_today": on == today(),
            "add_href": reverse("practices:member_join", args=[pcn.code]),
            "add_label": "Record a practice joining",
        },
        section="members",
    )


def leave_link(request):
    def link(m):
        if not request.can_edit or m.source != MembershipSource.PORTAL or not m.in_force:
            return None
        if m.end_date is not None and m.end_date < today():
            return None
        return reverse("practices:member_leave", args=[m.pcn.code, m.practice.code])

    return link


def reconciliation(m):
    if not m.in_force:
        return f"Holds no day of its own. {m.adjustment}".strip()
    return m.adjustment


def as_published(m):
    """ODS's own dates of a spell and the reconciliation note, in one cell on the page: as
    three columns they pushed the history past a 1280 px screen, and they are blank for
    every spell ODS publishes as it is held (the downloads keep each in its own column)."""
    dates = ""
    if m.published_start_date or m.published_end_date:
        first = day(m.published_start_date) or "no first day"
        last = day(m.published_end_date) or "no last day"
        dates = f"{first} to {last}."
    return " ".join(part for part in (dates, reconciliation(m)) if part)


class SpellTable(Table):
    code = Column("ODS code", "practice.code", sort="practice__code", link=practice_link)
    name = Column("Practice", "practice.display_name", sort="practice__name")
    start_date = Column("First day", sort="start_date")
    end_date = Column("Last day", sort="end_date")
    source = Column("Recorded by", lambda m: m.get_source_display(), sort="source")
    as_published = Column("As ODS publishes it", as_published, download=False)
    published_start_date = Column("First day as ODS publishes it", screen=False)
    published_end_date = Column("Last day as ODS publishes it", screen=False)
    adjustment = Column("Reconciliation note", reconciliation, screen=False)

    caption = "Membership history"
    default_sort = "-start_date"
    filename = "membership-history"
    empty_message = "No membership spell is recorded for this network."


def with_leave_action(table_class):
    """The table of spells with a last column, for a user who may edit, to record the
    practice leaving: a spell entered here links to it, one from ODS says it is read-only.
    The member list and the membership history both end with it, so that a manager finds
    it on the practice's row where they look for the practice, not only in the history."""

    class WithLeaveAction(table_class):
        action = Column("Action", lambda m: m.practice.display_name, download=False)

        def __init__(self, request, queryset, **options):
            super().__init__(request, queryset, **options)
            link = leave_link(request)
            self.columns[-1].link = link
            self.columns[-1].format = None
            self.base_link = link
            if not request.can_edit:
                self.columns = self.columns[:-1]

        def cells(self, row):
            cells = super().cells(row)
            if self.request.can_edit:
                last = cells[-1]
                last.text = (
                    format_html(
                        'Record<span class="nhsuk-u-visually-hidden"> {}</span> leaving',
                        last.text,
                    )
                    if last.href
                    else ("Read-only (ODS)" if row.source == MembershipSource.ODS else "")
                )
            return cells

    WithLeaveAction.__name__ = f"{table_class.__name__}WithActions"
    return WithLeaveAction


SpellTableWithActions = with_leave_action(SpellTable)
MemberTableWithActions = with_leave_action(MemberTable)


@load_pcn
def membership_history(request, pcn):
    """Every spell of the network, from ODS or entered here, with ODS's dates beside the
    reconciled ones."""
    spells = pcn.memberships.select_related("practice", "pcn")
    table = SpellTableWithActions(request, spells)
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "practices/membership_history.html",
        {"heading": "Membership history", "table": table, "ods_read_only": ODS_READ_ONLY},
        section="members",
    )


def carried(request):
    """The posted fields, to carry through a confirmation page unchanged."""
    skip = {"csrfmiddlewaretoken", "confirm", "change"}
    return [(k, v) for k, v in request.POST.items() if k not in skip]


def confirm_or_save(request, pcn, form, *, heading, sentences, write, success, done, cancel):
    """Two steps: a valid form shows what will change, in words; confirming it saves (the
    form checked again in the same transaction)."""
    if request.method == "POST" and "change" not in request.POST:
        if "confirm" in request.POST:
            result = save_form(form, write)
            if result is not None:
                success_message(request, form, success(result))
                return redirect(done)
        elif form.is_valid():
            return render_network(
                request,
                pcn,
                "practices/member_confirm.html",
                {
                    "heading": heading,
                    "sentences": sentences(form.cleaned_data),
                    "carried": carried(request),
                    "cancel_href": cancel,
                },
                section="members",
            )
    return None


@load_rw_pcn
def member_join(request, pcn):
    form = JoinForm(posted(request), pcn=pcn)
    cancel = reverse("practices:member_list", args=[pcn.code])

    def sentences(data):
        name = form.practice.display_name
        return [
            f"{name} ({form.practice.code}) will be a member of {pcn.display_name} from "
            f"{day(data['start_date'])}, with no last day.",
            "It will count in the network's members and registered population from that day.",
        ]

    response = confirm_or_save(
        request,
        pcn,
        form,
        heading=f"Check: a practice joining {pcn.display_name}",
        sentences=sentences,
        write=lambda data: actions.add_membership(
            practice=form.practice, pcn=pcn, by=request.user, start_date=data["start_date"]
        ),
        success=lambda m: (
            f"{m.practice.display_name} ({m.practice.code}) "
            f"{'will join' if m.start_date > today() else 'joined'} "
            f"{pcn.display_name}: a member from {day(m.start_date)}"
        ),
        done=reverse("practices:member_list", args=[pcn.code]),
        cancel=cancel,
    )
    if response is not None:
        return response
    return render_network(
        request,
        pcn,
        "networks/form_page.html",
        {
            "form": form,
            "heading": "Record a practice joining",
            "submit_label": "Continue",
            "cancel_href": cancel,
        },
        section="members",
    )


def current_spell(pcn, practice_code):
    """The practice's spell in the network that is in force today or later, or None."""
    return (
        pcn.memberships.in_force()
        .filter(practice__code=practice_code)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today()))
        .select_related("practice", "pcn")
        .order_by("-start_date")
        .first()
    )


def open_spell(pcn, practice_code):
    """The practice's spell in the network that is in force today or later (or 404)."""
    spell = current_spell(pcn, practice_code)
    if spell is None:
        raise Http404("The practice has no membership in force in this network.")
    return spell


@load_rw_pcn
def member_leave(request, pcn, practice):
    spell = open_spell(pcn, practice)
    name = spell.practice.display_name
    cancel = reverse("practices:member_list", args=[pcn.code])
    if spell.source == MembershipSource.ODS:
        return render_network(
            request,
            pcn,
            "practices/member_read_only.html",
            {"heading": f"{name} leaving", "spell": spell, "ods_read_only": ODS_READ_ONLY},
            section="members",
        )
    form = LeaveForm(posted(request), instance=spell)

    def sentences(data):
        end = data["end_date"]
        return [
            f"{name} will be a member of {pcn.display_name} up to and including {day(end)}.",
            f"From {day(end + ONE_DAY)} it will not be a member, "
            "and its patients will no longer count in the network's population.",
        ]

    response = confirm_or_save(
        request,
        pcn,
        form,
        heading=f"Check: {name} leaving {pcn.display_name}",
        sentences=sentences,
        write=lambda data: actions.end_membership(
            membership=spell, by=request.user, end_date=data["end_date"]
        ),
        success=lambda m: (
            f"{name} ({m.practice.code}) is a member of {pcn.display_name} up "
            f"to and including {day(m.end_date)}"
        ),
        done=reverse("practices:member_list", args=[pcn.code]),
        cancel=cancel,
    )
    if response is not None:
        return response
    return render_network(
        request,
        pcn,
        "networks/form_page.html",
        {
            "form": form,
            "heading": f"Record {name} leaving",
            "intro": f"{name} has been a member since {day(spell.start_date)}.",
            "submit_label": "Continue",
            "cancel_href": cancel,
        },
        section="members",
    )


class PracticeSpellTable(Table):
    pcn = Column("Network", lambda m: f"{m.pcn.display_name} ({m.pcn.code})")
    start_date = Column("First day")
    end_date = Column("Last day")
    source = Column("Recorded by", lambda m: m.get_source_display())
    published_start_date = Column("First day as ODS publishes it")
    published_end_date = Column("Last day as ODS publishes it")
    adjustment = Column("Reconciliation note", reconciliation)

    caption = "Spells in each network"
    per_page = 500
    filename = "practice-spells"
    key = "spells"  # the page's second table: ?table=spells&format=…


class ListSizeTable(Table):
    extract_date = Column("Extract date", sort="extract_date")
    registered_patients = Column("Registered patients", numeric=True)
    weighted_patients = Column("Weighted patients", numeric=True)

    caption = "Registered patients at each extract date"
    default_sort = "-extract_date"
    per_page = 24
    filename = "list-sizes"
    empty_message = "No list size is recorded for this practice."


CHART_POINTS = 120  # ten years of monthly figures


@load_pcn
def practice_detail(request, pcn, practice):
    """A practice that has been in the network: its ODS details, its spells in every
    network and its list sizes, as a chart and a table of the same figures."""
    spell = (
        pcn.memberships.filter(practice__code=practice)
        .select_related("practice__commissioner")
        .first()
    )
    if spell is None:
        raise Http404("The practice has never been a member of this network.")
    practice = spell.practice
    spells = PracticeSpellTable(
        request, practice.memberships.select_related("pcn").order_by("-start_date")
    )
    if download := spells.download():
        return download
    sizes = ListSizeTable(request, practice.list_sizes.all())
    if download := sizes.download():
        return download
    points = list(
        practice.list_sizes.order_by("-extract_date").values_list(
            "extract_date", "registered_patients"
        )[:CHART_POINTS]
    )
    chart = [{"date": d.isoformat(), "patients": n} for d, n in reversed(points)]
    return render_network(
        request,
        pcn,
        "practices/practice_detail.html",
        {
            "heading": f"{practice.display_name} ({practice.code})",
            "practice": practice,
            "address": [
                ods_title(line)
                for line in [getattr(practice, f"address_line_{n}") for n in range(1, 6)]
                if line
            ]
            + ([practice.postcode] if practice.postcode else []),
            "spells": spells,
            "sizes": sizes,
            "chart": chart,
            "chart_from": points[-1][0] if points else None,
            **leaving(request, pcn, practice),
        },
        section="members",
    )


def leaving(request, pcn, practice):
    """For a manager on a practice's page: the link to record it leaving the network, or,
    when its membership comes from ODS, who can change it."""
    if not request.can_edit:
        return {}
    spell = current_spell(pcn, practice.code)
    if spell is None:
        return {}
    if spell.source == MembershipSource.ODS:
        return {"ods_read_only": ODS_READ_ONLY}
    return {"leave_href": reverse("practices:member_leave", args=[pcn.code, practice.code])}
