"""Notes of the ARRS reference data that named documents by the notebook's keys ("A.S27",
"DOMAIN.md A.6") name them as their publishers do, or just state the point. Only those
words change: a note a national admin rewrote keeps the rest of its text."""

from django.db import migrations

FIELDS = {
    "ARRSRole": ["notes"],
    "MaximumAmount": ["notes"],
    "RoleCap": ["notes", "rule"],
    "AllocationRate": ["notes"],
    "RingFencedSum": ["notes"],
}
REVISIONS = [
    (
        "Outer London figure from A.S27 only (public GitHub code): unverified.",
        "Outer London figure from one public GitHub source only (UCR TECH): unverified.",
    ),
    (
        "whose amounts no source gives (A.S28, A.S29).",
        "whose amounts no source gives (NHS North East London ICB; The Pharmacist, May 2025).",
    ),
    ("(A.S56)", "(Nursing in Practice, 2025)"),
    (
        "The London figure is A.S27's only (probably the single London rate): unverified.",
        "The London figure is from one public GitHub source only (probably the single London "
        "rate): unverified.",
    ),
    (
        "No source in DOMAIN.md gives the amounts for this period (NCDES Table 2 of the year, "
        "DOMAIN.md A.6).",
        "No published source the portal holds gives the amounts for this period: they are in "
        "the year's Network Contract DES Contract Specification (its table of maximum "
        "amounts).",
    ),
    (
        "Per-patient rate not found (Appendix A.2); §3.4's ≈ £7.131 is superseded.",
        "No published source gives the per-patient rate; an earlier estimate of about £7.131 "
        "is superseded.",
    ),
    ('"Almost £1.7 billion" per A.S25.', '"Almost £1.7 billion" per Humberside LMC.'),
    (
        "Rate not found; the national total is provisional.",
        "No published source gives the rate per weighted patient yet; the national total is "
        "provisional.",
    ),
]


def revised(text):
    for old, new in REVISIONS:
        text = text.replace(old, new)
    return text


def load(apps, schema_editor):
    import pghistory

    with pghistory.context(process="migrate: reference notes cite public documents"):
        for name, fields in FIELDS.items():
            for row in apps.get_model("workforce", name).objects.all():
                changed = [f for f in fields if revised(getattr(row, f)) != getattr(row, f)]
                for field in changed:
                    setattr(row, field, revised(getattr(row, field)))
                if changed:
                    row.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0004_cited_sources")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
