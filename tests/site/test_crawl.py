"""A crawl of the demo data set as each persona, for what a reader must never read.

- Every page each persona can reach on the demo data, and every CSV download those pages
  offer, as each of the nine personas of the suite (anonymous, an outsider, the network's
  viewer and manager, the manager of another network, Sub-ICB, ICB and approver staff, a
  national admin) and the demo's regional viewer, each reading their own network and area:
  no "DOMAIN" nor a notebook source key ("S53", "A.S22"); no "None", "nan", record id or
  storage path; no Django default message; no login where the person's name belongs (every
  demo login is made distinctive first, so that a page showing one is caught); on a page,
  no code repeated after a name that already ends with it and no date with a leading zero.
  A page a persona may not see (403, 404, a redirect) is skipped.
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
# What shows an ODS record as stored, not as people write it, on a page (a download keeps
# the stored values): a code repeated after a name that already ends with it ("Demo North
# ICB - Z1A (Z1A)"), a day of the month with a leading zero ("06 December").
AS_STORED = re.compile(
    r"- ([A-Z0-9]{3,6}) \(\1\)"
    r"|\b0\d (?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
# Every demo login starts with this before the crawl: "manager" or "viewer" are words a
# page may well hold, "login-7f3a-manager" only where a login was shown for a person.
LOGIN_MARK = "login-7f3a-"
CSV_LINK = re.compile(r'href="([^"]*format=csv[^"]*)"')
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tests.reference import ensure, put_back

        ensure()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=io.StringIO())
        mark_logins()
        analyze()
        yield
        call_command("flush", interactive=False, verbosity=0)
        put_back()


def mark_logins():
    """Every demo login made distinctive, and the two personas the demo has no login for:
    someone with no scope and the manager of another network, each with a name."""
    from django.contrib.auth import get_user_model
    from django.db.models import Value
    from django.db.models.functions import Concat

    from networks.actions import assign
    from networks.models import PrimaryCareNetwork

    User = get_user_model()
    User.objects.update(username=Concat(Value(LOGIN_MARK), "username"))
    admin = User.objects.get(username=f"{LOGIN_MARK}admin")
    User.objects.create_user(f"{LOGIN_MARK}outsider", first_name="Olive", last_name="Outsider")
    other = User.objects.create_user(f"{LOGIN_MARK}other", first_name="Otto", last_name="Other")
    another_network = PrimaryCareNetwork.objects.open().exclude(code="U99001").order_by("code")
    assign(user=other, by=admin, scope="pcn", role="editor", organisation=another_network[0])


def text_of(html):
    """What a reader reads: the page without its tags, scripts and styles, but with the
    values of attributes a screen reader or a hover shows."""
    titles = " ".join(re.findall(r'(?:title|aria-label|alt)="([^"]*)"', html))
    return unescape(TAGS.sub(" ", html) + " " + titles)


def pages(pcn, area):
    """Every page's address, with the network's and the area's codes and records for its
    arguments (a pattern whose arguments they cannot fill is left out)."""
    for pattern in bench_pages.site_patterns():
        if pattern.access is None or pattern.name in ("accounts:logout", "admin:logout"):
            continue
        try:
            url = pattern.url(bench_pages.arguments(pattern, pcn, area))
        except (NoReverseMatch, KeyError):
            continue
        yield url


def crawl_personas():
    """(name, user or None, network, area) for each persona: the largest network they may
    see and the area they are assigned to, or the demo's largest network and ICB (where an
    outsider, say, is refused)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from networks.models import PrimaryCareNetwork

    largest, icb = bench_pages.largest_network(), bench_pages.largest_icb()
    yield "anonymous", None, largest, icb
    users = get_user_model().objects.filter(username__startswith=LOGIN_MARK).order_by("username")
    for user in users:
        seen = PrimaryCareNetwork.objects.open().for_user(user).annotate(n=Count("memberships"))
        pcn = seen.order_by("-n", "code").first() or largest
        assignment = user.assignments.first()
        area = assignment and (assignment.sub_icb_location or assignment.icb or assignment.region)
        yield user.username.removeprefix(LOGIN_MARK), user, pcn, area or icb


def not_for_readers(where, text, *, portal, page=True):
    """What the text shows that its reader must not read: the notebook and Django's default
    messages anywhere; on the portal's own pages and downloads (admin lists its records as
    stored, logins and ids among them) what is not for readers and logins; on its pages
    (`page`), ODS records as stored."""
    patterns = [NOTEBOOK, DEFAULT_MESSAGES]
    if portal:
        patterns += [NOT_FOR_READERS, re.compile(re.escape(LOGIN_MARK) + r"\w+")]
    if portal and page:
        patterns.append(AS_STORED)
    return [f"{where}: {m.group(0)!r}" for p in patterns for m in p.finditer(text)]


def crawl(client, urls, downloaded):
    """Each page of `urls` the client may read, and each CSV download it offers that no
    one read before (`downloaded`: a download holds the same words whoever opens it, only
    fewer rows for fewer networks): what they show that is not for readers, and how many
    pages were read."""
    found, read = [], 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        read += 1
        html = response.content.decode()
        portal = not url.startswith("/admin/")
        found += not_for_readers(url, text_of(html), portal=portal)
        for link in dict.fromkeys(CSV_LINK.findall(html)):
            address = unescape(link) if link.startswith("/") else f"{url}{unescape(link)}"
            if address in downloaded:
                continue
            downloaded.add(address)
            download = client.get(address)
            body = b"".join(download.streaming_content) if download.streaming else download.content
            found += not_for_readers(address, body.decode(), portal=portal, page=False)
    return found, read


def test_no_page_or_download_shows_any_persona_what_is_not_for_readers(demo):
    found, read, downloaded = [], {}, set()
    for name, user, pcn, area in crawl_personas():
        client = Client()
        if user is not None:
            client.force_login(user)
        seen, read[name] = crawl(client, pages(pcn, area), downloaded)
        found += [f"as {name}, {what}" for what in seen]
    # Each persona reached the pages they work in: the public directory, their network's
    # pages, their area's pages, admin.
    counts = ", ".join(f"{name} {n}" for name, n in read.items())
    assert len(read) == 10 and min(read.values()) >= 8, counts
    assert read["manager"] > 40 and read["subicb"] > 30 and read["admin"] > 200, counts
    assert not found, "\n".join(dict.fromkeys(found[:80]))


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
