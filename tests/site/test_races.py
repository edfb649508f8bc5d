"""Every add form sent at the same moment, over real HTTP against the live server (each
request in a thread and a database connection of its own), as a network manager and a
national admin each in their own session, a few rounds over: a copy of one form (a double
click) saves once, different forms each save, and copies for the same thing save once
and refuse the rest in the product's words. Never a server error, never a record lost or
doubled (the cases: tests/races.py)."""

import pytest

from networks.models import PartnerOrganisation
from tests.races import BUILDERS, Browser, RaceWorld, send

# One test for every form: a test outside a transaction empties the database after it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.heavy]

ROUNDS = 3
COPIES = 4


@pytest.fixture
def race_world(world, reference_data, network_manager):
    return RaceWorld(world["pcn"], network_manager)


@pytest.fixture
def browsers(live_server, network_manager, superuser):
    return [Browser(live_server.url, network_manager), Browser(live_server.url, superuser)]


def check(outcome):
    case = outcome.case
    assert outcome.count("5xx") == 0, [a.words[:500] for a in outcome.answers if a.status >= 500]
    assert not outcome.unclear, [(a.status, a.words[:500]) for a in outcome.unclear]
    assert (outcome.made, outcome.lost, outcome.doubled) == (outcome.expected, 0, 0)
    if outcome.identical or not case.same_thing:
        assert outcome.count("saved") == COPIES
    else:
        assert (outcome.count("saved"), outcome.count("refused")) == (1, COPIES - 1)


def test_copies_of_a_form_save_once_and_different_forms_each_save(race_world, browsers, subtests):
    for name, build in BUILDERS.items():
        with subtests.test(form=name):
            for _ in range(ROUNDS):
                for identical in (True, False):
                    case = build(race_world)
                    check(send(case, browsers, race_world.base, identical=identical, n=COPIES))
            if name == "partners/add (new partner)":  # each round's new partner made once
                partners = PartnerOrganisation.objects.filter(name__endswith="Community Trust")
                assert partners.count() == ROUNDS * 2
