"""Loading the national ARRS reference data (workforce/reference_data.py) into the
database.

Data migrations call this once, with the historical models and a frozen copy of the data
they load (so editing reference_data.py never gives old and new databases different
figures). Rows that exist already are left as they are, so a national admin's correction
in the admin is never overwritten; revised figures ship as new migrations.
"""

import pghistory

from networks.migrations._sources_0003 import KEYS
from networks.sources import cite, has_field, keys_in, sourced
from pcn_portal.core.reference import notes as _notes
from pcn_portal.core.reference import value as _value

# 2024/25's GP sum was loaded citing its documents in words, not keys: the ICB slide pack
# "GP ARRS Role: Funding and Reimbursement" (quoting the Network Contract DES, section
# 10.5.4), Pulse PCN's article and Ockham's "ARRS for GPs".
GP_SUM_WORDS = "GP ARRS Role: Funding and Reimbursement"
GP_SUM_KEYS = "A.S21, A.S19, S80"
GP_SUM_SECTION = "quoting Network Contract DES section 10.5.4"


def cite_entry(apps, row, text, aliases=KEYS):
    """Point a reference row at the Source records its source text names (by key, or the GP
    sum's in words)."""
    if not keys_in(text) and GP_SUM_WORDS in (text or ""):
        return cite(apps, row, GP_SUM_KEYS, aliases, section=GP_SUM_SECTION)
    return cite(apps, row, text, aliases)


def _sourced(apps, Model, lookup, defaults, source):
    return sourced(apps, Model, lookup, defaults, source, cite_entry)


def load_arrs(apps, data):
    ARRSRole = apps.get_model("workforce", "ARRSRole")
    MaximumAmount = apps.get_model("workforce", "MaximumAmount")
    RoleCap = apps.get_model("workforce", "RoleCap")
    AllocationRate = apps.get_model("workforce", "AllocationRate")

    with pghistory.context(process="migrate: national reference data"):
        roles = {}
        for entry in data.ARRS_ROLES:
            roles[_value(entry, "code")], _ = _sourced(
                apps,
                ARRSRole,
                {"code": _value(entry, "code")},
                {
                    "name": _value(entry, "name"),
                    "reimbursable_from": _value(entry, "reimbursable_from"),
                    "reimbursable_until": _value(entry, "reimbursable_until"),
                    "afc_bands": _value(entry, "afc_bands") or "",
                    "notes": _notes(entry),
                },
                _value(entry, "source"),
            )
        for entry in data.MAXIMUM_AMOUNTS:
            _sourced(
                apps,
                MaximumAmount,
                {
                    "role": roles[_value(entry, "role")],
                    "afc_band": _value(entry, "afc_band") or "",
                    "period_start": _value(entry, "period_start"),
                },
                {
                    "period_end": _value(entry, "period_end"),
                    "national": _value(entry, "national"),
                    "outer_london": _value(entry, "outer_london"),
                    "inner_london": _value(entry, "inner_london"),
                    "unknown": bool(_value(entry, "unknown", False)),
                    "notes": _notes(entry),
                },
                _value(entry, "source"),
            )
        for entry in data.ROLE_CAPS:
            _sourced(
                apps,
                RoleCap,
                {
                    "role": roles[_value(entry, "role")],
                    "valid_from": _value(entry, "valid_from"),
                    "kind": _value(entry, "kind"),
                },
                {
                    "valid_until": _value(entry, "valid_until"),
                    "max_count": _value(entry, "max_count"),
                    "population_threshold": _value(entry, "population_threshold"),
                    "max_count_above_threshold": _value(entry, "max_count_above_threshold"),
                    "share": _value(entry, "share"),
                    "rule": _value(entry, "rule"),
                    "notes": _notes(entry),
                    "refuses": _value(entry, "refuses", True),
                },
                _value(entry, "source"),
            )
        for entry in data.ALLOCATION_RATES:
            _sourced(
                apps,
                AllocationRate,
                {"financial_year": _value(entry, "financial_year")},
                {
                    "pounds_per_weighted_patient": _value(entry, "pounds_per_weighted_patient"),
                    "population_basis": _value(entry, "population_basis") or "",
                    "national_total": _value(entry, "national_total"),
                    "notes": _notes(entry),
                },
                _value(entry, "source"),
            )


