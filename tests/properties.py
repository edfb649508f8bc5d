"""How many examples each property test tries: hypothesis's profiles.

"suite", the default, keeps `make test` quick. HYPOTHESIS_PROFILE=thorough tries ten times
as many; HYPOTHESIS_PROFILE=bench (make bench-hostile) 10,000 a reader test. A test whose
examples are slow takes a share of the profile's count (examples()). tests/conftest.py
imports this module, so the profile is loaded before any test module is and every module
sees the one the environment names.
"""

import os

from hypothesis import HealthCheck, settings

COMMON = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("suite", max_examples=120, derandomize=False, **COMMON)
settings.register_profile("thorough", max_examples=1_200, **COMMON)
settings.register_profile("bench", max_examples=10_000, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def examples(share):
    """The profile's number of examples divided by `share` (at least one): a property test
    whose every example writes to the database takes fewer than one of a pure function."""
    return max(1, settings().max_examples // share)
