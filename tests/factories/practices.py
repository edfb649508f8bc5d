"""Practices, their membership spells in networks, list sizes and weighted populations.
Sequenced practice codes (Z70000 to Z79999) stand apart from real ones and from those
tests write out by hand (Z00001, Z99001 …)."""

import datetime
from decimal import Decimal

import factory

from practices import models as practices
from tests.factories.networks import PrimaryCareNetworkFactory, SubICBLocationFactory

D = datetime.date


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.Practice

    class Params:
        # bare=True: no address, opening date or commissioner.
        bare = factory.Trait(postcode="", open_date=None, commissioner=None)

    code = factory.Sequence(lambda n: f"Z7{n % 10000:04d}")
    name = factory.Sequence(lambda n: f"TEST SURGERY {n}")
    postcode = "ZZ1 1ZY"
    commissioner = factory.SubFactory(SubICBLocationFactory)
    open_date = D(2000, 4, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.Membership

    practice = factory.SubFactory(PracticeFactory)
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    start_date = D(2019, 7, 1)


class ListSizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.ListSize

    class Params:
        # bare=True: registered patients only, no weighted figure.
        bare = factory.Trait(weighted_patients=None)

    practice = factory.SubFactory(PracticeFactory)
    extract_date = D(2025, 1, 1)
    registered_patients = 8000
    weighted_patients = Decimal("8400.50")


class WeightedPopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.WeightedPopulation

    practice = factory.SubFactory(PracticeFactory)
    on = D(2025, 1, 1)
    weighted_patients = Decimal("10500.50")
    source = practices.WeightedSource.WEIGHTED_CSV
    file_name = "weighted.csv"


class NetworkWeightedPopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.NetworkWeightedPopulation

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    financial_year = 2025
    weighted_patients = Decimal("40000")
    source = "test fixture"
