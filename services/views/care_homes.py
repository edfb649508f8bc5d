"""The care homes aligned to a network, their beds by month and the year's Care Home
Premium estimate."""

from django.contrib import messages
from django.db.models import Value
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from networks.loaders import load_pcn, load_rw_pcn
from networks.pages import day, render_network
from pcn_portal.core.dates import financial_year_label, today
from pcn_portal.core.forms import changes_from, posted, save_form, success_message
from pcn_portal.core.tables import Column, RowsTable, Table, money
from services import actions
from services.calculations import alignments_in, bed_history, premium_estimate
from services.forms import (
    AlignmentForm,
    BedsForm,
    CareHomeAddForm,
    CareHomeForm,
    EndAlignmentForm,
    YearForm,
)
from services.scopes import alignment_refusal, check, home_details_refusal


def home_url(alignment):
    return reverse("services:care_home", args=[alignment.pcn_code, alignment.home.cqc_location_id])


class CareHomeTable(Table):
    name = Column("Care home", "home.name", link=home_url, sort="home__name")
    cqc = Column("CQC location ID", "home.cqc_location_id", sort="home__cqc_location_id")
    home_type = Column(
        "Type",
        "home.get_home_type_display",
        format=lambda text: text.removeprefix("Care home ").capitalize(),
        sort="home__home_type",
    )
    address = Column("Address", "home.address", screen=False)
    postcode = Column("Postcode", "home.postcode", screen=False)
    beds = Column("Registered beds", "latest_beds", numeric=True, sort="latest_beds")
    lead = Column(
        "Named clinical lead",
        "clinical_lead",
        format=lambda name: name or "Not named",
        sort="clinical_lead",
    )
    round_day = Column("Home round", "get_round_day_display", sort="round_day")
    start = Column("Aligned from", "start_date", sort="start_date")
    end = Column("Aligned until (last day)", "end_date", screen=False)

    default_sort = "name"
    per_page = 50
    filename = "care-homes"
    empty_message = "No care home is aligned to this network in this year."


class BedTable(Table):
    """A home's beds in the network's months (services.calculations.bed_history)."""

    month = Column("From", lambda c: f"{c.from_month:%B %Y}", sort="from_month")
    month_date = Column("Month", "from_month", screen=False)
    beds = Column("Registered beds", numeric=True, sort="beds")

    default_sort = "-month"
    per_page = 24
    filename = "care-home-beds"
    empty_message = "No bed count is recorded for this home yet."


class PremiumMonthTable(RowsTable):
    """The year's premium estimate month by month, on the page and as a download."""

    month = Column("Month", lambda m: f"{m.month:%B %Y}")
    beds = Column("Beds", "beds", numeric=True, format=lambda v: f"{v:,}")
    premium = Column("Premium", lambda m: money(m.amount) if m.paid else "Not paid", numeric=True)

    key = "months"
    caption = "Beds and premium by month"
    filename = "care-home-premium-by-month"
    row_header = True
    per_page = 12


def alignment_of(pcn, cqc):
    """The network's alignment of the home that its pages are about: the one in force
    today, else the next to begin, else the last to end; `spells` holds every alignment of
    the home to the network. A home never aligned to the network does not exist for its
    users (404)."""
    spells = list(
        pcn.care_home_alignments.filter(home__cqc_location_id=cqc)
        .select_related("home", "pcn")
        .order_by("start_date")
    )
    if not spells:
        raise Http404("No such care home aligned to this network.")
    on = today()
    alignment = (
        next((s for s in spells if s.covers(on)), None)
        or next((s for s in spells if s.start_date > on), None)
        or spells[-1]
    )
    alignment.spells = spells
    return alignment


def changeable_alignment(request, pcn, cqc):
    """alignment_of, for a page that changes it: refused (403, saying why) once the
    alignment has ended, as its action would refuse it."""
    alignment = alignment_of(pcn, cqc)
    check(alignment_refusal(request.user, alignment, today()))
    return alignment


def ended_line(alignment, aligned_elsewhere):
    """What a network reads on a home whose alignment to it has ended: when, whether the
    home is aligned elsewhere now (never to whom: that network's records are not this
    one's to read), and that what it sees is its own months, read-only."""
    now = " It is aligned to another network now." if aligned_elsewhere else ""
    return (
        f"The home's alignment to {alignment.pcn.display_name} ended on "
        f"{day(alignment.end_date)}.{now} This page shows the network's records of the home "
        "for the months it was aligned, and they can no longer be changed here."
    )


def home_crumbs(pcn, alignment):
    """The home's page, above the pages that change it."""
    href = reverse("services:care_home", args=[pcn.code, alignment.home.cqc_location_id])
    return [{"text": alignment.home.name, "href": href}]


@load_pcn
def care_home_list(request, pcn):
    """The homes aligned to the network in a year, and the year's premium estimate."""
    form = YearForm(request.GET or None)
    year = form.year_or_current()
    label = financial_year_label(year)
    rows = alignments_in(pcn, year).annotate(pcn_code=Value(pcn.code))
    estimate = premium_estimate(pcn, year)
    months = PremiumMonthTable(request, estimate.months)
    if download := months.download():
        return download
    table = CareHomeTable(request, rows, caption=f"Care homes aligned in {label}")
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "services/care_home_list.html",
        {
            "year": year,
            "year_label": label,
            "form": form,
            "table": table,
            "estimate": estimate,
            "total": money(estimate.total) if estimate.rate else None,
            "months": months,
        },
        section="care_homes",
    )


