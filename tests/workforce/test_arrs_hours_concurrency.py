"""Two network managers adding posts to the same network at the same moment, each in their
own database connection: both posts are kept, and the network's ARRS hours count both."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from tests.factories import PostFactory, PrimaryCareNetworkFactory
from tests.workforce.test_arrs_hours import assert_kept, kept
from workforce.models import Post

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)


def test_two_posts_saved_at_once_both_count():
    pcn = PrimaryCareNetworkFactory()
    first_saved = threading.Event()
    second_started = threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                PostFactory(pcn=pcn, start_date=D(2025, 4, 1), weekly_hours=Decimal("37.5"))
                first_saved.set()
                # Still inside the first transaction while the second saves.
                second_started.wait(timeout=10)
                threading.Event().wait(0.5)
            outcomes["first"] = "saved"
        except Exception as error:
            outcomes["first"] = repr(error)
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(timeout=10)
            second_started.set()
            PostFactory(pcn=pcn, start_date=D(2025, 4, 1), weekly_hours=Decimal("18.75"))
            outcomes["second"] = "saved"
        except Exception as error:
            outcomes["second"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"first": "saved", "second": "saved"}
    assert Post.objects.filter(pcn=pcn).count() == 2
    assert kept(pcn, D(2025, 4, 1)) == Decimal("56.25")
    assert_kept(pcn)
