"""The scope root: commissioning areas, networks, their governance and users' scopes.

Sequenced codes stand apart from real ones and from the codes tests write out by hand
(QZ1, Z01, U99001 …): ICBs QS? to QY?, Sub-ICB locations ZA? to ZW?, networks U95000 to
U97999. Names are fictional, in capitals as ODS publishes them.
"""

import datetime

import factory

from networks import models as networks
from tests.factories.users import UserFactory

D = datetime.date
ALPHANUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def two_chars(n):
    return ALPHANUM[n // len(ALPHANUM) % len(ALPHANUM)] + ALPHANUM[n % len(ALPHANUM)]


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"Y{n % 100:02d}")
    name = factory.Sequence(lambda n: f"TEST REGION {n}")


class IntegratedCareBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.IntegratedCareBoard

    class Params:
        # bare=True: no region or opening date.
        bare = factory.Trait(region=None, open_date=None)

    code = factory.Sequence(lambda n: f"Q{two_chars(900 + n % 200)}")
    name = factory.Sequence(lambda n: f"NHS TEST {n} INTEGRATED CARE BOARD")
    region = factory.SubFactory(RegionFactory)
    open_date = D(2022, 7, 1)


class SubICBLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.SubICBLocation

    code = factory.Sequence(lambda n: f"Z{two_chars(340 + n % 700)}")
    name = factory.LazyAttribute(lambda o: f"NHS TEST ICB - {o.code}")
    icb = factory.SubFactory(IntegratedCareBoardFactory)


class PrimaryCareNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.PrimaryCareNetwork

    class Params:
        # bare=True: no opening date or address.
        bare = factory.Trait(open_date=None, postcode="")

    code = factory.Sequence(lambda n: f"U9{5000 + n % 3000:04d}")
    name = factory.Sequence(lambda n: f"TEST {n} PCN")
    lead_commissioner = factory.SubFactory(SubICBLocationFactory)
    open_date = D(2019, 10, 1)
    postcode = "ZZ1 1ZZ"


class NetworkAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.NetworkAgreement

    class Params:
        # bare=True: not yet signed.
        bare = factory.Trait(signed_on=None)

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    financial_year = 2025
    signed_on = D(2025, 6, 30)


class NetworkAgreementScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.NetworkAgreementSchedule

    agreement = factory.SubFactory(NetworkAgreementFactory)
    number = factory.Sequence(lambda n: n % 7 + 1)


class ClinicalDirectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.ClinicalDirector

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    full_name = factory.Sequence(lambda n: f"Dr Test Director {n}")
    profession = networks.ClinicalDirectorProfession.GP
    start_date = D(2022, 4, 1)


class NetworkTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.NetworkTeamMember

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    full_name = factory.Sequence(lambda n: f"Test Manager {n}")
    role = networks.TeamRole.NETWORK_MANAGER
    start_date = D(2021, 4, 1)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    """A national partner organisation unless `added_by_pcn` names the network's."""

    class Meta:
        model = networks.PartnerOrganisation

    name = factory.Sequence(lambda n: f"TEST COMMUNITY TRUST {n}")
    kind = networks.PartnerKind.COMMUNITY


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.Collaboration

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    partner = factory.SubFactory(PartnerOrganisationFactory)
    start_date = D(2021, 4, 1)


class CommissionerNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.CommissionerNote

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    written_by = factory.SubFactory(UserFactory)
    written_on = D(2025, 6, 2)
    text = "Met the clinical director about the footprint."


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.Assignment

    user = factory.SubFactory(UserFactory)
    scope = networks.Scope.PCN
    role = networks.Role.EDITOR
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)


class SignInIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.SignInIdentity

    user = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"subject-{n}")


class ImportedExtractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.ImportedExtract

    file_name = factory.Sequence(lambda n: f"epcn-{n}.xlsx")
    latest_open_date = D(2024, 1, 1)


class SourceFactory(factory.django.DjangoModelFactory):
    """A public document reference data cites (fictional)."""

    class Meta:
        model = networks.Source

    key = factory.Sequence(lambda n: f"T{n}")
    title = factory.Sequence(lambda n: f"Test contract specification {n}")
    issuer = "NHS England"
    published = "April 2024"
    link = factory.Sequence(lambda n: f"https://www.england.nhs.uk/test-{n}.pdf")
