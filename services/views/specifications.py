"""The year's specifications of a network, a specification's page for the year, and the
updates to its delivery and to each requirement."""

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse

from networks.loaders import load_pcn, load_rw_pcn
from networks.pages import render_network
from pcn_portal.core.citations import Citation
from pcn_portal.core.dates import financial_year_label
from pcn_portal.core.forms import changes_from, posted, save_form, success_message
from pcn_portal.core.tables import Column, Table
from services import actions
from services.calculations import (
    progress_of,
    requirement_rows,
    requirements_with_progress,
    specifications_in_year,
)
from services.forms import DeliveryForm, EvidenceForm, ProgressForm, YearForm
from services.models import SpecificationKind
from services.views.common import (
    is_htmx,
    requirement_in,
    specification_crumbs,
    specification_in,
    status_label,
    status_tag,
)

# The national specifications first, then the key functions, then the access requirements.
KIND_ORDER = Case(
    When(kind=SpecificationKind.SPECIFICATION, then=0),
    When(kind=SpecificationKind.FUNCTION, then=1),
    default=2,
)


def spec_url(row):
    return reverse("services:specification", args=[row.pcn_code, row.year, row.code])


class SpecificationTable(Table):
    name = Column("Specification or function", link=spec_url, sort="name")
    kind = Column("Kind", "get_kind_display", sort="kind")
    status = Column(
        "Delivery status",
        "delivery_status",
        format=status_tag,
        sort="delivery_status",
        download=False,
    )
    status_text = Column("Delivery status", lambda s: status_label(s.delivery_status), screen=False)
    lead = Column(
        "Named lead",
        lambda s: s.lead_name or "",
        format=lambda name: name or "Not named",
        sort="lead_name",
    )
    updated = Column(
        "Last update",
        "updated_on",
        format=lambda day: f"{day.day} {day:%B %Y}" if day else "Not yet",
        sort="updated_on",
    )
    progress = Column(
        "Progress",
        lambda s: f"{s.delivered_count or 0} of {s.requirement_count} delivered",
        download=False,
    )
    requirements = Column("Requirements", "requirement_count", numeric=True, screen=False)
    delivered = Column(
        "Requirements delivered", lambda s: s.delivered_count or 0, numeric=True, screen=False
    )
    source = Column("Sources", lambda s: Citation.of(s), screen=False)

    default_sort = None
    per_page = 50
    filename = "service-specifications"
    empty_message = "No national specification or function was in force in this year."


@load_pcn
def services_year(request, pcn):
    """Every specification and function in force in a financial year (default the
    current one), with the network's delivery of each."""
    form = YearForm(request.GET or None)
    year = form.year_or_current()
    rows = (
        specifications_in_year(pcn, year)
        .prefetch_related("sources")
        .annotate(pcn_code=Value(pcn.code), year=Value(year, output_field=IntegerField()))
    )
    label = financial_year_label(year)
    table = SpecificationTable(
        request, rows.order_by(KIND_ORDER, "start_date", "name"), caption=f"Delivery in {label}"
    )
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "services/specification_list.html",
        {"year": year, "year_label": label, "form": form, "table": table},
        section="specifications",
    )


class RequirementTable(Table):
    """The download of a specification's page: each requirement and its progress."""

    code = Column("Code", sort="code")
    text = Column("Requirement")
    status = Column("Progress", lambda r: status_label(r.progress_status))
    note = Column("Note", lambda r: r.progress_note or "")
    due = Column("Due date", "progress_due_on")
    completed = Column("Completed on", "progress_completed_on")
    updated = Column("Last updated", "progress_updated_on")
    evidence = Column("Evidence items", lambda r: r.evidence_count or 0, numeric=True)
    source = Column("Sources", lambda r: Citation.of(r))

    default_sort = "code"
    per_page = 200


def progress_form(requirement, *args, **kwargs):
    """A requirement's progress form, its ids its own (id_ehch-2-note): the requirement's
    page holds the evidence form too, and the specification's page may hold the forms of
    several requirements opened in place, each with a note. The fields keep their names:
    each form posts on its own."""
    return ProgressForm(*args, auto_id=f"id_{requirement.code.lower()}-%s", **kwargs)


def evidence_form(*args, **kwargs):
    """The evidence form, its ids its own (id_evidence-note), apart from the progress
    form's on the same page: a label of one focused the other's field."""
    return EvidenceForm(*args, auto_id="id_evidence-%s", **kwargs)


def page_context(request, pcn, specification, year):
    delivery = pcn.service_deliveries.filter(
        specification=specification, financial_year=year
    ).first()
    requirements = requirements_with_progress(pcn, specification, year)
    delivered = sum(1 for r in requirements if r.progress and r.progress.status == "delivered")
    updates = [r.progress.updated_on for r in requirements if r.progress and r.progress.updated_on]
    if delivery and delivery.updated_on:
        updates.append(delivery.updated_on)
    return {
        "pcn": pcn,
        "year": year,
        "year_label": financial_year_label(year),
        "specification": specification,
        "delivery": delivery,
        "requirements": requirements,
        "delivered": delivered,
        "last_update": max(updates, default=None),
        "can_edit": request.can_edit,
    }


