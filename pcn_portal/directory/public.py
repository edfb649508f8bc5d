"""The published data anyone may see, in the public directory and the JSON API.

Only what ODS publishes (the ePCN file, DOMAIN.md §6.1; epraccur, §6.2) and the registered
list sizes NHS England publishes for each practice (§6.3): never staff names, claims,
agreements, footprint notes or anything else entered in the portal, never a membership
spell entered in the portal rather than imported from ODS, never a row `seed_national`
made up (`synthetic`). The field lists below are the whole of what the directory and the
API show; tests/site/test_directory.py holds them to it.
"""

import re

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from networks.models import (
    ImportedExtract,
    IntegratedCareBoard,
    PrimaryCareNetwork,
    Region,
    SubICBLocation,
)
from pcn_portal.core.dates import today
from pcn_portal.core.names import ods_title
from practices.models import ListSize, Membership, MembershipSource, Practice

# Every field the directory and the API show, with where it is published.
NETWORK_FIELDS = {
    "code": "ePCN PCNDetails: PCN Code",
    "name": "ePCN PCNDetails: PCN Name",
    "open_date": "ePCN PCNDetails: Open Date",
    "close_date": "ePCN PCNDetails: Close Date",
    "address": "ePCN PCNDetails: Address Line 1–5",
    "postcode": "ePCN PCNDetails: Postcode",
    "sub_icb_location": "ePCN PCNDetails: Current Sub ICB Loc Code and Sub ICB Location",
    "icb": "ODS: the ICB the Sub-ICB location is part of",
    "region": "ODS: the commissioning region of the ICB",
    "member_practices": "ePCN PCN Core Partner Details: spells current today (a count)",
    "registered_patients": "NHS England Patients Registered at a GP Practice (members' sum)",
    "registered_patients_at": (
        "NHS England Patients Registered at a GP Practice: the latest extract's date"
    ),
}
PRACTICE_FIELDS = {
    "code": "ePCN PCN Core Partner Details: Partner Organisation Code",
    "name": "ePCN PCN Core Partner Details: Partner Name",
    "address": "epraccur: Address Line 1–5",
    "postcode": "epraccur: Postcode",
    "member_since": "ePCN PCN Core Partner Details: Practice to PCN Relationship Start Date",
    "registered_patients": "NHS England Patients Registered at a GP Practice",
    "registered_patients_at": (
        "NHS England Patients Registered at a GP Practice: the extract date of the figure"
    ),
}
AREA_FIELDS = {"code": "ODS code", "name": "ODS name"}

# A postcode district (the outward code): "LS1", "M14", "SW1A", "EC1V".
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
# A full postcode, with or without its space: "NE46 1QJ", "ne461qj".
FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})$")
# A place name, as an address line gives it: "Hexham", "Stockton-on-Tees", "King's Lynn".
PLACE = re.compile(r"^[A-Z][A-Z '\-]{2,}$")
ADDRESS_LINES = [f"address_line_{n}" for n in range(1, 6)]


def published_memberships(on=None):
    """Membership spells imported from ODS, in force on `on` (default today)."""
    return Membership.objects.current(on or today()).filter(source=MembershipSource.ODS)


def published_list_size(on=None, practice=None, value="registered_patients"):
    """A subquery: the practice's (OuterRef "pk" unless given) latest published registered
    list size (or, with value="extract_date", its date), never a synthetic one."""
    return Subquery(
        ListSize.objects.filter(
            practice=practice if practice is not None else OuterRef("pk"),
            extract_date__lte=on or today(),
            synthetic=False,
        )
        .order_by("-extract_date")
        .values(value)[:1]
    )


