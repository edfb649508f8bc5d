"""What the services pages share: the year in the address, the specification and
requirement it names (and the breadcrumbs down to them), and how a status reads."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html

from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from services.forms import FIRST_YEAR
from services.models import DeliveryStatus, ServiceSpecification

STATUS_COLOURS = {
    DeliveryStatus.NOT_STARTED: "grey",
    DeliveryStatus.IN_PROGRESS: "blue",
    DeliveryStatus.DELIVERED: "green",
    DeliveryStatus.AT_RISK: "orange",
    DeliveryStatus.NOT_DELIVERED: "red",
}


def status_label(value):
    return DeliveryStatus(value or DeliveryStatus.NOT_STARTED).label


def status_tag(value):
    status = DeliveryStatus(value or DeliveryStatus.NOT_STARTED)
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', STATUS_COLOURS[status], status.label
    )


def checked_year(year):
    """A financial year the pages cover, or 404."""
    if not FIRST_YEAR <= year <= financial_year_of(today()) + 1:
        raise Http404("No such financial year.")
    return year


def specification_in(year, code):
    """The specification with this code if it was in force in the year, or 404."""
    in_year = ServiceSpecification.objects.in_year(checked_year(year))
    return get_object_or_404(ServiceSpecification.with_sources(in_year), code=code)


def requirement_in(specification, year, code):
    return get_object_or_404(specification.requirements.in_year(year), code=code)


def specification_crumbs(pcn, year, specification=None):
    """A services page's own parents below the section's specifications: the year, then
    the specification."""
    items = [
        {
            "text": financial_year_label(year),
            "href": reverse("services:year", args=[pcn.code]) + f"?year={year}",
        }
    ]
    if specification is not None:
        href = reverse("services:specification", args=[pcn.code, year, specification.code])
        items.append({"text": specification.name, "href": href})
    return items


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"
