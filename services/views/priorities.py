"""The priorities a network sets itself, beyond the national ones."""

import django_filters
from django.contrib import messages
from django.db.models import Value
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from networks.loaders import load_pcn, load_rw_pcn
from networks.pages import render_network
from pcn_portal.core.forms import changes_from, posted, save_form, success_message
from pcn_portal.core.tables import Column, Table
from services import actions
from services.forms import PriorityForm
from services.models import LocalPriority, PriorityStatus


def priority_url(priority):
    if not priority.editable:
        return None
    return reverse("services:priority_edit", args=[priority.pcn_code, priority.pk])


class PriorityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=PriorityStatus.choices, empty_label="Any status"
    )

    class Meta:
        model = LocalPriority
        fields = []


class PriorityTable(Table):
    title = Column("Priority", link=priority_url, sort="title")
    description = Column("Description", screen=False)
    owner = Column("Owner", sort="owner")
    status = Column("Status", "get_status_display", sort="status")
    review = Column("Review date", "review_on", sort="review_on")
    start = Column("Start date", "start_date", sort="start_date")
    end = Column("End date (last day)", "end_date", sort="end_date")

    default_sort = "title"
    per_page = 50
    filterset_class = PriorityFilter
    filename = "local-priorities"
    empty_message = "The network has not recorded any local priorities."


@load_pcn
def priority_list(request, pcn):
    rows = pcn.local_priorities.annotate(pcn_code=Value(pcn.code), editable=Value(request.can_edit))
    table = PriorityTable(request, rows)
    if download := table.download():
        return download
    return render_network(
        request, pcn, "services/priority_list.html", {"table": table}, section="priorities"
    )


@load_rw_pcn
def priority_add(request, pcn):
    form = PriorityForm(posted(request), instance=LocalPriority(pcn=pcn))
    if request.method == "POST":
        priority = save_form(
            form,
            lambda data: actions.add_local_priority(
                pcn=pcn, by=request.user, **changes_from(data, actions.PRIORITY_FIELDS)
            ),
        )
        if priority is not None:
            success_message(request, form, f"Local priority added: {priority.title}.")
            return redirect("services:priorities", pcn.code)
    return render_network(
        request,
        pcn,
        "services/priority_edit.html",
        {"form": form, "adding": True},
        section="priorities",
    )


@load_rw_pcn
def priority_edit(request, pcn, priority):
    priority = get_object_or_404(pcn.local_priorities, pk=priority)
    form = PriorityForm(posted(request), instance=priority)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: actions.update_local_priority(
                priority=priority,
                by=request.user,
                changes=changes_from(data, actions.PRIORITY_FIELDS),
            ),
        )
        if saved is not None:
            messages.success(request, f"Local priority saved: {saved.title}.")
            return redirect("services:priorities", pcn.code)
    return render_network(
        request,
        pcn,
        "services/priority_edit.html",
        {"form": form, "adding": False},
        section="priorities",
    )
