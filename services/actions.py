"""Writes to service delivery, evidence, care homes and local priorities.

Every write names its network in the audit context (`pcn`: the ODS code) beside the actor,
so a network's history can gather the changes made to its records from every table here.
"""

import secrets
from contextlib import contextmanager

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from pcn_portal.core.dates import month_bounds, overlap, today
from pcn_portal.core.versions import shown as day
from pcn_portal.core.writing import (
    apply_changes,
    delete_checked,
    one_at_a_time,
    save_checked,
    validated_save,
    writing,
)
from services.models import (
    CareHome,
    CareHomeAlignment,
    CareHomeBeds,
    CareHomePremiumRate,
    CareHomeType,
    DeliveryStatus,
    Evidence,
    LocalPriority,
    PriorityStatus,
    Requirement,
    RequirementProgress,
    ServiceDelivery,
    ServiceSpecification,
)
from services.scopes import alignment_refusal, check, home_details_refusal


@contextmanager
def network_writing(pcn, by=None, process=None):
    """writing(), with the network's ODS code in the audit context."""
    with writing(by, process), pghistory.context(pcn=pcn.code):
        yield


def _delivery(pcn, specification, financial_year):
    delivery, _ = ServiceDelivery.objects.select_for_update().get_or_create(
        pcn=pcn, specification=specification, financial_year=financial_year
    )
    return delivery


def record_delivery(
    *,
    pcn,
    specification,
    by,
    financial_year,
    status=DeliveryStatus.NOT_STARTED,
    lead_name="",
    evidence_notes="",
    updated_on=None,
):
    """Create or update how a network delivers a specification in a year."""
    with network_writing(pcn, by):
        delivery = _delivery(pcn, specification, financial_year)
        delivery.status = status
        delivery.lead_name = lead_name
        delivery.evidence_notes = evidence_notes
        delivery.updated_on = updated_on or today()
        return validated_save(delivery)


# What each edit action may change (its `changes` are checked against it); the forms of the
# services pages take their fields from these.
DELIVERY_FIELDS = ["status", "lead_name", "evidence_notes"]
PROGRESS_FIELDS = ["status", "note", "due_on", "completed_on"]
CARE_HOME_FIELDS = ["name", "address", "postcode", "home_type"]
ALIGNMENT_FIELDS = ["clinical_lead", "round_day"]
PRIORITY_FIELDS = ["title", "description", "owner", "status", "review_on", "start_date", "end_date"]


def record_progress(*, delivery, requirement, by, status, note="", due_on=None, completed_on=None):
    """Set the progress on one requirement of a delivery, last updated today."""
    with network_writing(delivery.pcn, by):
        progress = _progress(delivery, requirement)
        progress.status = status
        progress.note = note
        progress.due_on = due_on
        progress.completed_on = completed_on
        return _save_progress(progress)


def _progress(delivery, requirement):
    progress, _ = RequirementProgress.objects.select_for_update().get_or_create(
        delivery=delivery, requirement=requirement
    )
    return progress


def _save_progress(progress):
    """Check and save a requirement's progress, last updated today."""
    if progress.requirement.specification_id != progress.delivery.specification_id:
        raise ValidationError({"requirement": "This requirement belongs to another specification."})
    if progress.completed_on and progress.completed_on > today():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    progress.updated_on = today()
    return validated_save(progress)


def update_requirement(*, pcn, specification, financial_year, requirement, by, changes):
    """Change the progress on one requirement of a network's delivery in a year, starting
    the delivery when it is the first thing recorded: `changes` maps fields of
    PROGRESS_FIELDS to new values; anything else is refused."""
    with network_writing(pcn, by):
        delivery = _delivery(pcn, specification, financial_year)
        progress = _progress(delivery, requirement)
        return _save_progress(apply_changes(progress, changes, PROGRESS_FIELDS))


def update_delivery(*, pcn, specification, financial_year, by, changes):
    """Change how a network delivers a specification in a year, starting the delivery when
    it is the first thing recorded: `changes` maps fields of DELIVERY_FIELDS to new values;
    anything else is refused. Last updated today."""
    with network_writing(pcn, by):
        delivery = apply_changes(
            _delivery(pcn, specification, financial_year), changes, DELIVERY_FIELDS
        )
        delivery.updated_on = today()
        return validated_save(delivery)


def progress_for(*, pcn, specification, financial_year, requirement, by):
    """The progress row of a requirement, made (not started) when there is none yet, so
    evidence has something to hang from."""
    with network_writing(pcn, by):
        delivery = _delivery(pcn, specification, financial_year)
        progress, created = RequirementProgress.objects.get_or_create(
            delivery=delivery, requirement=requirement
        )
        if created:
            progress.updated_on = today()
            progress.save(update_fields=["updated_on"])
        return progress


