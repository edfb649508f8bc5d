"""A network's people and governance: clinical directors, the network team, Network
Agreements, the nominated payee, footprint notes and partner organisations.

Every view enters through the network (networks.loaders): read pages with load_pcn,
writes with load_rw_pcn. Forms are versioned, so a save over someone else's change is
refused; every write goes through networks.actions."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html

from networks import actions
from networks.forms import (
    AgreementForm,
    ClinicalDirectorEndForm,
    ClinicalDirectorForm,
    CollaborationForm,
    FootprintForm,
    PartnerOrganisationForm,
    PayeeForm,
    TeamMemberEndForm,
    TeamMemberForm,
)
from networks.loaders import load_pcn, load_rw_pcn
from networks.models import NetworkAgreement, PartnerOrganisation
from networks.pages import day, render_network
from networks.scopes import check_can_change_partner, partner_refusal
from pcn_portal.core.dates import covers, financial_year_label, financial_year_of, today
from pcn_portal.core.forms import changes_from, posted, save_form, success_message
from pcn_portal.core.submissions import TOKEN_FIELD
from pcn_portal.core.tables import Column, Table, folded


def change_link(text):
    return format_html('Change<span class="nhsuk-u-visually-hidden"> {}</span>', text)


def in_post(row):
    return "Yes" if covers(row.start_date, row.end_date, today()) else "No"


class EditableTable(Table):
    """A table whose `change` column shows only to those who may edit."""

    def __init__(self, request, queryset, **options):
        super().__init__(request, queryset, **options)
        if not getattr(request, "can_edit", False):
            self.columns = [c for c in self.columns if c.key != "change"]


def form_page(request, pcn, form, *, heading, write, success, done, cancel, section, **extra):
    """The GET and POST of a form page: on a POST, `write(cleaned_data)` (an action) through
    save_form, then a success banner and `done`."""
    if request.method == "POST":
        result = save_form(form, write)
        if result is not None:
            success_message(request, form, success(result))
            return redirect(done)
    context = {"form": form, "heading": heading, "cancel_href": cancel, **extra}
    return render_network(request, pcn, "networks/form_page.html", context, section=section)


# --- clinical directors ----------------------------------------------------------------


class DirectorTable(EditableTable):
    full_name = Column("Name", sort="full_name")
    profession = Column(
        "Profession",
        lambda d: (
            d.get_profession_display()
            + (f" ({d.profession_detail})" if d.profession_detail else "")
        ),
    )
    practice = Column(
        "Member practice", lambda d: d.practice.display_name if d.practice else "Not recorded"
    )
    start_date = Column("First day in post", sort="start_date")
    end_date = Column("Last day in post", sort="end_date")
    share = Column("Share of the role", numeric=True)
    in_post = Column("In post today", in_post)
    change = Column(
        "Change",
        "full_name",
        format=change_link,
        download=False,
        link=lambda d: reverse("networks:director_edit", args=[d.pcn.code, d.pk]),
    )

    caption = "Clinical directors"
    default_sort = "-start_date"
    filename = "clinical-directors"
    empty_message = "No clinical director is recorded for this network."


@load_pcn
def director_list(request, pcn):
    table = DirectorTable(request, pcn.clinical_directors.select_related("practice", "pcn"))
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "networks/director_list.html",
        {
            "table": table,
            "heading": "Clinical directors",
            "add_href": reverse("networks:director_add", args=[pcn.code]),
            "add_label": "Add a clinical director",
        },
        section="directors",
    )


def director_saved(director):
    ended = f", last day in post {day(director.end_date)}" if director.end_date else ""
    return f"Saved clinical director {director.full_name} ({director.share:g} of the role{ended})"


@load_rw_pcn
def director_add(request, pcn):
    form = ClinicalDirectorForm(posted(request), pcn=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading="Add a clinical director",
        write=lambda data: actions.add_clinical_director(pcn=pcn, by=request.user, **data_of(data)),
        success=lambda d: f"Added {d.full_name} as clinical director from {day(d.start_date)}",
        done=reverse("networks:director_list", args=[pcn.code]),
        cancel=reverse("networks:director_list", args=[pcn.code]),
        section="directors",
    )


def data_of(cleaned):
    """An add form's values as its action's keywords (the form's own version and token left
    out)."""
    return {k: v for k, v in cleaned.items() if k not in ("version", TOKEN_FIELD)}


@load_rw_pcn
def director_edit(request, pcn, director):
    director = get_object_or_404(pcn.clinical_directors, pk=director)
    form = ClinicalDirectorForm(posted(request), instance=director, pcn=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading=f"Change {director.full_name}",
        write=lambda data: actions.update_clinical_director(
            director=director,
            by=request.user,
            changes=changes_from(data, actions.CLINICAL_DIRECTOR_FIELDS),
            share_from=data.get("share_from"),
        ),
        success=director_saved,
        done=reverse("networks:director_list", args=[pcn.code]),
        cancel=reverse("networks:director_list", args=[pcn.code]),
        section="directors",
        end_href=reverse("networks:director_end", args=[pcn.code, director.pk]),
    )


@load_rw_pcn
def director_end(request, pcn, director):
    director = get_object_or_404(pcn.clinical_directors, pk=director)
    form = ClinicalDirectorEndForm(posted(request), instance=director, label="Last day in post")
    return form_page(
        request,
        pcn,
        form,
        heading=f"Record {director.full_name} leaving the role",
        intro=f"{director.full_name} has been a clinical director since "
        f"{day(director.start_date)}.",
        write=lambda data: actions.end_clinical_director(
            director=director, by=request.user, end_date=data["end_date"]
        ),
        success=lambda d: (
            f"{d.full_name} is clinical director up to and including {day(d.end_date)}"
        ),
        done=reverse("networks:director_list", args=[pcn.code]),
        cancel=reverse("networks:director_edit", args=[pcn.code, director.pk]),
        section="directors",
        submit_label="Record the last day",
    )


# --- the network team ------------------------------------------------------------------


class TeamTable(EditableTable):
    full_name = Column("Name", sort="full_name")
    role = Column(
        "Role",
        lambda m: m.get_role_display() + (f" ({m.role_detail})" if m.role_detail else ""),
        sort="role",
    )
    email = Column("Email address")
    start_date = Column("First day", sort="start_date")
    end_date = Column("Last day", sort="end_date")
    in_post = Column("In the role today", in_post)
    change = Column(
        "Change",
        "full_name",
        format=change_link,
        download=False,
        link=lambda m: reverse("networks:team_edit", args=[m.pcn.code, m.pk]),
    )

    caption = "Network team"
    default_sort = "role"
    filename = "network-team"
    empty_message = "No member of the network team is recorded."


@load_pcn
def team_list(request, pcn):
    table = TeamTable(request, pcn.team.select_related("pcn"))
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "networks/team_list.html",
        {
            "table": table,
            "heading": "Network team",
            "add_href": reverse("networks:team_add", args=[pcn.code]),
            "add_label": "Add a team member",
        },
        section="team",
    )


@load_rw_pcn
def team_add(request, pcn):
    form = TeamMemberForm(posted(request), pcn=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading="Add a member of the network team",
        write=lambda data: actions.add_team_member(pcn=pcn, by=request.user, **data_of(data)),
        success=lambda m: f"Added {m.full_name} ({m.get_role_display()}) from {day(m.start_date)}",
        done=reverse("networks:team_list", args=[pcn.code]),
        cancel=reverse("networks:team_list", args=[pcn.code]),
        section="team",
    )


@load_rw_pcn
def team_edit(request, pcn, member):
    member = get_object_or_404(pcn.team, pk=member)
    form = TeamMemberForm(posted(request), instance=member, pcn=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading=f"Change {member.full_name}",
        write=lambda data: actions.update_team_member(
            member=member, by=request.user, changes=changes_from(data, actions.TEAM_MEMBER_FIELDS)
        ),
        success=lambda m: f"Saved {m.full_name} ({m.get_role_display()})",
        done=reverse("networks:team_list", args=[pcn.code]),
        cancel=reverse("networks:team_list", args=[pcn.code]),
        section="team",
        end_href=reverse("networks:team_end", args=[pcn.code, member.pk]),
    )


@load_rw_pcn
def team_end(request, pcn, member):
    member = get_object_or_404(pcn.team, pk=member)
    form = TeamMemberEndForm(posted(request), instance=member, label="Last day in the role")
    return form_page(
        request,
        pcn,
        form,
        heading=f"Record {member.full_name} leaving the team",
        write=lambda data: actions.end_team_member(
            member=member, by=request.user, end_date=data["end_date"]
        ),
        success=lambda m: (
            f"{m.full_name} is in the network team up to and including {day(m.end_date)}"
        ),
        done=reverse("networks:team_list", args=[pcn.code]),
        cancel=reverse("networks:team_edit", args=[pcn.code, member.pk]),
        section="team",
        submit_label="Record the last day",
    )


# --- governance ------------------------------------------------------------------------


def schedules_text(agreement):
    schedules = agreement.schedules.all()
    if not schedules:
        return "No schedules recorded"
    return "; ".join(f"{s.number}: {s.get_status_display()}" for s in schedules)


class AgreementTable(EditableTable):
    year = Column("Financial year", lambda a: financial_year_label(a.financial_year))
    signed_on = Column("Signed on", format=lambda v: day(v) if v else "Not signed")
    data_sharing = Column("Data-sharing agreement", "data_sharing_agreement_in_place")
    schedules = Column("Schedules", schedules_text)
    notes = Column("Notes", format=folded)
    change = Column(
        "Change",
        lambda a: financial_year_label(a.financial_year),
        format=change_link,
        download=False,
        link=lambda a: reverse("networks:agreement_edit", args=[a.pcn.code, a.financial_year]),
    )

    caption = "Network Agreements"
    filename = "network-agreements"
    empty_message = "No Network Agreement is recorded for this network."


@load_pcn
def governance(request, pcn):
    agreements = pcn.agreements.select_related("pcn").prefetch_related("schedules")
    table = AgreementTable(request, agreements.order_by("-financial_year"))
    if download := table.download():
        return download
    year = financial_year_of(today())
    payee = pcn.nominated_payee
    return render_network(
        request,
        pcn,
        "networks/governance.html",
        {
            "table": table,
            "heading": "Governance",
            "this_year": year,
            "this_year_label": financial_year_label(year),
            "has_this_year": any(a.financial_year == year for a in table.pagination.page),
            "payee": f"{payee.display_name} ({payee.code})" if payee else "No member practice",
        },
        section="governance",
    )


@load_rw_pcn
def agreement_edit(request, pcn, year):
    if not 2019 <= year <= financial_year_of(today()) + 1:
        raise Http404("Network Agreements are recorded from 2019/20 to next year.")
    agreement = pcn.agreements.filter(financial_year=year).first() or NetworkAgreement(
        pcn=pcn, financial_year=year
    )
    schedules = list(agreement.schedules.all()) if agreement.pk else []
    form = AgreementForm(posted(request), instance=agreement, schedules=schedules)
    label = financial_year_label(year)

    def write(data):
        return actions.record_network_agreement(
            pcn=pcn,
            by=request.user,
            financial_year=year,
            changes=changes_from(data, actions.AGREEMENT_FIELDS),
            schedules=form.schedule_statuses(),
            only_these_schedules=True,
        )

    def success(saved):
        count = saved.schedules.count()
        signed = f"signed on {day(saved.signed_on)}" if saved.signed_on else "not yet signed"
        return (
            f"Saved the Network Agreement for {label}: {signed}, "
            f"{count} schedule{'s' if count != 1 else ''} recorded"
        )

    return form_page(
        request,
        pcn,
        form,
        heading=f"Network Agreement {label}",
        write=write,
        success=success,
        done=reverse("networks:governance", args=[pcn.code]),
        cancel=reverse("networks:governance", args=[pcn.code]),
        section="governance",
        intro="Record the date the agreement was signed and the status of each locally "
        "completed schedule.",
    )


@load_rw_pcn
def payee_edit(request, pcn):
    form = PayeeForm(posted(request), instance=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading="Nominated payee",
        write=lambda data: actions.update_pcn(
            pcn=pcn, by=request.user, changes=changes_from(data, actions.PCN_FIELDS)
        ),
        success=lambda p: (
            "Nominated payee: "
            + (f"{p.nominated_payee.display_name}" if p.nominated_payee else "no member practice")
        ),
        done=reverse("networks:governance", args=[pcn.code]),
        cancel=reverse("networks:governance", args=[pcn.code]),
        section="governance",
    )


@load_rw_pcn
def footprint_edit(request, pcn):
    form = FootprintForm(posted(request), instance=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading="Footprint notes",
        write=lambda data: actions.update_pcn(
            pcn=pcn, by=request.user, changes=changes_from(data, actions.PCN_FIELDS)
        ),
        success=lambda p: "Saved the footprint notes",
        done=reverse("networks:governance", args=[pcn.code]),
        cancel=reverse("networks:governance", args=[pcn.code]),
        section="governance",
    )


# --- partners --------------------------------------------------------------------------


def whose(partner):
    """Whose a partner organisation is: the network that added it, or national."""
    return partner.added_by_pcn.display_name if partner.added_by_pcn else "National record"


def partner_cell(collaboration):
    """The partner's name with its kind under it, in one cell on the page (the downloads
    keep each in its own column)."""
    return format_html(
        '{} <br><span class="nhsuk-body-s">{}</span>',
        collaboration.partner.display_name,
        collaboration.partner.get_kind_display(),
    )


def collaboration_dates(collaboration):
    """A collaboration's first and last days in one cell on the page: in two columns the
    partners' table was wider than a 1280 px screen (the downloads keep both)."""
    if collaboration.end_date is None:
        return f"From {day(collaboration.start_date)}"
    return f"{day(collaboration.start_date)} to {day(collaboration.end_date)}"


