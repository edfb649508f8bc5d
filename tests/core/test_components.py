"""The NHS.UK components as template includes (templates/_components/): each renders the
markup NHS.UK frontend 10.6 documents, so the frontend's styles and scripts apply."""

import re

from django.conf import settings
from django.template import Context, Template
from django.utils.safestring import mark_safe

from tests.html import parse


def render(include, **context):
    html = Template('{% include "_components/' + include + '" %}').render(Context(context))
    return parse(html)


def test_summary_list_rows_with_and_without_a_change_link():
    document = render(
        "summary_list.html",
        rows=[
            {"key": "ODS code", "value": "U90001"},
            {"key": "Network manager", "value": "Sam Smith", "href": "/change/"},
            {"key": "Address", "value": mark_safe("1 High Street<br>Leeds")},
        ],
    )

    summary = document.find("dl", "nhsuk-summary-list")
    rows = summary.find_all("div", "nhsuk-summary-list__row")
    assert [row.find("dt", "nhsuk-summary-list__key").text for row in rows] == [
        "ODS code",
        "Network manager",
        "Address",
    ]
    assert rows[0].find("dd", "nhsuk-summary-list__value").text == "U90001"
    assert rows[0].find_all("dd", "nhsuk-summary-list__actions") == []
    action = rows[1].find("dd", "nhsuk-summary-list__actions").find("a", "nhsuk-link")
    assert action.attrs["href"] == "/change/"
    assert action.text == "Change network manager"
    assert action.find("span", "nhsuk-u-visually-hidden").text == "network manager"
    assert rows[2].find("dd").find_all("br")


def test_summary_list_escapes_values():
    document = render("summary_list.html", rows=[{"key": "Name", "value": "<b>ELM</b>"}])
    assert document.find("dd").text == "<b>ELM</b>"
    assert document.find("dd").find_all("b") == []


def test_summary_list_without_borders():
    document = render("summary_list.html", rows=[], no_border=True)
    assert "nhsuk-summary-list--no-border" in document.find("dl").classes


def test_tag_in_a_colour_and_in_the_default():
    assert render("tag.html", text="Approved", colour="green").find("strong").classes == [
        "nhsuk-tag",
        "nhsuk-tag--green",
    ]
    plain = render("tag.html", text="Draft").find("strong")
    assert plain.classes == ["nhsuk-tag"]
    assert plain.text == "Draft"


def test_card_with_a_heading_and_text():
    document = render("card.html", heading="Practices", text="12 member practices")

    card = document.find("div", "nhsuk-card")
    content = card.find("div", "nhsuk-card__content")
    assert content.find("h2", "nhsuk-card__heading").text == "Practices"
    assert content.find("p", "nhsuk-card__description").text == "12 member practices"
    assert "nhsuk-card--clickable" not in card.classes


def test_a_card_with_an_address_is_clickable_through_its_heading():
    document = render("card.html", heading="Practices", href="/practices/", heading_level=3)

    assert "nhsuk-card--clickable" in document.find("div", "nhsuk-card").classes
    link = document.find("h3", "nhsuk-card__heading").find("a", "nhsuk-card__link")
    assert link.attrs["href"] == "/practices/"


def test_feature_card():
    document = render("card.html", heading="Budget", variant="feature")
    assert "nhsuk-card--feature" in document.find("div", "nhsuk-card").classes
    assert "nhsuk-card__heading--feature" in document.find("h2").classes


def test_inset_text_is_announced_as_information():
    inset = render("inset_text.html", text="No claims yet.").find("div", "nhsuk-inset-text")
    assert inset.find("span", "nhsuk-u-visually-hidden").text == "Information:"
    assert inset.find("p").text == "No claims yet."


def test_warning_callout_with_the_default_heading():
    callout = render("warning_callout.html", text="Check the dates.").find(
        "div", "nhsuk-card--warning"
    )
    assert "nhsuk-card" in callout.classes
    assert callout.find("h3", "nhsuk-card__heading").text == "Important"
    assert callout.find("p", "nhsuk-card__description").text == "Check the dates."


