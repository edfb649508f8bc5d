"""Loading the national ARRS reference data (workforce/reference_data.py) into the
database.

Data migrations call this once, with the historical models and a frozen copy of the data
they load (so editing reference_data.py never gives old and new databases different
figures). Rows that exist already are left as they are, so a national admin's correction
in the admin is never overwritten; revised figures ship as new migrations.
"""

import pghistory

from pcn_portal.core.reference import notes as _notes
from pcn_portal.core.reference import value as _value


def load_arrs(apps, data):
    ARRSRole = apps.get_model("workforce", "ARRSRole")
    MaximumAmount = apps.get_model("workforce", "MaximumAmount")
    RoleCap = apps.get_model("workforce", "RoleCap")
    AllocationRate = apps.get_model("workforce", "AllocationRate")

    with pghistory.context(process="migrate: national reference data"):
        roles = {}
        for entry in data.ARRS_ROLES:
            roles[_value(entry, "code")], _ = ARRSRole.objects.get_or_create(
                code=_value(entry, "code"),
                defaults={
                    "name": _value(entry, "name"),
                    "reimbursable_from": _value(entry, "reimbursable_from"),
                    "reimbursable_until": _value(entry, "reimbursable_until"),
                    "afc_bands": _value(entry, "afc_bands") or "",
                    "notes": _notes(entry),
                    "source": _value(entry, "source"),
                },
            )
        for entry in data.MAXIMUM_AMOUNTS:
            MaximumAmount.objects.get_or_create(
                role=roles[_value(entry, "role")],
                afc_band=_value(entry, "afc_band") or "",
                period_start=_value(entry, "period_start"),
                defaults={
                    "period_end": _value(entry, "period_end"),
                    "national": _value(entry, "national"),
                    "outer_london": _value(entry, "outer_london"),
                    "inner_london": _value(entry, "inner_london"),
                    "unknown": bool(_value(entry, "unknown", False)),
                    "notes": _notes(entry),
                    "source": _value(entry, "source"),
                },
            )
        for entry in data.ROLE_CAPS:
            RoleCap.objects.get_or_create(
                role=roles[_value(entry, "role")],
                valid_from=_value(entry, "valid_from"),
                kind=_value(entry, "kind"),
                defaults={
                    "valid_until": _value(entry, "valid_until"),
                    "max_count": _value(entry, "max_count"),
                    "population_threshold": _value(entry, "population_threshold"),
                    "max_count_above_threshold": _value(entry, "max_count_above_threshold"),
                    "share": _value(entry, "share"),
                    "rule": _value(entry, "rule"),
                    "notes": _notes(entry),
                    "source": _value(entry, "source"),
                },
            )
        for entry in data.ALLOCATION_RATES:
            AllocationRate.objects.get_or_create(
                financial_year=_value(entry, "financial_year"),
                defaults={
                    "pounds_per_weighted_patient": _value(entry, "pounds_per_weighted_patient"),
                    "population_basis": _value(entry, "population_basis") or "",
                    "national_total": _value(entry, "national_total"),
                    "notes": _notes(entry),
                    "source": _value(entry, "source"),
                },
            )
