"""Writes to practices, their membership spells and list sizes."""

from networks.scopes import WEIGHTED_POPULATION_REFUSAL, check_can_approve_claims
from pcn_portal.core.dates import ONE_DAY
from pcn_portal.core.writing import (
    delete_checked,
    one_at_a_time,
    save_checked,
    validated_save,
    writing,
)
from practices.models import (
    ListSize,
    Membership,
    MembershipSource,
    NetworkWeightedPopulation,
    Practice,
    WeightedPopulation,
)


def create_practice(
    *,
    by=None,
    process=None,
    code,
    name,
    commissioner,
    open_date=None,
    address_line_1="",
    postcode="",
):
    """A GP practice, as ODS publishes it (imports create them in bulk; this is for the
    demo and for tests)."""
    with writing(by, process):
        return validated_save(
            Practice(
                code=code,
                name=name,
                commissioner=commissioner,
                open_date=open_date,
                address_line_1=address_line_1,
                postcode=postcode,
            )
        )


def add_membership(*, practice, pcn, by, start_date, end_date=None):
    """Record that a practice joined a network. Refused (ValidationError) when the practice
    is already in a network on any of the dates."""
    with writing(by):
        one_at_a_time("membership", practice.pk)  # joining twice at once: refused once
        return validated_save(
            Membership(
                practice=practice,
                pcn=pcn,
                start_date=start_date,
                end_date=end_date,
                source=MembershipSource.PORTAL,
            )
        )


def end_membership(*, membership, by, end_date):
    """Record that a practice left: end_date is the last day it is a member."""
    with writing(by):
        membership.end_date = end_date
        return validated_save(membership)


def move_practice(*, practice, to_pcn, by, on):
    """A move overnight: the practice's current spell ends the day before it joins the other
    network on `on`, the way ODS records a move."""
    with writing(by):
        current = Membership.objects.filter(practice=practice).current(on).first()
        if current is not None:
            end_membership(membership=current, by=by, end_date=on - ONE_DAY)
        return add_membership(practice=practice, pcn=to_pcn, by=by, start_date=on)


def record_list_size(
    *, practice, by=None, process=None, extract_date, registered_patients, weighted_patients=None
):
    with writing(by, process):
        size, _ = ListSize.objects.get_or_create(
            practice=practice,
            extract_date=extract_date,
            defaults={"registered_patients": registered_patients},
        )
        size.registered_patients = registered_patients
        size.weighted_patients = weighted_patients
        return validated_save(size)


def set_network_weighted_population(*, pcn, by, financial_year, weighted_patients, source):
    """A commissioner's approver records a network's weighted population at 1 January before a
    financial year; it then takes precedence over the sum of its members' figures."""
    check_can_approve_claims(by, pcn, WEIGHTED_POPULATION_REFUSAL)
    with writing(by):
        entry = pcn.weighted_populations.filter(financial_year=financial_year).first()
        entry = entry or NetworkWeightedPopulation(pcn=pcn, financial_year=financial_year)
        entry.weighted_patients = weighted_patients
        entry.source = source
        return validated_save(entry)


def clear_network_weighted_population(*, entry, by):
    """Remove a commissioner's figure: the members' figures apply again."""
    check_can_approve_claims(by, entry.pcn, WEIGHTED_POPULATION_REFUSAL)
    with writing(by):
        entry.delete()


# What a national admin may change in Django admin, by kind of record. A practice's fields
# are ODS's: a correction here stands until the next ODS file restates them. A spell's
# published dates, whether it is in force and its reconciliation note are the importer's.
ADMIN_FIELDS = {
    Practice: [
        "code", "name", "commissioner", "status", "prescribing_setting", "open_date",
        "close_date", "address_line_1", "address_line_2", "address_line_3", "address_line_4",
        "address_line_5", "postcode", "phone", "ons_code",
    ],
    Membership: ["practice", "pcn", "start_date", "end_date", "source"],
    ListSize: ["practice", "extract_date", "registered_patients", "weighted_patients"],
    WeightedPopulation: ["practice", "on", "weighted_patients", "source", "file_name"],
    NetworkWeightedPopulation: ["pcn", "financial_year", "weighted_patients", "source"],
}  # fmt: skip
# A practice is closed by its close date, never deleted: its spells and list sizes hang
# off it.
ADMIN_DELETABLE = (Membership, ListSize, WeightedPopulation, NetworkWeightedPopulation)


def correct_record(*, record, by):
    """A national admin's new or corrected record, from Django admin: only the fields
    ADMIN_FIELDS lists for its kind may differ from the stored row."""
    return save_checked(record, by=by, allowed=ADMIN_FIELDS[type(record)])


def delete_record(*, record, by):
    """A national admin's delete, from Django admin: only the kinds in ADMIN_DELETABLE."""
    delete_checked(record, by=by, deletable=ADMIN_DELETABLE)
