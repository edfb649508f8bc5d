"""One frame for every page of a network (networks.pages): whichever page a user opens
under /networks/<code>/, the same breadcrumbs lead up to the network, the same sections
are there with the page's own marked, and the network's warnings are shown."""

import datetime

import pytest

from pcn_portal.access import Access
from tests.access_grid import REDIRECTS, site_patterns, url_of
from tests.html import parse

NETWORK = "/networks/U99001/"
SECTIONS = [
    ("Overview", NETWORK),
    ("Member practices", f"{NETWORK}practices/"),
    ("People", f"{NETWORK}clinical-directors/"),
    ("Governance", f"{NETWORK}governance/"),
    ("Partners", f"{NETWORK}partners/"),
    ("ARRS", f"{NETWORK}workforce/posts/"),
    ("Services", f"{NETWORK}services/"),
    ("History", f"{NETWORK}history/"),
]
# Where each part of a network's address belongs, as its manager reads the sections.
SECTION_OF_PATH = {
    "practices": "Member practices",
    "clinical-directors": "People",
    "team": "People",
    "governance": "Governance",
    "partners": "Partners",
    "history": "History",
    "workforce": "ARRS",
    "services": "Services",
}
NOT_PAGES = {"services:evidence_file"}  # the evidence file itself, not a page about it


def network_pages(records):
    """Every page under the network's address that its manager may open, by URL name."""
    pages = []
    for pattern in site_patterns():
        if pattern.access not in (Access.NETWORK_READ, Access.NETWORK_WRITE):
            continue
        if pattern.name in REDIRECTS | NOT_PAGES:
            continue
        url = url_of(pattern, records)
        if url.startswith(NETWORK):
            pages.append((pattern.name, url))
    return pages


def section_of(url):
    rest = url.removeprefix(NETWORK)
    return SECTION_OF_PATH[rest.split("/")[0]] if rest else "Overview"


def crumbs(root):
    nav = root.find("nav", "nhsuk-breadcrumb")
    return [(a.text, a.attrs["href"]) for a in nav.find_all("a", "nhsuk-breadcrumb__link")]


def sections(root):
    nav = root.find("nav", aria_label="Network sections")
    return [(a.text, a.attrs["href"], a.attrs.get("aria-current")) for a in nav.find_all("a")]


HOME = ("Home", "/")
UP_TO_THE_NETWORK = [HOME, ("Networks", "/networks/"), ("Riverside PCN", NETWORK)]


def test_every_page_of_a_network_has_its_frame(network_manager_client, arrs_world):
    pages = network_pages({"post_id": arrs_world["post"].pk})
    assert len(pages) > 40  # every app's pages, not only the first one found
    wrong = []
    for name, url in pages:
        response = network_manager_client.get(url)
        if response.status_code != 200:
            wrong.append(f"{name} {url}: {response.status_code}")
            continue
        root = parse(response.content.decode())
        trail = crumbs(root)
        # The overview is the network's own page: its trail stops above it.
        expected = UP_TO_THE_NETWORK[:-1] if url == NETWORK else UP_TO_THE_NETWORK
        if trail[: len(expected)] != expected:
            wrong.append(f"{name} {url}: breadcrumbs {trail}")
        links = sections(root)
        if [(label, href) for label, href, _ in links] != SECTIONS:
            wrong.append(f"{name} {url}: sections {links}")
        current = [label for label, _, marked in links if marked]
        if current != [section_of(url)]:
            wrong.append(f"{name} {url}: current section {current}, not {section_of(url)}")
        warning = root.find_all(class_="app-network-warning")
        if len(warning) != 1 or "The network has no clinical director" not in warning[0].text:
            wrong.append(f"{name} {url}: no warning of the missing clinical director")
        elif not warning[0].find_all("a", href=f"{NETWORK}clinical-directors/add/"):
            wrong.append(f"{name} {url}: the warning has no link to add a clinical director")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "url, tab",
    [
        (f"{NETWORK}workforce/posts/", "Staff register"),
        (f"{NETWORK}workforce/claims/", "Claims"),
        (f"{NETWORK}workforce/budget/2025/", "Budget"),
        (f"{NETWORK}services/", "Service specifications"),
        (f"{NETWORK}services/care-homes/", "Care homes"),
        (f"{NETWORK}services/priorities/", "Local priorities"),
        (f"{NETWORK}clinical-directors/", "Clinical directors"),
        (f"{NETWORK}team/", "Network team"),
    ],
)
def test_a_sections_pages_are_tabs_with_this_one_selected(url, tab, network_viewer_client):
    root = parse(network_viewer_client.get(url).content.decode())
    tabs = root.find("nav", "nhsuk-tabs")
    selected = [a.text for a in tabs.find_all("a", aria_current="page")]
    assert selected == [tab]
    # Their own breadcrumbs stop at the network, as the section's first page's do.
    assert crumbs(root) == UP_TO_THE_NETWORK