def add_evidence(*, progress, by, note="", link="", upload=None):
    """A note, a link or a file (an upload services.evidence.check_upload has accepted)
    for a requirement. The file is stored under a name the portal chooses; when the
    record cannot be saved, the stored file is removed again."""
    pcn = progress.delivery.pcn
    stored = None
    try:
        with network_writing(pcn, by):
            evidence = Evidence(pcn=pcn, progress=progress, note=note, link=link, added_by=by)
            if upload is not None:
                evidence.token = secrets.token_hex(16)
                evidence.extension = upload.extension
                evidence.file_name = upload.name[:255]
                evidence.content_type = upload.content_type
                evidence.size = upload.size
                evidence.file.save("evidence", upload.file, save=False)
                stored = evidence.file.name
            validated_save(evidence)
            progress.updated_on = today()
            progress.save(update_fields=["updated_on"])
            return evidence
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise


def add_requirement_evidence(
    *, pcn, specification, financial_year, requirement, by, note="", link="", upload=None
):
    """Evidence for a requirement of a network's delivery in a year, starting the delivery
    and the requirement's progress when it is the first thing recorded: all or nothing."""
    with network_writing(pcn, by):
        progress = progress_for(
            pcn=pcn,
            specification=specification,
            financial_year=financial_year,
            requirement=requirement,
            by=by,
        )
        return add_evidence(progress=progress, by=by, note=note, link=link, upload=upload)


def remove_evidence(*, evidence, by):
    """Remove evidence; its file goes once the removal is committed."""
    with network_writing(evidence.pcn, by):
        name = evidence.file.name
        evidence.delete()
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))


# --- care homes ----------------------------------------------------------------------


def align_care_home(
    *,
    pcn,
    by,
    cqc_location_id,
    name,
    start_date,
    address="",
    postcode="",
    home_type=CareHomeType.WITHOUT_NURSING,
    clinical_lead="",
    round_day=None,
    beds=None,
    end_date=None,
):
    """Align a care home to a network from `start_date` (its record made if CQC's
    location is new to the portal), with its beds from that month. Refused when the home
    is aligned to a network on any of the days.

    A home the portal already holds keeps its details unless the new alignment holds it
    today: until then they are the network's that holds it (services.scopes)."""
    details = {
        "name": name,
        "address": address,
        "postcode": postcode.upper().strip(),
        "home_type": home_type,
    }
    with network_writing(pcn, by):
        one_at_a_time("care home", cqc_location_id)  # a home new to the portal: made once
        home = CareHome.objects.select_for_update().filter(cqc_location_id=cqc_location_id).first()
        alignment = CareHomeAlignment(
            home=home,
            pcn=pcn,
            start_date=start_date,
            end_date=end_date,
            clinical_lead=clinical_lead,
            round_day=round_day,
        )
        if home is not None:
            alignment.home = home
            check_one_network(alignment)  # before its details change: the message names it
        if home is None:
            home = validated_save(CareHome(cqc_location_id=cqc_location_id, **details))
        elif home_details_refusal(by, alignment, today()) is None:
            validated_save(apply_changes(home, details, CARE_HOME_FIELDS))
        alignment.home = home
        validated_save(alignment)
        if beds is not None:
            _record_beds(alignment, month=start_date.replace(day=1), beds=beds)
        return alignment


def update_care_home(*, alignment, by, changes):
    """Change a care home's details and its alignment's: `changes` maps fields of
    CARE_HOME_FIELDS and ALIGNMENT_FIELDS to new values; anything else is refused.

    Refused (PermissionDenied, naming why) once the alignment has ended, and for a change
    to the home's own details unless the network is aligned to it today: the home is
    shared by every network it is aligned to, one at a time (services.scopes)."""
    home_changes = {k: v for k, v in changes.items() if k in CARE_HOME_FIELDS}
    alignment_changes = {k: v for k, v in changes.items() if k not in CARE_HOME_FIELDS}
    if "postcode" in home_changes:
        home_changes["postcode"] = home_changes["postcode"].upper().strip()
    with network_writing(alignment.pcn, by):
        check(alignment_refusal(by, alignment, today()))
        apply_changes(alignment, alignment_changes, ALIGNMENT_FIELDS)
        # Compared with the stored row: a form may have set its values on the instance.
        stored = CareHome.objects.select_for_update().values(*CARE_HOME_FIELDS)
        stored = stored.get(pk=alignment.home_id)
        if any(stored[name] != value for name, value in home_changes.items()):
            check(home_details_refusal(by, alignment, today()))
            validated_save(apply_changes(alignment.home, home_changes, CARE_HOME_FIELDS))
        check_one_network(alignment)
        return validated_save(alignment)