def test_warning_callout_with_its_own_heading_still_says_important_to_screen_readers():
    document = render(
        "warning_callout.html", heading="No clinical director", text="x", heading_level=2
    )
    heading = document.find("h2", "nhsuk-card__heading")
    assert heading.text == "Important: No clinical director"
    assert heading.find("span", "nhsuk-u-visually-hidden").text == "Important:"


def test_pagination_with_previous_and_next_titles():
    document = render(
        "pagination.html",
        previous_url="/a/",
        previous_title="Practices",
        next_url="/c/",
        next_title="Staff",
    )

    nav = document.find("nav", "nhsuk-pagination")
    assert nav.attrs["aria-label"] == "Pagination"
    previous = nav.find("a", "nhsuk-pagination__link--prev")
    assert previous.attrs["href"] == "/a/"
    assert previous.attrs["rel"] == "prev"
    assert previous.find("span", "nhsuk-pagination__page").text == "Practices"
    assert nav.find("a", "nhsuk-pagination__link--next").text == "Next page : Staff"


def test_pagination_without_pages_renders_nothing():
    assert render("pagination.html").find_all("nav") == []


def test_breadcrumbs_and_the_back_link_to_the_nearest_page():
    document = render(
        "breadcrumbs.html",
        items=[{"text": "Home", "href": "/"}, {"text": "Networks", "href": "/networks/"}],
    )

    nav = document.find("nav", "nhsuk-breadcrumb")
    assert nav.attrs["aria-label"] == "Breadcrumb"
    items = nav.find("ol", "nhsuk-breadcrumb__list").find_all("li", "nhsuk-breadcrumb__list-item")
    links = [item.find("a", "nhsuk-breadcrumb__link") for item in items]
    assert [(link.text, link.attrs["href"]) for link in links] == [
        ("Home", "/"),
        ("Networks", "/networks/"),
    ]
    back = nav.find("a", "nhsuk-back-link")
    assert back.attrs["href"] == "/networks/"
    assert back.text == "Back to Networks"


def test_back_link():
    link = render("back_link.html", href="/networks/").find("a", "nhsuk-back-link")
    assert link.attrs["href"] == "/networks/"
    assert link.text == "Back"
    assert render("back_link.html", href="/", text="Home").find("a").text == "Home"


def test_tabs_are_links_to_panels_on_the_page():
    document = render(
        "tabs.html",
        tabs=[
            {"id": "practices", "label": "Practices", "template": "_components/tag.html"},
            {"id": "staff", "label": "Staff", "template": "_components/tag.html"},
        ],
        text="in a panel",
    )

    tabs = document.find("div", "nhsuk-tabs")
    assert tabs.attrs["data-module"] == "nhsuk-tabs"
    assert tabs.find("h2", "nhsuk-tabs__heading").text == "Contents"
    items = tabs.find("ul", "nhsuk-tabs__list").find_all("li", "nhsuk-tabs__list-item")
    assert [item.find("a", "nhsuk-tabs__tab").attrs["href"] for item in items] == [
        "#practices",
        "#staff",
    ]
    assert "nhsuk-tabs__list-item--selected" in items[0].classes
    panels = tabs.find_all("div", "nhsuk-tabs__panel")
    assert [panel.attrs["id"] for panel in panels] == ["practices", "staff"]
    assert "nhsuk-tabs__panel--hidden" in panels[1].classes
    assert panels[0].find("strong", "nhsuk-tag").text == "in a panel"


def test_tabs_as_links_to_other_pages_mark_the_current_one():
    document = render(
        "tabs.html",
        links=[
            {"label": "Overview", "href": "/n/"},
            {"label": "Practices", "href": "/n/practices/", "current": True},
        ],
    )

    tabs = document.find("nav", "nhsuk-tabs")
    assert "data-module" not in tabs.attrs  # plain links: nothing for the script to take over
    items = tabs.find_all("li", "nhsuk-tabs__list-item")
    assert "nhsuk-tabs__list-item--selected" in items[1].classes
    assert items[1].find("a").attrs["aria-current"] == "page"
    assert "aria-current" not in items[0].find("a").attrs


def test_no_component_has_inline_script_or_style():
    """The site's Content-Security-Policy refuses inline script and style."""
    inline = re.compile(r"<script|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    folder = settings.BASE_DIR / "templates" / "_components"
    for template in sorted(folder.glob("*.html")):
        assert not inline.search(template.read_text()), template.name