def test_a_page_inside_a_section_names_the_section_and_its_parents(
    network_manager_client, arrs_world
):
    root = parse(network_manager_client.get(f"{NETWORK}workforce/claims/2025-05/").content.decode())
    assert crumbs(root) == [
        *UP_TO_THE_NETWORK,
        ("ARRS", f"{NETWORK}workforce/posts/"),
        ("Claims", f"{NETWORK}workforce/claims/"),
    ]
    post = arrs_world["post"].pk
    line = f"{NETWORK}workforce/claims/2025-05/lines/{post}/"
    root = parse(network_manager_client.get(line).content.decode())
    assert crumbs(root)[-1] == ("May 2025", f"{NETWORK}workforce/claims/2025-05/")
    # The section is marked, but the page is not the section's own.
    arrs = root.find("nav", aria_label="Network sections").find("a", aria_current="true")
    assert arrs.text == "ARRS"


AREAS = {
    "region": ("Test Region", "/areas/Y99/"),
    "icb": ("NHS Test ICB", "/areas/QZ1/"),
    "sub_icb": ("NHS Test ICB - Z01", "/areas/Z01/"),
}


@pytest.mark.parametrize(
    "persona, above",
    [
        ("network_viewer", [("Networks", "/networks/")]),
        ("network_manager", [("Networks", "/networks/")]),
        ("subicb_viewer", [AREAS["sub_icb"]]),
        ("icb_viewer", [AREAS["icb"], AREAS["sub_icb"]]),
        ("approver", [AREAS["icb"], AREAS["sub_icb"]]),
        ("national_admin", [AREAS["region"], AREAS["icb"], AREAS["sub_icb"]]),
    ],
)
@pytest.mark.parametrize("page", ["workforce/claims/", "services/care-homes/", "governance/"])
def test_the_breadcrumbs_climb_the_areas_the_user_may_open(persona, above, page, request):
    client = request.getfixturevalue(f"{persona}_client")
    root = parse(client.get(f"{NETWORK}{page}").content.decode())
    assert crumbs(root) == [HOME, *above, ("Riverside PCN", NETWORK)]
    for _, href in above:
        assert client.get(href).status_code == 200, href  # never a link that answers 404


def test_no_warning_when_the_network_has_a_clinical_director(
    network_manager, network_manager_client, world
):
    from networks.actions import add_clinical_director

    add_clinical_director(
        pcn=world["pcn"],
        by=network_manager,
        full_name="Dr Ada Lead",
        profession="gp",
        start_date=datetime.date(2020, 1, 1),
    )
    for page in ["workforce/posts/", "workforce/budget/2025/", "services/", "governance/"]:
        root = parse(network_manager_client.get(f"{NETWORK}{page}").content.decode())
        assert root.find_all(class_="app-network-warning") == [], page
    # The overview still says what else needs attention (an agreement not signed).
    overview = parse(network_manager_client.get(NETWORK).content.decode())
    assert "not recorded as signed" in overview.find(class_="app-network-warning").text
    assert "no clinical director" not in overview.text


def test_a_viewer_is_warned_without_the_managers_link(network_viewer_client):
    for page in ["workforce/claims/", "services/priorities/"]:
        root = parse(network_viewer_client.get(f"{NETWORK}{page}").content.decode())
        warning = root.find(class_="app-network-warning")
        assert "The network has no clinical director today." in warning.text
        assert warning.find_all("a") == []
