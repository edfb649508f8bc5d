"""A crawl of the demo data set as each persona, for what a reader must never read.

- Pages cite public documents, never the team's notebook: every page, as each persona who
  may open it, and every CSV download those pages offer, holds no "DOMAIN" and no notebook
  source key ("S53", "A.S22").
- Every form a manager or an approver posts, sent empty, too long, too large, negative and
  malformed, answers in the product's words: never one of Django's default messages, never
  a server error."""

import io
import re
import sys
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import NoReverseMatch

from tests.db import analyze

# The longest module of the suite (the demo seeded, then two walks over it): started first.
pytestmark = [pytest.mark.heavy(cost=3), pytest.mark.django_db]

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import bench_pages  # noqa: E402  (the personas and URL arguments of make bench-pages)
import fuzz_forms  # noqa: E402  (the form pages and their fields, as make fuzz-forms finds them)

from pcn_portal.core.form_messages import DEFAULT_MESSAGES  # noqa: E402

# "DOMAIN", a key of the appendix's list, or one of the notebook's own list ("S53"), but not
# a Sheffield postcode ("S10 2TN") nor a part of a longer word or code.
NOTEBOOK = re.compile(r"DOMAIN|(?<![\w.])A\.S\d{1,3}\b|(?<![\w.])S\d{1,3}\b(?!\s?\d[A-Z]{2})")
# What a reader must never read: Python's None or NaN shown for a missing value, a record's
# id ("record 123", "id 45", "pk=6"), or where a file is kept on the server.
NOT_FOR_READERS = re.compile(
    r"(?<![\w-])(?:None|nan|NaN)(?![\w-])|\brecord \d+\b|\bid \d+\b|\bpk=\d|/work/|/tmp/|/var/"
)
CSV_LINK = re.compile(r'href="([^"]*format=csv[^"]*)"')
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tests.reference import ensure, put_back

        ensure()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=io.StringIO())
        analyze()
        yield
        call_command("flush", interactive=False, verbosity=0)
        put_back()


def text_of(html):
    """What a reader reads: the page without its tags, scripts and styles, but with the
    values of attributes a screen reader or a hover shows."""
    titles = " ".join(re.findall(r'(?:title|aria-label|alt)="([^"]*)"', html))
    return unescape(TAGS.sub(" ", html) + " " + titles)


def pages(pcn, icb):
    for pattern in bench_pages.site_patterns():
        if pattern.access is None or pattern.name in ("logout", "admin:logout"):
            continue
        try:
            url = pattern.url(bench_pages.arguments(pattern, pcn, icb))
        except (NoReverseMatch, KeyError):
            continue
        yield pattern, url


def test_no_page_or_download_names_the_notebook_or_shows_what_is_not_for_readers(demo):
    pcn, icb = bench_pages.largest_network(), bench_pages.largest_icb()
    users = bench_pages.personas(pcn, icb)
    found, read = [], 0
    for pattern, url in pages(pcn, icb):
        client = Client()
        if users[pattern.access] is not None:
            client.force_login(users[pattern.access])
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        read += 1
        html = response.content.decode()
        text = text_of(html)
        found += [f"{url}: {m.group(0)!r}" for m in NOTEBOOK.finditer(text)]
        if not url.startswith("/admin/"):  # the portal's pages; admin lists its own records
            found += [f"{url}: {m.group(0)!r}" for m in NOT_FOR_READERS.finditer(text)]
        for link in dict.fromkeys(CSV_LINK.findall(html)):
            download = client.get(unescape(link) if link.startswith("/") else f"{url}{link}")
            body = b"".join(download.streaming_content) if download.streaming else download.content
            found += [f"{link}: {m.group(0)!r}" for m in NOTEBOOK.finditer(body.decode())]
            if not url.startswith("/admin/"):
                body_text = body.decode()
                found += [f"{link}: {m.group(0)!r}" for m in NOT_FOR_READERS.finditer(body_text)]
    assert read > 50  # the crawl reached the site's pages
    assert not found, "\n".join(found[:60])


# Each way a person gets a field wrong, as the value put in every field of its kind.
BAD_VALUES = {
    "empty": {"text": "", "textarea": "", "select": "", "radio": None, "checkbox": None},
    "too long": {"text": "x" * 10_001, "textarea": "x" * 10_001},
    "too large": {"text": "9" * 15},
    "negative": {"text": "-1"},
    "malformed": {"text": "abc£", "select": "not-a-choice", "radio": "not-a-choice"},
}


def bad_post(fields, values):
    """The form's own values, each visible field of a kind `values` names replaced."""
    data = {}
    for name, kind, value, _ in fields:
        if kind in ("hidden", "file") or name == "csrfmiddlewaretoken" or kind not in values:
            new = value
        else:
            new = values[kind]
        if new is not None:
            data[name] = new
    return data


def form_fields(client, url):
    """The fields of the form on the page as it opens, or None when it has none.

    A refused post saved nothing, so the form as first opened is still the form to send
    the next bad values in (its one-time token was not spent, its version not changed):
    the page is opened again only after an answer that was not a refusal."""
    page = client.get(url)
    if page.status_code != 200:
        return None
    return fuzz_forms.fields_of(page.content.decode()) or None


def test_every_form_answers_bad_values_in_its_own_words(demo):
    pcn, icb = bench_pages.largest_network(), bench_pages.largest_icb()
    found, posted, refused = [], 0, 0
    for name, user, url in fuzz_forms.targets(pcn, icb):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        fields = None
        for how, values in BAD_VALUES.items():
            fields = fields or form_fields(client, url)
            if not fields:
                break
            response = client.post(url, bad_post(fields, values))
            posted += 1
            if response.status_code >= 500:
                found.append(f"{name} ({how}): {response.status_code}")
                fields = None
                continue
            words = text_of(response.content.decode())
            if "There is a problem" in words:
                refused += 1
            else:
                fields = None  # saved, perhaps: open the form afresh (its version, a new token)
            found += [f"{name} ({how}): {m.group(0)!r}" for m in DEFAULT_MESSAGES.finditer(words)]
    assert posted > 100 and refused > 60  # the walk reached the forms and their messages
    assert not found, "\n".join(dict.fromkeys(found))
