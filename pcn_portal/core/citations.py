"""How a figure's public sources read, on a page and in a download.

A user checking a maximum amount or a rule needs the public document it comes from, as its
publisher names it: "New ARRS pharmacist funding confirmed by NHS England – The Pharmacist,
April 2025", then the section or table where there is one, and a link to it. Never the
portal's own key for the document. The documents are `networks.models.Source` records;
anything with `title`, `issuer`, `published` and `link` attributes reads the same, so this
module imports no app.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

NO_SOURCE = "No published source gives this figure."


def _tail(source):
    """– Issuer, date published (whichever are known)."""
    parts = [part for part in (source.issuer, source.published) if part]
    return (" – " + ", ".join(parts)) if parts else ""


def citation_text(sources, section=""):
    """The sources as plain text, joined with "; ", the section or table after the last:
    "Title – Issuer, April 2025, Table 2". Empty when there are none."""
    sources = list(sources)
    if not sources:
        return ""
    text = "; ".join(f"{source.title}{_tail(source)}" for source in sources)
    return f"{text}, {section}" if section else text


def citation_with_links(sources, section=""):
    """citation_text with each link beside its title, for a download: a spreadsheet has no
    links, so the address is spelt out."""
    sources = list(sources)
    if not sources:
        return ""
    text = "; ".join(
        f"{source.title}{_tail(source)}" + (f" <{source.link}>" if source.link else "")
        for source in sources
    )
    return f"{text}, {section}" if section else text


def citation_html(sources, section=""):
    """The sources as HTML: each title a link to the document where there is one."""
    sources = list(sources)
    if not sources:
        return ""
    html = format_html_join(
        "; ",
        "{}{}",
        (
            (
                format_html('<a href="{}">{}</a>', source.link, source.title)
                if source.link
                else source.title,
                _tail(source),
            )
            for source in sources
        ),
    )
    return format_html("{}, {}", html, section) if section else mark_safe(html)
