"""The frame of every page of a network: its breadcrumbs, its sections and the warnings
it carries.

Every page under /networks/<code>/ renders through `render_network`, naming the section
(or the page of a section) it belongs to and, below the section's own page, its own
parents:

    return render_network(request, pcn, "networks/director_list.html", {...}, section="directors")
    return render_network(request, pcn, "workforce/claim_line_edit.html", {...},
                          section="claims", crumbs=[{"text": "April 2025", "href": ...}])

The frame gives the page:
- `breadcrumbs`: Home, the commissioner areas over the network whose pages the user may
  open (or the list of networks, for those who see no area page), the network, the
  section and the section's page, then the page's own crumbs;
- `network_sections`: the sections, the current one marked, and `section_pages`: the
  pages of the current section, when it has more than one;
- `network_warnings`: what needs attention today (a page may pass its own, as the overview
  does for the date it shows).

A page's template extends "networks/network_page.html" (breadcrumbs and sections) and
includes "networks/_network_header.html" (caption, heading, warnings and the section's
pages) or "networks/_network_warning.html" under its own heading. A new section is one
entry in SECTIONS.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

from networks.scopes import areas_seen
from pcn_portal.core.dates import today


@dataclass(frozen=True)
class Page:
    """A page a section links to: `key` is what a view passes as its section; `also` names
    the other URLs that are the same page (the budget of each year)."""

    key: str
    label: str
    url_name: str
    also: tuple = ()

    @property
    def names(self):
        return (self.url_name, *self.also)


@dataclass(frozen=True)
class Section:
    """A section of a network: one page, or several (shown as tabs inside the section, the
    first one the section's own page)."""

    key: str
    label: str
    pages: tuple

    @classmethod
    def one(cls, key, label, url_name):
        return cls(key, label, (Page(key, label, url_name),))


# The network's sections, in the order the navigation shows them.
SECTIONS = [
    Section.one("overview", "Overview", "workspace:network_detail"),
    Section.one("members", "Member practices", "practices:member_list"),
    Section(
        "people",
        "People",
        (
            Page("directors", "Clinical directors", "networks:director_list"),
            Page("team", "Network team", "networks:team_list"),
        ),
    ),
    Section.one("governance", "Governance", "networks:governance"),
    Section.one("partners", "Partners", "networks:collaboration_list"),
    Section(
        "arrs",
        "ARRS",
        (
            Page("register", "Staff register", "workforce:post_list"),
            Page("claims", "Claims", "workforce:claim_list"),
            Page("budget", "Budget", "workforce:budget_current", ("workforce:budget_detail",)),
        ),
    ),
    Section(
        "services",
        "Services",
        (
            Page("specifications", "Service specifications", "services:year"),
            Page("care_homes", "Care homes", "services:care_homes"),
            Page("priorities", "Local priorities", "services:priorities"),
        ),
    ),
    Section.one("history", "History", "history:network"),
]


def find_section(key):
    """The section and the page of it a view names by `key` (a section's or a page's)."""
    for section in SECTIONS:
        for page in section.pages:
            if key in (section.key, page.key):
                return section, page
    raise ValueError(f"No network section or page {key!r}")


def no_director_warning(request, pcn, text="The network has no clinical director today."):
    """The warning of a network without a clinical director, with its managers' link to
    add one."""
    if not getattr(request, "can_edit", False):
        return text
    href = reverse("networks:director_add", args=[pcn.code])
    return format_html('{} <a href="{}">Add a clinical director</a>', text, href)


def network_warnings(request, pcn):
    """What needs attention on every page of an open network. No query: the network
    loader (networks.loaders.visible_pcn) read whether it has a clinical director today."""
    if pcn.is_open_on(today()) and not pcn.has_director_today:
        return [no_director_warning(request, pcn)]
    return []


def area_crumbs(request, pcn):
    """Home, then the areas over the network the user may open; for a user who sees no
    area page, the list of their networks."""
    areas = [
        {"text": area.display_name, "href": reverse("areas:detail", args=[area.code])}
        for area in areas_seen(request.user, pcn)
    ]
    return [
        {"text": "Home", "href": reverse("home")},
        *(areas or [{"text": "Networks", "href": reverse("workspace:network_list")}]),
    ]


def breadcrumbs(request, pcn, section, page, crumbs):
    """The pages above this one: Home, the areas, the network, the section and its page,
    then the page's own parents. Stops above the page itself."""
    items = area_crumbs(request, pcn)
    overview = SECTIONS[0].pages[0]
    if is_page(request, overview):
        return items
    items.append({"text": pcn.display_name, "href": link(pcn, overview)})
    if section is None or section is SECTIONS[0]:
        return items
    if any(is_page(request, p) for p in section.pages):
        return items
    items.append({"text": section.label, "href": link(pcn, section.pages[0])})
    if len(section.pages) > 1:
        items.append({"text": page.label, "href": link(pcn, page)})
    return items + list(crumbs)


def link(pcn, page):
    return reverse(page.url_name, args=[pcn.code])


def nav_link(request, pcn, page, label, current):
    here = is_page(request, page)
    return {
        "label": label,
        "href": link(pcn, page),
        "current": current,
        # the page itself, or a page inside the one the link leads to
        "aria_current": ("page" if here else "true") if current else None,
    }


def is_page(request, page):
    """Whether the request is for this page (of any year, for the budget)."""
    return bool(request.resolver_match) and request.resolver_match.view_name in page.names


def network_context(request, pcn, section=None, *, crumbs=(), warnings=None):
    """What the frame gives a network page's template (see the module's docstring)."""
    current, page = find_section(section) if section else (None, None)
    pages = []
    if current is not None and len(current.pages) > 1:
        pages = [nav_link(request, pcn, p, p.label, p is page) for p in current.pages]
    return {
        "pcn": pcn,
        "can_edit": getattr(request, "can_edit", False),
        "breadcrumbs": breadcrumbs(request, pcn, current, page, crumbs),
        "network_sections": [
            nav_link(request, pcn, s.pages[0], s.label, s is current) for s in SECTIONS
        ],
        "section_label": current.label if current else None,
        "section_pages": pages,
        "network_warnings": network_warnings(request, pcn) if warnings is None else warnings,
    }


def render_network(
    request, pcn, template, context=None, *, section=None, crumbs=(), warnings=None, status=200
):
    return render(
        request,
        template,
        {
            **network_context(request, pcn, section, crumbs=crumbs, warnings=warnings),
            **(context or {}),
        },
        status=status,
    )


def day(value):
    """31 March 2026."""
    return f"{value.day} {value:%B %Y}" if value else ""
