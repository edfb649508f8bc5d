"""The reference data as the data modules give it today, for a database a test emptied."""

from services import reference_data as services_data
from services.reference import load_premium_rates, load_specifications
from workforce import reference_data as workforce_data
from workforce.reference import load_arrs, load_ring_fenced_sums


def load_current(apps):
    """What a database migrated from nothing holds."""
    load_arrs(apps, workforce_data)
    load_ring_fenced_sums(apps, workforce_data.RING_FENCED_SUMS)
    load_specifications(apps, services_data)
    load_premium_rates(apps, services_data)
