"""Demo data for the ARRS budget page: one network whose commissioner entered its weighted
population at 1 January 2025, so the page shows the figure taking precedence."""

from decimal import Decimal

from networks.models import PrimaryCareNetwork
from practices import actions as practice_actions

# U99002 (Moorland): its commissioner's figure, slightly above the members' sum.
COMMISSIONER_FIGURE = (
    "U99002",
    2025,
    Decimal("24350.00"),
    "DEMO letter from the Sub-ICB, 3 Feb 2025",
)


def commissioner_figures(admin):
    code, year, figure, source = COMMISSIONER_FIGURE
    practice_actions.set_network_weighted_population(
        pcn=PrimaryCareNetwork.objects.get(code=code),
        by=admin,
        financial_year=year,
        weighted_patients=figure,
        source=source,
    )
