"""Loading the national service specifications (services/reference_data.py) into the
database.

Data migrations call this once, with the historical models and a frozen copy of the data
they load (so editing reference_data.py never gives old and new databases different
figures). Rows that exist already are left as they are, so a national admin's correction
in the admin is never overwritten; revised figures ship as new migrations.
"""

from decimal import Decimal

import pghistory

from networks.migrations._sources_0003 import KEYS
from networks.sources import cite, sourced
from pcn_portal.core.reference import value as _value


def _sourced(apps, Model, lookup, defaults, source):
    return sourced(
        apps, Model, lookup, defaults, source, lambda apps, row, text: cite(apps, row, text, KEYS)
    )


def load_specifications(apps, data):
    ServiceSpecification = apps.get_model("services", "ServiceSpecification")
    Requirement = apps.get_model("services", "Requirement")

    with pghistory.context(process="migrate: national reference data"):
        for entry in data.SPECIFICATIONS:
            defaults = {
                "name": _value(entry, "name"),
                "start_date": _value(entry, "start_date"),
                "end_date": _value(entry, "end_date"),
                "fate": _value(entry, "fate") or "",
            }
            if _value(entry, "kind"):  # otherwise the model's default, a specification
                defaults["kind"] = _value(entry, "kind")
            spec, _ = _sourced(
                apps,
                ServiceSpecification,
                {"code": _value(entry, "code")},
                defaults,
                _value(entry, "source"),
            )
            for requirement in _value(entry, "requirements", []):
                _sourced(
                    apps,
                    Requirement,
                    {"specification": spec, "code": _value(requirement, "code")},
                    {
                        "text": _value(requirement, "text"),
                        "valid_from": _value(requirement, "valid_from"),
                        "valid_until": _value(requirement, "valid_until"),
                    },
                    _value(requirement, "source"),
                )


def load_premium_rates(apps, data):
    Rate = apps.get_model("services", "CareHomePremiumRate")
    with pghistory.context(process="migrate: national reference data"):
        for entry in data.CARE_HOME_PREMIUM_RATES:
            _sourced(
                apps,
                Rate,
                {"financial_year": _value(entry, "financial_year")},
                {
                    "per_bed_for_year": Decimal(_value(entry, "per_bed_for_year")),
                    "payable_from": _value(entry, "payable_from"),
                    "note": _value(entry, "note") or "",
                },
                _value(entry, "source"),
            )