def networks():
    """Every network open today, each with its member practices today and their published
    registered patients, in one query."""
    on = today()
    members = published_memberships(on).filter(pcn=OuterRef("pk"))
    patients = (
        members.annotate(size=published_list_size(on, practice=OuterRef("practice")))
        .values("pcn")
        .annotate(total=Sum("size"))
        .values("total")
    )
    return (
        PrimaryCareNetwork.objects.open(on)
        .select_related("lead_commissioner__icb__region")
        .annotate(
            member_count=Coalesce(
                Subquery(
                    members.values("pcn").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
            registered_patients=Subquery(patients[:1], output_field=IntegerField()),
        )
    )


def search(queryset, text):
    """Networks matching a network's or member practice's ODS code or name, a member
    practice's postcode (in full, or its district) or the town or place in an address
    line of the network or of a member practice."""
    text = " ".join(text.split())
    if not text:
        return queryset
    upper = text.upper()
    members = published_memberships().filter(pcn=OuterRef("pk"))
    q = (
        Q(code__iexact=upper)
        | Q(name__icontains=text)
        | Exists(
            members.filter(Q(practice__code__iexact=upper) | Q(practice__name__icontains=text))
        )
    )
    if POSTCODE_DISTRICT.match(upper):
        q |= Exists(members.filter(practice__postcode__istartswith=f"{upper} "))
    if postcode := FULL_POSTCODE.match(upper):
        full = " ".join(postcode.groups())
        q |= Q(postcode__iexact=full) | Exists(members.filter(practice__postcode__iexact=full))
    if PLACE.match(upper):
        q |= any_line_is(upper) | Exists(members.filter(any_line_is(upper, "practice__")))
    return queryset.filter(q)


def any_line_is(place, prefix=""):
    """An address line that is exactly the place (ODS keeps a town on a line of its own)."""
    condition = Q()
    for line in ADDRESS_LINES:
        condition |= Q(**{f"{prefix}{line}__iexact": place})
    return condition


def published_list_sizes(on=None):
    """NHS England's published registered-patient figures (never a synthetic one) on or
    before `on` (default today), newest first."""
    return ListSize.objects.filter(synthetic=False, extract_date__lte=on or today()).order_by(
        "-extract_date"
    )


def network(code):
    """The open network with this code, or None."""
    return networks().filter(code=code.upper()).first()


def members(pcn):
    """A network's member practices today, as ODS publishes them."""
    return (
        Practice.objects.filter(pk__in=published_memberships().filter(pcn=pcn).values("practice"))
        .annotate(
            member_since=Subquery(
                published_memberships()
                .filter(pcn=pcn, practice=OuterRef("pk"))
                .values("start_date")[:1]
            ),
            registered_patients=published_list_size(),
            registered_patients_at=published_list_size(value="extract_date"),
        )
        .order_by("code")
    )


def regions():
    return Region.objects.open().order_by("name")


def icbs():
    return IntegratedCareBoard.objects.open().order_by("name")


def sub_icb_locations():
    return SubICBLocation.objects.open().select_related("icb__region").order_by("name")


def sub_icb_location(code):
    return sub_icb_locations().filter(code=code.upper()).first()


def fact_sheet_rows(sub_icb):
    """Every member practice of every open network led by a Sub-ICB location today, one
    row per practice, network by network."""
    on = today()
    return (
        published_memberships(on)
        .filter(pcn__lead_commissioner=sub_icb, pcn__in=PrimaryCareNetwork.objects.open(on))
        .select_related("pcn", "practice")
        .annotate(registered_patients=published_list_size(on, practice=OuterRef("practice")))
        .order_by("pcn__name", "pcn__code", "practice__name", "practice__code")
    )


def address(organisation):
    """The address lines as published, without the postcode."""
    lines = organisation.address_lines
    return ", ".join(lines[:-1] if organisation.postcode else lines)


def network_data(pcn, patients_at):
    """A network as the API gives it: exactly NETWORK_FIELDS. `patients_at` is the date of
    the published list sizes (last_import's patients_at)."""
    sub_icb = pcn.lead_commissioner
    icb = sub_icb.icb
    region = icb.region if icb else None
    return {
        "code": pcn.code,
        "name": pcn.display_name,
        "open_date": pcn.open_date.isoformat() if pcn.open_date else None,
        "close_date": pcn.close_date.isoformat() if pcn.close_date else None,
        "address": address(pcn),
        "postcode": pcn.postcode,
        "sub_icb_location": area_data(sub_icb),
        "icb": area_data(icb),
        "region": area_data(region),
        "member_practices": pcn.member_count,
        "registered_patients": pcn.registered_patients,
        "registered_patients_at": patients_at.isoformat() if patients_at else None,
    }


def practice_data(practice):
    """A member practice as the API gives it: exactly PRACTICE_FIELDS."""
    return {
        "code": practice.code,
        "name": practice.display_name,
        "address": practice_address(practice),
        "postcode": practice.postcode,
        "member_since": practice.member_since.isoformat() if practice.member_since else None,
        "registered_patients": practice.registered_patients,
        "registered_patients_at": (
            practice.registered_patients_at.isoformat() if practice.registered_patients_at else None
        ),
    }


def practice_address(practice):
    lines = [
        practice.address_line_1,
        practice.address_line_2,
        practice.address_line_3,
        practice.address_line_4,
        practice.address_line_5,
    ]
    return ", ".join(ods_title(line) for line in lines if line)


def area_data(area):
    if area is None:
        return None
    return {"code": area.code, "name": area.display_name}


def last_import():
    """The latest ODS import, which dates everything the directory shows, with
    `patients_at`: the date of the latest list sizes NHS England published that the portal
    holds (the date the directory's figures are at). Both in
    one query, whether or not anything has been imported: an object whose `pk` is None
    when nothing has."""
    dates, params = published_list_sizes().values("extract_date")[:1].query.sql_with_params()
    table = ImportedExtract._meta.db_table
    return next(
        iter(
            ImportedExtract.objects.raw(
                f"SELECT latest.*, ({dates}) AS patients_at FROM (SELECT 1) AS one "
                f"LEFT JOIN LATERAL (SELECT * FROM {table} ORDER BY imported_at DESC "
                "LIMIT 1) AS latest ON true",
                params,
            )
        )
    )