@load_pcn
def care_home_detail(request, pcn, cqc):
    """The home as the network holds it, with its beds in the months it held it. After the
    alignment has ended the page reads them and changes nothing, and says where the home
    is now only as far as it is the network's to know: aligned elsewhere or not, never to
    whom."""
    alignment = alignment_of(pcn, cqc)
    table = BedTable(request, bed_history(alignment.home, alignment.spells), filename=f"beds-{cqc}")
    if download := table.download():
        return download
    on = today()
    may_change = request.can_edit and alignment_refusal(request.user, alignment, on) is None
    ended = alignment.ended_before(on)
    aligned_elsewhere = ended and alignment.home.alignments.current(on).exists()
    return render_network(
        request,
        pcn,
        "services/care_home_detail.html",
        {
            "alignment": alignment,
            "home": alignment.home,
            "table": table,
            "ended": ended,
            "ended_line": ended_line(alignment, aligned_elsewhere) if ended else "",
            "may_change": may_change,
            "beds_form": BedsForm(alignment=alignment) if may_change else None,
        },
        section="care_homes",
    )


@load_rw_pcn
def care_home_add(request, pcn):
    """Align a care home to the network, with its beds from the month of alignment."""
    form = CareHomeAddForm(posted(request))
    if request.method == "POST":
        alignment = save_form(
            form,
            lambda data: actions.align_care_home(
                pcn=pcn,
                by=request.user,
                cqc_location_id=data["cqc_location_id"],
                name=data["name"],
                address=data["address"],
                postcode=data["postcode"],
                home_type=data["home_type"],
                clinical_lead=data["clinical_lead"],
                round_day=data["round_day"],
                start_date=data["start_date"],
                beds=data["beds"],
            ),
        )
        if alignment is not None:
            # Read back, not from the form: a copy of the form already saved is not cleaned.
            first_month = alignment.start_date.replace(day=1)
            count = alignment.home.bed_counts.filter(month=first_month).first()
            beds = f", with {count.beds} beds" if count else ""
            success_message(
                request,
                form,
                f"{alignment.home.name} is aligned to {pcn.display_name} from "
                f"{alignment.start_date:%-d %B %Y}{beds}.",
            )
            return redirect("services:care_homes", pcn.code)
    return render_network(
        request, pcn, "services/care_home_add.html", {"form": form}, section="care_homes"
    )


@load_rw_pcn
def care_home_edit(request, pcn, cqc):
    """Change the home's details and the network's alignment of it. The details are
    shown but not offered for change unless the network holds the home today."""
    alignment = changeable_alignment(request, pcn, cqc)
    data = posted(request)
    locked = home_details_refusal(request.user, alignment, today())
    home_form = CareHomeForm(data, instance=alignment.home, locked=locked)
    alignment_form = AlignmentForm(data, instance=alignment)
    if request.method == "POST":
        saved = save_form(
            home_form,
            lambda data: actions.update_care_home(
                alignment=alignment,
                by=request.user,
                changes={
                    **changes_from(data, actions.CARE_HOME_FIELDS),
                    **changes_from(alignment_form.cleaned_data, actions.ALIGNMENT_FIELDS),
                },
            ),
            others=[alignment_form],
        )
        if saved is not None:
            messages.success(request, f"{alignment.home.name} saved.")
            return redirect("services:care_home", pcn.code, cqc)
    return render_network(
        request,
        pcn,
        "services/care_home_edit.html",
        {
            "alignment": alignment,
            "home_form": home_form,
            "alignment_form": alignment_form,
            "locked": locked,
        },
        section="care_homes",
        crumbs=home_crumbs(pcn, alignment),
    )


@load_rw_pcn
def care_home_beds(request, pcn, cqc):
    """Record a home's registered beds from a month on."""
    alignment = changeable_alignment(request, pcn, cqc)
    form = BedsForm(posted(request), alignment=alignment)
    if request.method == "POST":
        count = save_form(
            form,
            lambda data: actions.record_beds(
                alignment=alignment, by=request.user, month=data["month"], beds=data["beds"]
            ),
        )
        if count is not None:
            messages.success(
                request,
                f"{alignment.home.name}: {count.beds} beds from {count.month:%B %Y}.",
            )
            return redirect("services:care_home", pcn.code, cqc)
    return render_network(
        request,
        pcn,
        "services/care_home_beds.html",
        {"alignment": alignment, "form": form},
        section="care_homes",
        crumbs=home_crumbs(pcn, alignment),
    )


@load_rw_pcn
def care_home_end(request, pcn, cqc):
    """End the home's alignment to the network on its last day."""
    alignment = changeable_alignment(request, pcn, cqc)
    form = EndAlignmentForm(posted(request), instance=alignment)
    if request.method == "POST":
        ended = save_form(
            form,
            lambda data: actions.end_alignment(
                alignment=alignment, by=request.user, end_date=data["end_date"]
            ),
        )
        if ended is not None:
            messages.success(
                request,
                f"{alignment.home.name} is aligned to {pcn.display_name} up to and including "
                f"{alignment.end_date:%-d %B %Y}.",
            )
            return redirect("services:care_home", pcn.code, cqc)
    return render_network(
        request,
        pcn,
        "services/care_home_end.html",
        {"alignment": alignment, "form": form},
        section="care_homes",
        crumbs=home_crumbs(pcn, alignment),
    )