class CollaborationTable(EditableTable):
    partner = Column("Partner organisation", partner_cell, sort="partner__name", download=False)
    partner_name = Column("Partner organisation", "partner.display_name", screen=False)
    kind = Column("Kind", lambda c: c.partner.get_kind_display(), screen=False)
    added_by = Column("Added by", lambda c: whose(c.partner), sort=("partner__added_by_pcn__name",))
    shared = Column("Other networks work with it", "partner_shared")
    description = Column("What it covers", format=folded)
    dates = Column("Dates (last day included)", collaboration_dates, sort="start_date",
                   download=False)  # fmt: skip
    start_date = Column("First day", screen=False)
    end_date = Column("Last day", screen=False)
    in_force = Column("In force today", in_post)
    change = Column(
        "Change",
        "partner.display_name",
        format=change_link,
        download=False,
        link=lambda c: reverse("networks:collaboration_edit", args=[c.pcn.code, c.pk]),
    )

    caption = "Collaborations with partner organisations"
    default_sort = "partner"
    filename = "partner-collaborations"
    empty_message = "No collaboration with a partner organisation is recorded."


@load_pcn
def collaboration_list(request, pcn):
    table = CollaborationTable(request, pcn.collaborations.with_partners().select_related("pcn"))
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "networks/collaboration_list.html",
        {
            "table": table,
            "heading": "Partner organisations",
            "add_href": reverse("networks:collaboration_add", args=[pcn.code]),
            "add_label": "Add a collaboration",
        },
        section="partners",
    )


