"""Evidence files, served only to users who may see the network, and their removal."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from networks.loaders import load_pcn, load_rw_pcn
from networks.pages import render_network
from services import actions
from services.evidence import INLINE
from services.views.common import specification_crumbs


def evidence_of(pcn, evidence):
    """The network's evidence with this id, or 404: another network's does not exist here."""
    return get_object_or_404(
        pcn.service_evidence.select_related(
            "progress__requirement__specification", "progress__delivery"
        ),
        pk=evidence,
    )


def requirement_url(pcn, evidence):
    progress = evidence.progress
    return reverse(
        "services:requirement_edit",
        args=[
            pcn.code,
            progress.delivery.financial_year,
            progress.requirement.specification.code,
            progress.requirement.code,
        ],
    )


@load_pcn
def evidence_file(request, pcn, evidence):
    """The file, from storage, as the portal named it; PDFs and images open in the
    browser, other files download under the name they were uploaded with."""
    evidence = evidence_of(pcn, evidence)
    if not evidence.file:
        raise Http404("This evidence has no file.")
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=evidence.extension not in INLINE,
        filename=evidence.file_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@load_rw_pcn
def evidence_remove(request, pcn, evidence):
    """Asks first; removes on a POST that confirms."""
    evidence = evidence_of(pcn, evidence)
    back = requirement_url(pcn, evidence)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        actions.remove_evidence(evidence=evidence, by=request.user)
        messages.success(request, f"Evidence removed: {evidence}.")
        return redirect(back)
    requirement = evidence.progress.requirement
    crumbs = specification_crumbs(
        pcn, evidence.progress.delivery.financial_year, requirement.specification
    )
    return render_network(
        request,
        pcn,
        "services/evidence_remove.html",
        {"evidence": evidence, "back": back},
        section="specifications",
        crumbs=[*crumbs, {"text": f"Update {requirement.code}", "href": back}],
    )
