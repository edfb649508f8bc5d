"""What the services pages share: the year in the address, the specification and
requirement it names, and how a status reads."""

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
    return get_object_or_404(ServiceSpecification.objects.in_year(checked_year(year)), code=code)


def requirement_in(specification, year, code):
    return get_object_or_404(specification.requirements.in_year(year), code=code)


def crumbs(pcn, *more):
    """Breadcrumbs from home to the network's services pages, then `more` (text, href)."""
    items = [
        {"text": "Home", "href": reverse("home")},
        {"text": "Networks", "href": reverse("workspace:network_list")},
        {"text": pcn.display_name, "href": reverse("workspace:network_detail", args=[pcn.code])},
    ]
    return items + [{"text": text, "href": href} for text, href in more]


def year_crumb(pcn, year):
    return (
        f"Service specifications {financial_year_label(year)}",
        reverse("services:year", args=[pcn.code]) + f"?year={year}",
    )


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def section_links(pcn, current):
    """The services section's tabs: each a page of its own."""
    pages = [
        ("year", "Service specifications", "services:year"),
        ("care_homes", "Care homes", "services:care_homes"),
        ("priorities", "Local priorities", "services:priorities"),
    ]
    return [
        {"label": label, "href": reverse(name, args=[pcn.code]), "current": key == current}
        for key, label, name in pages
    ]
