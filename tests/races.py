"""Add forms sent at the same moment over real HTTP, by two people each in their own
browser session: the cases the race tests (tests/site/test_races.py) and `make
bench-races` (scripts/bench_races.py) share.

Each case is one add form of a network's pages. Its copies are sent at once, from threads
released together, alternately as each of the two users:

- identical: one form (one token, the same values) sent N times, as a double click or a
  second tab would: one record is expected;
- different: N forms, each opened on its own (its own token) with values of its own: N
  records are expected, or one where the copies are for the same thing (the claim for one
  month, one care home, one practice joining) and the others are refused in the product's
  words.

Every answer is a redirect (saved, or already saved), or the form again with an error
summary (refused); never a server error. Records are counted by the words each case puts
in them, so rounds and cases never count each other's.
"""

import datetime
import functools
import itertools
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import requests
from django.conf import settings
from django.test import Client

from pcn_portal.core.dates import financial_year_of, today
from practices import actions as practice_actions
from services.models import ServiceSpecification
from tests.pages import date_fields
from workforce import actions as workforce_actions
from workforce.models import ARRSRole

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TIMEOUT = 60


class Browser:
    """One user's session over HTTP: signed in (the session made in the database the
    server reads), its cookies sent by hand (a production session cookie is Secure, which
    a client would not send over plain HTTP to 127.0.0.1)."""

    def __init__(self, base_url, user):
        self.base_url = base_url.rstrip("/")
        client = Client()
        client.force_login(user)
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }

    def _headers(self):
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def open(self, path, action):
        """The hidden fields of the page's form that posts to `action` (CSRF token,
        one-time token)."""
        response = requests.get(self.base_url + path, headers=self._headers(), timeout=TIMEOUT)
        response.raise_for_status()
        self.cookies.update(response.cookies.get_dict())
        return add_form_fields(response.text, action)

    def post(self, path, data, files=None):
        response = requests.post(
            self.base_url + path,
            data=data,
            files=files,
            headers=self._headers(),
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        return Answer(response.status_code, response.text)


class FormFields(HTMLParser):
    """The address and hidden inputs of each <form method="post"> of a page."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {}
            self.forms.append((attrs.get("action") or "", self.current))
        elif tag == "input" and self.current is not None and attrs.get("type") == "hidden":
            self.current[attrs.get("name")] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def add_form_fields(html, action):
    """The hidden fields of the page's form that posts to `action` (or to the page
    itself): its CSRF token and its one-time token, if it carries one."""
    parser = FormFields()
    parser.feed(html)
    found = next((f for to, f in parser.forms if to in ("", action)), None)
    if found is None:
        raise AssertionError(f"The page has no form that posts to {action}.")
    return found


@dataclass
class Answer:
    status: int
    html: str

    @property
    def words(self):
        """The page's text, as a reader reads it."""
        parser = HTMLParser()
        parts = []
        parser.handle_data = parts.append
        parser.feed(self.html)
        return " ".join("".join(parts).split())


@dataclass
class Case:
    """One add form: the page it is on, where it posts (both under the network), the
    values of copy i, how many of its records there are now, and the words that refuse a
    copy for the same thing (without them: the error summary)."""

    name: str
    page: str
    action: str
    values: object  # i → the form's values
    made: object  # () → its records now
    same_thing: bool = False  # different copies are for the same thing: one record expected
    refusal: str = ""
    files: object = None  # i → files to upload

    def expected(self, identical, n):
        return 1 if identical or self.same_thing else n

    def kind(self, answer):
        """saved (a redirect: saved, or already saved), refused (the page again, saying
        why in the product's words), 5xx, or the status of anything else."""
        if answer.status >= 500:
            return "5xx"
        if answer.status == 302:
            return "saved"
        if answer.status == 200:
            if self.refusal and self.refusal in answer.words:
                return "refused"
            if not self.refusal and "nhsuk-error-summary" in answer.html:
                return "refused"
        return str(answer.status)


@dataclass
class Outcome:
    case: Case
    identical: bool
    expected: int
    made: int
    answers: list = field(default_factory=list)

    @property
    def lost(self):
        return max(0, self.expected - self.made)

    @property
    def doubled(self):
        return max(0, self.made - self.expected)

    def count(self, kind):
        return sum(1 for a in self.answers if self.case.kind(a) == kind)

    @property
    def unclear(self):
        """Answers that are neither a save, nor a refusal in words, nor a server error."""
        return [a for a in self.answers if self.case.kind(a) not in ("saved", "refused", "5xx")]