def load_ring_fenced_sums(apps, entries, *, out=None):
    """Add the ring-fenced sums `entries` give (each for the role whose code it names). A
    year that has a sum already keeps it as it is, a national admin's correction included;
    an entry whose role is not in the database is left out, and the migration says so."""
    ARRSRole = apps.get_model("workforce", "ARRSRole")
    RingFencedSum = apps.get_model("workforce", "RingFencedSum")
    messages = []
    with pghistory.context(process="migrate: national reference data"):
        for entry in entries:
            year, code = _value(entry, "financial_year"), _value(entry, "role")
            role = ARRSRole.objects.filter(code=code).first()
            if role is None:
                messages.append(
                    f"Not added: the ring-fenced sum for {year}: no ARRS role has the code "
                    f"{code!r}; a national admin can add it under ARRS ring-fenced sums."
                )
                continue
            _sourced(
                apps,
                RingFencedSum,
                {"financial_year": year},
                {
                    "role": role,
                    "pounds_per_weighted_patient": _value(entry, "pounds_per_weighted_patient"),
                    "first_day": _value(entry, "first_day"),
                    "last_day": _value(entry, "last_day"),
                    "notes": _notes(entry),
                },
                _value(entry, "source"),
            )
    if out is not None:
        for message in messages:
            out.write(f"\n  {message}\n")
    return messages


def revise_maximum_amounts(apps, revisions, *, process, out=None):
    """Apply revised maximum amounts that a later migration ships, without overwriting a
    national admin's correction.

    Each revision names a row by role, band and first day, the values it was originally
    loaded with (`was`) and the values to give it (`now`). A row still exactly as loaded
    is updated; a missing row is inserted when nothing else covers its dates; a row
    someone has changed since is kept as it is, and the migration says so (to `out`,
    and in its returned messages) so the admin can weigh the new figure.
    """
    ARRSRole = apps.get_model("workforce", "ARRSRole")
    MaximumAmount = apps.get_model("workforce", "MaximumAmount")
    keys_as_text = has_field(MaximumAmount, "source")
    messages = []
    with pghistory.context(process=process):
        for revision in revisions:
            if not keys_as_text:  # the source's keys become Source records the row cites
                revision = {
                    **revision,
                    "was": {k: v for k, v in revision["was"].items() if k != "source"},
                    "now": {k: v for k, v in revision["now"].items() if k != "source"},
                    "source": revision["now"].get("source", ""),
                }
            role = ARRSRole.objects.filter(code=revision["role"]).first()
            label = (
                f"{revision['role']} band {revision['afc_band'] or '(any)'} "
                f"from {revision['period_start']:%d %b %Y}"
            )
            if role is None:
                messages.append(f"Kept as it is: {label}: the role is no longer in the data.")
                continue
            key = {
                "role": role,
                "afc_band": revision["afc_band"],
                "period_start": revision["period_start"],
            }
            row = MaximumAmount.objects.filter(**key).first()
            if row is None:
                end = revision["now"]["period_end"]
                covering = MaximumAmount.objects.filter(
                    role=role, afc_band=revision["afc_band"]
                ).exclude(period_end__lt=revision["period_start"])
                if end is not None:
                    covering = covering.filter(period_start__lte=end)
                if covering.exists():
                    messages.append(
                        f"Kept as it is: {label}: another row now covers these dates, so the "
                        f"revised figures ({_figures(revision['now'])}) were not added."
                    )
                    continue
                row = MaximumAmount.objects.create(**key, **revision["now"])
                if not keys_as_text:
                    cite_entry(apps, row, revision["source"])
                messages.append(f"Added: {label}: {_figures(revision['now'])}.")
                continue
            as_loaded = all(getattr(row, name) == value for name, value in revision["was"].items())
            if not as_loaded:
                messages.append(
                    f"Kept as it is: {label}: changed since it was loaded (by a national "
                    f"admin), so the revised figures ({_figures(revision['now'])}) were not "
                    "applied; compare them in admin."
                )
                continue
            for name, value in revision["now"].items():
                setattr(row, name, value)
            row.save()
            if not keys_as_text:
                cite_entry(apps, row, revision["source"])
            messages.append(f"Updated: {label}: {_figures(revision['now'])}.")
    if out is not None:
        out.write("\n")
        for message in messages:
            out.write(f"  {message}\n")
    return messages


def _figures(values):
    if values.get("unknown"):
        return "unknown"
    parts = [
        f"{zone} £{values[field]:,}"
        for zone, field in (
            ("national", "national"),
            ("outer London", "outer_london"),
            ("inner London", "inner_london"),
        )
        if values.get(field) is not None
    ]
    return ", ".join(parts)
