"""Fuzz: every form a network manager or an approver posts, with values hypothesis draws,
for a time budget (FUZZ_MINUTES, default 10; FUZZ_ONLY=agreement for the forms whose URL
name holds it), on the demo data set. Run through
`make fuzz-forms`, which gives it a scratch database.

Each form page is found from the URL conf by its declared access (pcn_portal/access.py:
network write and approver pages, and the commissioner pages with a form of their own),
opened as its persona — the demo manager of the largest network, an approver or a viewer
of its ICB — and posted again and again: each field kept as
the page gave it, left out, or replaced by a drawn value (text of any kind, numbers too
big or too small, dates that are not ones, another choice or none, a tampered hidden
field, a file of random bytes). The form is opened afresh before each post, so its
version and hidden fields are current and valid posts go through to the actions, and the
data drifts as a month of use would.

Prints, by form, how many posts were answered with each class of status, and each server
error with where it was raised; exits 1 when there was any (a 5xx is a defect: bad input
gets a message or a 400).
"""

import collections
import io
import logging
import os
import sys
import time
import traceback
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_pages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from networks.models import PrimaryCareNetwork
from pcn_portal.access import Access, site_patterns

FUZZED = (Access.NETWORK_WRITE, Access.APPROVER)
# Commissioner pages that post a form of their own (opened as the ICB's viewer): the
# commissioner's notes on a network.
AREA_FORMS = {"areas:network_notes"}
# Pages whose POST ends the session or reaches outside the portal.
SKIPPED = {"accounts:logout", "admin:logout"}