def check_one_network(alignment):
    """Refuse an alignment sharing a day with another of the same home, saying which
    network holds the home on which days and what to do (the database refuses it too, in
    fewer words)."""
    if alignment.home_id is None:
        return
    clash = (
        CareHomeAlignment.objects.filter(home_id=alignment.home_id)
        .exclude(pk=alignment.pk)
        .overlapping(alignment.start_date, alignment.end_date)
        .select_related("pcn", "home")
        .order_by("start_date")
        .first()
    )
    if clash is None:
        return
    holder = "this network" if clash.pcn_id == alignment.pcn_id else clash.pcn.display_name
    first = day(clash.start_date)
    if clash.end_date:
        held = f"up to and including {day(clash.end_date)}"
        then = f"choose days before {first} or after {day(clash.end_date)}"
    else:
        held, then = "with no last day recorded", f"choose days before {first}"
        if holder != "this network":
            then += (
                f", or {holder}'s network managers record the day its alignment ends and it "
                "can be aligned here from the day after"
            )
    raise ValidationError(
        {
            "start_date": f"{clash.home.name} is aligned to {holder} from "
            f"{day(clash.start_date)} {held}. A care home is aligned to one network on any "
            f"day: {then}."
        }
    )


def end_alignment(*, alignment, by, end_date):
    """End a home's alignment on its last day; refused once it has ended."""
    if end_date < alignment.start_date:
        raise ValidationError({"end_date": "The last day cannot be before the alignment began."})
    with network_writing(alignment.pcn, by):
        check(alignment_refusal(by, alignment, today()))
        alignment.end_date = end_date
        return validated_save(alignment)


def record_beds(*, alignment, by, month, beds):
    """A home's registered beds from a month on (the month's count replaced if there is
    one). The home must be aligned to the network in that month, and the alignment not
    ended: a count holds until a later one, so an ended network's count would change the
    beds of the network that holds the home now."""
    with network_writing(alignment.pcn, by):
        check(alignment_refusal(by, alignment, today()))
        return _record_beds(alignment, month=month, beds=beds)


def _record_beds(alignment, *, month, beds):
    month, last_day = month_bounds(month)
    if overlap(alignment.start_date, alignment.end_date, month, last_day) is None:
        raise ValidationError({"month": "The home is not aligned to this network in that month."})
    count = CareHomeBeds.objects.select_for_update().filter(
        home=alignment.home, month=month
    ).first() or CareHomeBeds(home=alignment.home, month=month)
    count.beds = beds
    count.pcn = alignment.pcn
    return validated_save(count)


# --- local priorities ----------------------------------------------------------------


def add_local_priority(
    *,
    pcn,
    by,
    title,
    start_date,
    description="",
    owner="",
    status=PriorityStatus.PLANNED,
    review_on=None,
    end_date=None,
):
    with network_writing(pcn, by):
        return validated_save(
            LocalPriority(
                pcn=pcn,
                title=title,
                description=description,
                owner=owner,
                status=status,
                review_on=review_on,
                start_date=start_date,
                end_date=end_date,
            )
        )


def update_local_priority(*, priority, by, changes):
    """Change a local priority: `changes` maps fields of PRIORITY_FIELDS to new values;
    anything else is refused."""
    with network_writing(priority.pcn, by):
        return validated_save(apply_changes(priority, changes, PRIORITY_FIELDS))


# What a national admin may change in Django admin, by kind of record. Specifications, their
# requirements and the Care Home Premium rates are national reference data, corrected in
# place with their source. An evidence file itself is the uploader's: only its note and link
# are corrected here, and removing it removes the stored file too.
ADMIN_FIELDS = {
    ServiceSpecification: [
        "code", "name", "start_date", "end_date", "fate", "sources", "section", "kind",
    ],
    Requirement: [
        "specification", "code", "text", "valid_from", "valid_until", "sources", "section",
    ],
    CareHomePremiumRate: [
        "financial_year", "per_bed_for_year", "payable_from", "note", "sources", "section",
    ],
    ServiceDelivery: [
        "pcn", "specification", "financial_year", "status", "lead_name", "evidence_notes",
        "updated_on",
    ],
    RequirementProgress: [
        "delivery", "requirement", "status", "note", "due_on", "completed_on", "updated_on",
    ],
    CareHome: ["cqc_location_id", "name", "address", "postcode", "home_type"],
    CareHomeAlignment: ["home", "pcn", "start_date", "end_date", "clinical_lead", "round_day"],
    CareHomeBeds: ["home", "month", "beds", "pcn"],
    Evidence: ["pcn", "progress", "note", "link"],
    LocalPriority: [
        "pcn", "title", "description", "status", "owner", "review_on", "start_date", "end_date",
    ],
}  # fmt: skip
ADMIN_DELETABLE = (
    ServiceDelivery,
    RequirementProgress,
    CareHome,
    CareHomeAlignment,
    CareHomeBeds,
    Evidence,
    LocalPriority,
)


def correct_record(*, record, by):
    """A national admin's new or corrected record, from Django admin: only the fields
    ADMIN_FIELDS lists for its kind may differ from the stored row."""
    return save_checked(record, by=by, allowed=ADMIN_FIELDS[type(record)])


def delete_record(*, record, by):
    """A national admin's delete, from Django admin: only the kinds in ADMIN_DELETABLE (an
    evidence file through remove_evidence, so the stored file goes with its record)."""
    if isinstance(record, Evidence):
        remove_evidence(evidence=record, by=by)
    else:
        delete_checked(record, by=by, deletable=ADMIN_DELETABLE)