@load_pcn
def specification_detail(request, pcn, year, spec):
    """A specification's page for the year: each requirement's progress and evidence."""
    specification = specification_in(year, spec)
    table = RequirementTable(
        request,
        requirement_rows(pcn, specification, year),
        filename=f"{specification.code}-{year}",
        caption=specification.name[:31],
    )
    if download := table.download():
        return download
    context = page_context(request, pcn, specification, year)
    context["table"] = table
    return render_network(
        request,
        pcn,
        "services/specification_detail.html",
        context,
        section="specifications",
        crumbs=specification_crumbs(pcn, year),
    )


@load_rw_pcn
def delivery_edit(request, pcn, year, spec):
    """The network's delivery status, named lead and notes for the specification."""
    specification = specification_in(year, spec)
    delivery = pcn.service_deliveries.filter(
        specification=specification, financial_year=year
    ).first() or pcn.service_deliveries.model(
        pcn=pcn, specification=specification, financial_year=year
    )
    form = DeliveryForm(posted(request), instance=delivery)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: actions.update_delivery(
                pcn=pcn,
                specification=specification,
                financial_year=year,
                by=request.user,
                changes=changes_from(data, actions.DELIVERY_FIELDS),
            ),
        )
        if saved is not None:
            messages.success(
                request,
                f"Delivery of {specification.name} in {financial_year_label(year)} saved: "
                f"{status_label(form.cleaned_data['status']).lower()}.",
            )
            return redirect("services:specification", pcn.code, year, specification.code)
    return render_network(
        request,
        pcn,
        "services/delivery_edit.html",
        {
            "year": year,
            "year_label": financial_year_label(year),
            "specification": specification,
            "form": form,
        },
        section="specifications",
        crumbs=specification_crumbs(pcn, year, specification),
    )


@load_rw_pcn
def requirement_edit(request, pcn, year, spec, requirement):
    """Update one requirement: its progress, note and dates. From the specification's page
    with htmx the form replaces the requirement in place, and saving puts it back."""
    specification = specification_in(year, spec)
    requirement = requirement_in(specification, year, requirement)
    progress = progress_of(pcn, specification, year, requirement)
    form = progress_form(requirement, posted(request), instance=progress)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: actions.update_requirement(
                pcn=pcn,
                specification=specification,
                financial_year=year,
                requirement=requirement,
                by=request.user,
                changes=changes_from(data, actions.PROGRESS_FIELDS),
            ),
        )
        if saved is not None:
            text = f"{requirement.code} saved: {status_label(form.cleaned_data['status']).lower()}."
            if is_htmx(request):
                context = page_context(request, pcn, specification, year)
                row = next(r for r in context["requirements"] if r.pk == requirement.pk)
                context.update(requirement=row, saved=text)
                return render(request, "services/_requirement_saved.html", context)
            messages.success(request, text)
            url = reverse("services:specification", args=[pcn.code, year, specification.code])
            return redirect(f"{url}#requirement-{requirement.code}")
    context = {
        "pcn": pcn,
        "year": year,
        "year_label": financial_year_label(year),
        "specification": specification,
        "requirement": requirement,
        "form": form,
        "evidence_form": evidence_form(),
        "evidence": list(progress.evidence_items.select_related("added_by")) if progress.pk else [],
    }
    if is_htmx(request):
        return render(request, "services/requirement_edit.html#progress_form", context)
    return render_network(
        request,
        pcn,
        "services/requirement_edit.html",
        context,
        section="specifications",
        crumbs=specification_crumbs(pcn, year, specification),
    )


@load_rw_pcn
def evidence_add(request, pcn, year, spec, requirement):
    """Add a note, a link or a file as evidence for a requirement."""
    specification = specification_in(year, spec)
    requirement = requirement_in(specification, year, requirement)
    form = evidence_form(posted(request), request.FILES if request.method == "POST" else None)
    back = reverse("services:requirement_edit", args=[pcn.code, year, spec, requirement.code])
    if request.method == "POST":
        evidence = save_form(
            form,
            lambda data: actions.add_requirement_evidence(
                pcn=pcn,
                specification=specification,
                financial_year=year,
                requirement=requirement,
                by=request.user,
                note=data["note"],
                link=data["link"],
                upload=data["file"],
            ),
        )
        if evidence is not None:
            success_message(request, form, f"Evidence added to {requirement.code}: {evidence}.")
            return redirect(back)
    progress = progress_of(pcn, specification, year, requirement)
    return render_network(
        request,
        pcn,
        "services/requirement_edit.html",
        {
            "pcn": pcn,
            "year": year,
            "year_label": financial_year_label(year),
            "specification": specification,
            "requirement": requirement,
            "form": progress_form(requirement, instance=progress),
            "evidence_form": form,
            "evidence": list(progress.evidence_items.select_related("added_by"))
            if progress.pk
            else [],
        },
        section="specifications",
        crumbs=specification_crumbs(pcn, year, specification),
    )