def send(case, browsers, base, *, identical, n):
    """Send n copies of the case's form at the same moment, alternately as each browser,
    and count what they made."""
    before = case.made()
    page, action = base + case.page, base + case.action
    if identical:  # one form: each browser's session sends the token the first was given
        opened = [b.open(page, action) for b in browsers]
        token = opened[0].get("submission")
        pages = [(b, {**f, "submission": token}) for b, f in zip(browsers, opened, strict=True)]
        pages = [pages[i % len(pages)] for i in range(n)]
    else:  # a form each, opened on its own
        pages = [(b, b.open(page, action)) for b in itertools.islice(itertools.cycle(browsers), n)]
    start = threading.Barrier(n)
    answers = [None] * n

    def one(i):
        browser, fields = pages[i]
        copy = 0 if identical else i
        data = {**fields, **case.values(copy)}
        files = case.files(copy) if case.files else None
        start.wait(timeout=TIMEOUT)
        answers[i] = browser.post(base + case.action, data, files)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    return Outcome(case, identical, case.expected(identical, n), case.made() - before, answers)


class RaceWorld:
    """What the cases are sent to: a network, the user the preparations are made as (a
    claim started, a post added, a practice to join, through the actions as a manager
    would), and a counter giving each case its own words, days and codes."""

    def __init__(self, pcn, manager):
        self.pcn = pcn
        self.manager = manager
        self.counter = itertools.count(1)
        self.role = ARRSRole.objects.get(code="clinical-pharmacist")
        self.claimed = set(pcn.claims.values_list("month", flat=True))

    @property
    def base(self):
        return f"/networks/{self.pcn.code}/"

    def tag(self):
        return f"Race {next(self.counter)}"

    def free_month(self):
        """A month from April 2021 (past the first years' caps on posts) the network has
        no claim for yet."""
        month = D(2021, 4, 1)
        while month in self.claimed:
            month = D(month.year + month.month // 12, month.month % 12 + 1, 1)
        self.claimed.add(month)
        return month

    def post_in(self, month, full_name):
        return workforce_actions.add_post(
            pcn=self.pcn,
            by=self.manager,
            full_name=full_name,
            role=self.role,
            employer_type="lead_provider",
            start_date=month,
            end_date=month + datetime.timedelta(days=27),
            weekly_hours=Decimal("37.5"),
            afc_band="7",
            annual_salary=Decimal(48000),
            annual_employer_ni=Decimal(5500),
            annual_employer_pension=Decimal(6700),
        )

    def new_practice(self):
        number = next(self.counter)
        return practice_actions.create_practice(
            by=self.manager,
            code=f"Z68{number % 1000:03d}",
            name=f"RACE SURGERY {number}",
            commissioner=self.pcn.lead_commissioner,
            open_date=D(2000, 4, 1),
        )

    def requirement(self):
        """A requirement in force this financial year, and its page's address."""
        year = financial_year_of(today())
        spec = ServiceSpecification.objects.in_year(year).order_by("code").first()
        requirement = spec.requirements.in_year(year).order_by("code").first()
        return f"services/{year}/{spec.code}/requirements/{requirement.code}/"


# --- the add forms of a network's pages: each builder gives a case with words (and days,
# codes, months) of its own, made ready as a manager would (a claim started, a practice
# to join).

BUILDERS = {}


def builds(name):
    def register(builder):
        BUILDERS[name] = functools.partial(builder, name)
        return builder

    return register


@builds("clinical-directors/add")
def director(name, world):
    """One-day spells on days of their own, long before any director now in post, so each
    copy is the only director that day (the shares of the directors in post on a day add
    up to 1 at most)."""
    tag, pcn = world.tag(), world.pcn
    first = D(1960, 1, 1) + datetime.timedelta(days=next(world.counter) * 50)
    return Case(
        name,
        "clinical-directors/add/",
        "clinical-directors/add/",
        lambda i: {
            "full_name": f"{tag} director {i}",
            "profession": "gp",
            "share": "1",
            **date_fields("start_date", first + datetime.timedelta(days=i)),
            **date_fields("end_date", first + datetime.timedelta(days=i)),
        },
        lambda: pcn.clinical_directors.filter(full_name__startswith=tag).count(),
    )


@builds("team/add")
def team_member(name, world):
    tag, pcn = world.tag(), world.pcn
    return Case(
        name,
        "team/add/",
        "team/add/",
        lambda i: {
            "full_name": f"{tag} member {i}",
            "role": "administrator",
            **date_fields("start_date", D(2025, 4, 1)),
        },
        lambda: pcn.team.filter(full_name__startswith=tag).count(),
    )


@builds("partners/add (new partner)")
def collaboration(name, world):
    """Every copy names the same new partner, as two managers adding the same trust at once
    would: one partner is made, and each collaboration kept."""
    tag, pcn = world.tag(), world.pcn
    return Case(
        name,
        "partners/add/",
        "partners/add/",
        lambda i: {
            "partner": "",
            "partner_name": f"{tag} Community Trust",
            "partner_kind": "community",
            "description": f"{tag} copy {i}",
            **date_fields("start_date", D(2025, 4, 1)),
        },
        lambda: pcn.collaborations.filter(description__startswith=tag).count(),
    )


@builds("care-homes/add")
def care_home(name, world):
    tag, pcn, number = world.tag(), world.pcn, next(world.counter)
    return Case(
        name,
        "services/care-homes/add/",
        "services/care-homes/add/",
        lambda i: {
            "cqc_location_id": f"1-{number:05d}{i:04d}",
            "name": f"{tag} Care Home {i}",
            "home_type": "with_nursing",
            "beds": "30",
            **date_fields("start_date", D(2025, 4, 1)),
        },
        lambda: pcn.care_home_alignments.filter(home__name__startswith=tag).count(),
    )


@builds("care-homes/add (one home)")
def one_care_home(name, world):
    """Every copy aligns the same new home (one CQC location): it is aligned once."""
    tag, pcn, number = world.tag(), world.pcn, next(world.counter)
    return Case(
        name,
        "services/care-homes/add/",
        "services/care-homes/add/",
        lambda i: {
            "cqc_location_id": f"1-{number:05d}9999",
            "name": f"{tag} Care Home",
            "home_type": "with_nursing",
            "beds": "30",
            **date_fields("start_date", D(2025, 4, 1)),
        },
        lambda: pcn.care_home_alignments.filter(home__name__startswith=tag).count(),
        same_thing=True,
        refusal="A care home is aligned to one network on any day",
    )


@builds("priorities/add")
def priority(name, world):
    tag, pcn = world.tag(), world.pcn
    return Case(
        name,
        "services/priorities/add/",
        "services/priorities/add/",
        lambda i: {
            "title": f"{tag} priority {i}",
            "status": "planned",
            **date_fields("start_date", D(2025, 4, 1)),
        },
        lambda: pcn.local_priorities.filter(title__startswith=tag).count(),
    )


@builds("requirement evidence")
def evidence(name, world):
    """A note and an uploaded file for a requirement in force this year."""
    tag, pcn, requirement = world.tag(), world.pcn, world.requirement()
    return Case(
        name,
        requirement,
        requirement + "evidence/",
        lambda i: {"note": f"{tag} evidence {i}"},
        lambda: pcn.service_evidence.filter(note__startswith=tag).count(),
        files=lambda i: {"file": (f"minutes {i}.pdf", PDF, "application/pdf")},
    )


@builds("posts/add")
def post(name, world):
    tag, pcn = world.tag(), world.pcn
    return Case(
        name,
        "workforce/posts/add/",
        "workforce/posts/add/",
        lambda i: {
            "full_name": f"{tag} pharmacist {i}",
            "role": world.role.pk,
            "employer_type": "lead_provider",
            **date_fields("start_date", D(2025, 4, 1)),
            "weekly_hours": "37.5",
            "afc_band": "7",
            "annual_salary": "48000",
            "annual_employer_ni": "5500",
            "annual_employer_pension": "6700",
            "london_zone": "national",
            "arrs_funded": "on",
        },
        lambda: pcn.posts.filter(staff_member__full_name__startswith=tag).count(),
    )


@builds("claims/start")
def claim_start(name, world):
    """Every copy asks for the same month, as two people starting it at once would: the
    claim is started once, and the others are told it exists."""
    pcn, month = world.pcn, world.free_month()
    return Case(
        name,
        "workforce/claims/start/",
        "workforce/claims/start/",
        lambda i: {"month": f"{month:%Y-%m}"},
        lambda: pcn.claims.filter(month=month).count(),
        same_thing=True,
        refusal=f"already has a claim for {month:%B %Y}: open it",
    )


@builds("claims/<month>/add-lines")
def claim_lines(name, world):
    """A claim started before a post of its month was added: the post's line is added
    once, and a later copy finds every post with its line."""
    month = world.free_month()
    claim = workforce_actions.start_claim(pcn=world.pcn, by=world.manager, month=month)
    late = world.post_in(month, f"{world.tag()} late starter")
    lines = f"workforce/claims/{month:%Y-%m}/add-lines/"
    return Case(
        name,
        lines,
        lines,
        lambda i: {},
        lambda: claim.lines.filter(post=late).count(),
        same_thing=True,
        refusal="has a line in the claim",
    )


@builds("practices/join")
def join(name, world):
    """A practice joining (the confirmation sent): every copy is for the same practice
    and day, and a practice is in one network on any day."""
    pcn, practice = world.pcn, world.new_practice()
    return Case(
        name,
        "practices/join/",
        "practices/join/",
        lambda i: {
            "practice_code": practice.code,
            **date_fields("start_date", D(2025, 4, 1)),
            "confirm": "1",
        },
        lambda: pcn.memberships.filter(practice=practice).count(),
        same_thing=True,
        refusal="a member of",
    )