@load_rw_pcn
def collaboration_add(request, pcn):
    form = CollaborationForm(posted(request), pcn=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading="Add a collaboration with a partner",
        write=lambda data: actions.add_collaboration(pcn=pcn, by=request.user, **data_of(data)),
        success=lambda c: (
            f"Added the collaboration with {c.partner.display_name} from {day(c.start_date)}"
        ),
        done=reverse("networks:collaboration_list", args=[pcn.code]),
        cancel=reverse("networks:collaboration_list", args=[pcn.code]),
        section="partners",
    )


@load_rw_pcn
def collaboration_edit(request, pcn, collaboration):
    """Change the network's own collaboration; the partner organisation's details are
    changed on their own page, when the user may (networks.scopes.partner_refusal)."""
    collaboration = get_object_or_404(
        pcn.collaborations.select_related("partner__added_by_pcn"), pk=collaboration
    )
    partner = collaboration.partner
    refusal = partner_refusal(request.user, partner)
    form = CollaborationForm(posted(request), instance=collaboration, pcn=pcn)
    return form_page(
        request,
        pcn,
        form,
        heading=f"Change the collaboration with {collaboration.partner.display_name}",
        write=lambda data: actions.update_collaboration(
            collaboration=collaboration,
            by=request.user,
            changes=changes_from(data, actions.COLLABORATION_FIELDS),
        ),
        success=lambda c: f"Saved the collaboration with {c.partner.display_name}",
        done=reverse("networks:collaboration_list", args=[pcn.code]),
        cancel=reverse("networks:collaboration_list", args=[pcn.code]),
        section="partners",
        partner_note=refusal,
        partner_href=None
        if refusal
        else reverse("networks:partner_edit", args=[pcn.code, partner.pk]),
        partner_name=partner.display_name,
    )


@load_rw_pcn
def partner_edit(request, pcn, partner):
    """Change a partner organisation's own details: the network that added it may, while
    no other network works with it; otherwise a 403 that says who may."""
    partner = get_object_or_404(
        PartnerOrganisation.objects.for_pcn(pcn).select_related("added_by_pcn"), pk=partner
    )
    check_can_change_partner(request.user, partner)
    form = PartnerOrganisationForm(posted(request), instance=partner)
    return form_page(
        request,
        pcn,
        form,
        heading=f"Change {partner.display_name}",
        intro="Its name, kind and ODS code as every network working with it sees them.",
        write=lambda data: actions.update_partner_organisation(
            partner=partner,
            by=request.user,
            changes=changes_from(data, actions.PARTNER_FIELDS),
        ),
        success=lambda p: f"Saved {p.name}",
        done=reverse("networks:collaboration_list", args=[pcn.code]),
        cancel=reverse("networks:collaboration_list", args=[pcn.code]),
        section="partners",
    )
