"""How a figure's public sources read, on a page and in a download.

A user checking a maximum amount or a rule needs the public document it comes from, as its
publisher names it: "New ARRS pharmacist funding confirmed by NHS England – The Pharmacist,
April 2025", then the section or table where there is one, and a link to it. Never the
portal's own key for the document. The documents are `networks.models.Source` records;
anything with `title`, `issuer`, `published` and `link` attributes reads the same, so this
module imports no app.
"""

from types import SimpleNamespace

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

NO_SOURCE = "No published source gives this figure."


def sources_of(row):
    """A cited row's sources: those read with the row (`source_list`, each a mapping of
    title, issuer, published and link) when its query read them, else its `sources`."""
    listed = getattr(row, "source_list", None)
    if listed is None:
        return row.sources.all()
    return [SimpleNamespace(**source) for source in listed]


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


class Citation:
    """Where a figure comes from, for a table cell: our own words (if any) then the public
    documents. On the page (`html`, or through the template's __html__) each title links to
    its document; in a download (`str`) each link is spelt out after its title."""

    def __init__(self, sources=(), section="", words=""):
        self.sources, self.section, self.words = list(sources), section, words

    @classmethod
    def of(cls, row, words=""):
        """A reference row's citation (a row with `sources` and `section`; its sources as
        read with it, `source_list`, when the query read them)."""
        return cls(sources_of(row), row.section, words)

    def __bool__(self):
        return bool(self.sources or self.words)

    def __str__(self):
        cited = citation_with_links(self.sources, self.section)
        return "; ".join(part for part in (self.words, cited) if part)

    def html(self):
        cited = citation_html(self.sources, self.section)
        if self.words and cited:
            return format_html("{}; {}", self.words, cited)
        return format_html("{}", self.words) if self.words else cited

    __html__ = html


def citation_cell(value):
    """A table column's format for a Citation (or plain words)."""
    return value.html() if isinstance(value, Citation) else value