class Forms(HTMLParser):
    """The POST forms of a page: each a list of (name, kind, value, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self.current)
        if self.current is None or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            checked = "checked" in a
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio") and not checked:
                value = None
            self.current["fields"].append([a["name"], kind, value, [a.get("value", "on")]])
        elif tag == "select":
            self.select = [a["name"], "select", None, []]
            self.current["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.select[3].append(a.get("value", ""))
            if "selected" in a:
                self.select[2] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = [a["name"], "textarea", "", []]
            self.current["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.current = None


def fields_of(html):
    """The fields of the page's main form (the one with most fields), merged by name: a
    group of radios or checkboxes becomes one field with its options."""
    parser = Forms()
    parser.feed(html)
    if not parser.forms:
        return None
    form = max(parser.forms, key=lambda f: len(f["fields"]))
    merged = {}
    for name, kind, value, options in form["fields"]:
        if name in merged and kind in ("radio", "checkbox"):
            merged[name][3].extend(options)
            if value is not None:
                merged[name][2] = value
        else:
            merged[name] = [name, kind, value, list(options)]
    return list(merged.values())


TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=5000),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e9",
            "NaN",
            "Infinity",
            "99999999999999999999",
            "-0.005",
            "37.5",
            "1,000",
            "£12",
            "2025-13-45",
            "31/02/2025",
            "9999",
            "0001",
            "2100",
            "1947",
            "<script>alert(1)</script>",
            "=1+1",
            "'; DROP TABLE x; --",
            "\u202e",
            "U99001",
            "Z99001",
            "null",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
)


# What each field of a post does with its own draw: keep the page's value (most often), be
# left out, take drawn text, another of its options, or (a file input) random bytes.
CHOICES = ["keep", "keep", "keep", "drop", "drawn", "other"]
FILENAMES = ["evidence.pdf", "a.exe", "", "x" * 300, "../../e.csv", "notes.docx"]
# One draw per field, the same shape whatever the page holds (hypothesis needs the shape of
# its draws not to depend on state outside it): a post uses the first as many as it has
# fields, round again when it has more.
DRAW = st.tuples(
    st.sampled_from(CHOICES),
    TEXT,
    st.binary(max_size=2048),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(FILENAMES),
)
PLAN = st.lists(DRAW, min_size=24, max_size=24)


def field_value(field, draw):
    name, kind, value, options = field
    choice, text, blob, pick, filename = draw
    if name == "csrfmiddlewaretoken" or choice == "keep":
        return value
    if choice == "drop":
        return None
    if kind == "file":
        return SimpleUploadedFile(filename or "file", blob)
    if choice == "other" and options:
        return options[pick % len(options)]
    return text


def post_data(fields, plan):
    data = {}
    for index, field in enumerate(fields):
        value = field_value(field, plan[index % len(plan)])
        if value is not None:
            data[field[0]] = value
    return data


def fuzzer(client, url, statuses):
    """A hypothesis test that opens the form afresh and posts drawn values to it, counting
    the answers by class of status in `statuses`."""

    @settings(max_examples=25, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(PLAN)
    def fuzz(plan):
        page = client.get(url)
        fields = fields_of(page.content.decode()) if page.status_code == 200 else None
        if not fields:
            statuses[f"{page.status_code // 100}xx (form gone)"] += 1
            return
        response = client.post(url, post_data(fields, plan))
        statuses[f"{response.status_code // 100}xx"] += 1

    return fuzz


def targets(pcn, icb):
    """(pattern name, persona, url) of every form page to fuzz."""
    users = bench_pages.personas(pcn, icb)
    for pattern in site_patterns():
        fuzzed = pattern.access in FUZZED or pattern.name in AREA_FORMS
        if not fuzzed or pattern.name in SKIPPED:
            continue
        if os.environ.get("FUZZ_ONLY", "") not in pattern.name:
            continue
        values = bench_pages.arguments(pattern, pcn, icb)
        yield pattern.name, users[pattern.access], pattern.url(values)


def main():
    minutes = float(os.environ.get("FUZZ_MINUTES", "10"))
    # Server errors are caught below with their tracebacks; the log and the e-mails the
    # forms send would only drown the figures.
    logging.disable(logging.ERROR)
    override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    ).enable()
    if not PrimaryCareNetwork.objects.exists():
        call_command("seed_demo", stdout=io.StringIO())
    pcn, icb = bench_pages.largest_network(), bench_pages.largest_icb()
    errors = []
    got_request_exception.connect(
        lambda sender, request, **kw: errors.append(
            (request.path, "".join(traceback.format_exc(limit=-3)))
        ),
        weak=False,
    )
    clients, pages = {}, []
    for name, user, url in targets(pcn, icb):
        client = clients.setdefault(user.username, Client(raise_request_exception=False))
        client.force_login(user)
        response = client.get(url)
        if response.status_code == 200 and fields_of(response.content.decode()):
            pages.append((name, client, url))
        else:
            print(f"  no form to fuzz: {name} {url} ({response.status_code})")
    budget = minutes * 60 / max(len(pages), 1)
    print(f"Fuzzing {len(pages)} forms for {minutes:g} minutes ({budget:.0f} s each)")
    table, started = [], time.monotonic()
    for name, client, url in pages:
        statuses = collections.Counter()

        fuzz = fuzzer(client, url, statuses)
        until = time.monotonic() + budget
        while time.monotonic() < until:
            fuzz()
        table.append((name, statuses))
        print(f"  {name:40} " + "  ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))

    total = sum((s for _, s in table), collections.Counter())
    posts = sum(v for k, v in total.items() if "form gone" not in k)
    print(f"\n{posts:,} posts to {len(table)} forms in {(time.monotonic() - started) / 60:.1f} "
          f"minutes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(total.items())))  # fmt: skip
    server_errors = sum(v for k, v in total.items() if k.startswith("5"))
    print(f"Server errors: {server_errors}")
    seen = set()
    for path, trace in errors:
        last = trace.strip().splitlines()[-1]
        if (path, last) not in seen:
            seen.add((path, last))
            print(f"\n{path}\n{trace}")
    sys.exit(1 if server_errors else 0)


if __name__ == "__main__":
    main()
