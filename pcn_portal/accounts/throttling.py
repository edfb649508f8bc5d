"""Login throttling that locks the one person guessing, not everyone behind their address.

django-axes counts failures per group of lockout parameters and compares the largest
count with one limit. Counting a username alone would let anyone lock a named user out;
counting an address alone at the same limit would lock out a whole practice or trust
behind one shared NHS address after one person's typos. So failures are counted for the
pair (this username from this address), locked at LOGIN_FAILURE_LIMIT, and for the
address alone, locked only at LOGIN_ADDRESS_FAILURE_LIMIT, far higher: enough to stop one
address trying password after password across many usernames.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

PAIR = ["username", "ip_address"]
ADDRESS = ["ip_address"]
LOCKOUT_PARAMETERS = [PAIR, ADDRESS]


def failures(attempts):
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class PairThenAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, with the address's failures weighed against its own, higher
    limit: its count is scaled to the pair's limit, so axes' one comparison locks the pair
    at LOGIN_FAILURE_LIMIT and the address at LOGIN_ADDRESS_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None):
        pair_limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        groups = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        counts = []
        for group, found in zip(groups, attempts, strict=True):
            count = failures(found)
            if list(group if isinstance(group, list | tuple) else [group]) == ADDRESS:
                count = count * pair_limit // address_limit
            counts.append(count)
        return max(counts, default=0)
