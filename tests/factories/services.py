"""Service specifications and their delivery, care homes, local priorities and evidence.
Specifications and rates made here are test fixtures, not the national reference data."""

import datetime
from decimal import Decimal

import factory

from services import models as services
from tests.factories.networks import PrimaryCareNetworkFactory

D = datetime.date


class ServiceSpecificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.ServiceSpecification

    code = factory.Sequence(lambda n: f"test-specification-{n}")
    name = factory.Sequence(lambda n: f"Test specification {n}")
    start_date = D(2020, 4, 1)
    section = "Table 2"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.Requirement

    specification = factory.SubFactory(ServiceSpecificationFactory)
    code = factory.Sequence(lambda n: f"T-{n}")
    text = "Do the thing (test fixture)."
    section = "Table 2"


class ServiceDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.ServiceDelivery

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    specification = factory.SubFactory(ServiceSpecificationFactory)
    financial_year = 2023
    status = services.DeliveryStatus.IN_PROGRESS


class RequirementProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.RequirementProgress

    delivery = factory.SubFactory(ServiceDeliveryFactory)
    requirement = factory.SubFactory(
        RequirementFactory, specification=factory.SelfAttribute("..delivery.specification")
    )


class CareHomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHome

    cqc_location_id = factory.Sequence(lambda n: f"1-{100000 + n}")
    name = factory.Sequence(lambda n: f"TEST CARE HOME {n}")


class CareHomeAlignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHomeAlignment

    home = factory.SubFactory(CareHomeFactory)
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    start_date = D(2020, 10, 1)


class CareHomeBedsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHomeBeds

    home = factory.SubFactory(CareHomeFactory)
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    month = D(2025, 4, 1)
    beds = 40


class CareHomePremiumRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHomePremiumRate

    financial_year = factory.Sequence(lambda n: 2100 + n)
    per_bed_for_year = Decimal("120")
    payable_from = factory.LazyAttribute(lambda o: D(o.financial_year, 4, 1))
    section = "Table 2"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.Evidence

    class Params:
        # bare=True: no note (a file, say).
        bare = factory.Trait(note="")

    progress = factory.SubFactory(RequirementProgressFactory)
    pcn = factory.SelfAttribute("progress.delivery.pcn")
    note = "Minutes of the MDT meeting."


class LocalPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.LocalPriority

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    title = "Diabetes prevention"
    start_date = D(2025, 4, 1)
