"""What every page of a network shares: its sections, and the warnings it carries.

A network page renders through `render_network`, so each page names the network, links
to the network's other sections and warns when the network has no clinical director
today, wherever the user is in it:

    return render_network(request, pcn, "networks/people_list.html", {...}, section="directors")

The template includes "networks/_network_header.html" at the top of its content.
"""

from django.shortcuts import render
from django.urls import reverse

from pcn_portal.core.dates import today

# (section, label, URL name): the network's pages, in the order the navigation shows them.
SECTIONS = [
    ("overview", "Overview", "workspace:network_detail"),
    ("members", "Member practices", "practices:member_list"),
    ("directors", "Clinical directors", "networks:director_list"),
    ("team", "Network team", "networks:team_list"),
    ("governance", "Governance", "networks:governance"),
    ("partners", "Partners", "networks:collaboration_list"),
    ("history", "History", "history:network"),
]


def network_warnings(pcn):
    """What needs attention on every page of an open network (one query)."""
    if not pcn.is_open_on(today()):
        return []
    if not pcn.clinical_directors.current().exists():
        return ["The network has no clinical director today."]
    return []


def network_context(request, pcn, section=None):
    return {
        "pcn": pcn,
        "can_edit": getattr(request, "can_edit", False),
        "network_warnings": network_warnings(pcn),
        "network_sections": [
            {"label": label, "href": reverse(name, args=[pcn.code]), "current": key == section}
            for key, label, name in SECTIONS
        ],
    }


def render_network(request, pcn, template, context=None, *, section=None, status=200):
    return render(
        request,
        template,
        {**network_context(request, pcn, section), **(context or {})},
        status=status,
    )


def day(value):
    """31 March 2026."""
    return f"{value.day} {value:%B %Y}" if value else ""
