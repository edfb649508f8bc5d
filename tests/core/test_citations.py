"""A figure's sources read as their publishers name them: title, issuer, date, section or
table, with a link on the page and the address in a download."""

from types import SimpleNamespace

from pcn_portal.core.citations import Citation, citation_html, citation_text

SPEC = SimpleNamespace(
    title="Network Contract DES Contract Specification 2024/25",
    issuer="NHS England",
    published="April 2024",
    link="https://www.england.nhs.uk/spec-2024-25.pdf",
)
ARTICLE = SimpleNamespace(title="PCNs can claim more", issuer="Pulse PCN", published="", link="")


def test_a_citation_names_title_issuer_date_and_section():
    assert citation_text([SPEC], "Table 2") == (
        "Network Contract DES Contract Specification 2024/25 – NHS England, April 2024, Table 2"
    )


def test_on_the_page_the_title_links_to_the_document():
    html = citation_html([SPEC], "Table 2")
    assert html == (
        '<a href="https://www.england.nhs.uk/spec-2024-25.pdf">Network Contract DES Contract '
        "Specification 2024/25</a> – NHS England, April 2024, Table 2"
    )


def test_a_document_without_a_date_or_link_says_what_is_known():
    assert citation_text([ARTICLE]) == "PCNs can claim more – Pulse PCN"
    assert citation_html([ARTICLE]) == "PCNs can claim more – Pulse PCN"


def test_several_documents_are_each_cited():
    assert citation_text([SPEC, ARTICLE]) == (
        "Network Contract DES Contract Specification 2024/25 – NHS England, April 2024; "
        "PCNs can claim more – Pulse PCN"
    )


def test_a_download_spells_out_the_link_and_the_page_links_it():
    cited = Citation([SPEC], "Table 2", words="ARRS allocation rate 2024/25")
    assert str(cited) == (
        "ARRS allocation rate 2024/25; Network Contract DES Contract Specification 2024/25 – "
        "NHS England, April 2024 <https://www.england.nhs.uk/spec-2024-25.pdf>, Table 2"
    )
    assert '<a href="https://www.england.nhs.uk/spec-2024-25.pdf">' in cited.html()
    assert cited.html().startswith("ARRS allocation rate 2024/25; ")


def test_titles_are_escaped_on_the_page():
    odd = SimpleNamespace(title="<b>x</b>", issuer="A & B", published="", link="")
    assert citation_html([odd]) == "&lt;b&gt;x&lt;/b&gt; – A &amp; B"
