"""Every edit action changes only the fields its own constant lists: a field outside it is
refused before anything is saved, even beside fields it may change. Writers of the same
thing go one at a time, and a clash the database refuses is named in the models' words."""

import datetime
import inspect
import threading
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from networks import actions as network_actions
from networks.models import PartnerOrganisation
from pcn_portal.core.writing import (
    CLASH,
    NotWritable,
    clash_message,
    is_clash,
    one_at_a_time,
)
from practices import actions as practice_actions
from services import actions as service_actions
from tests import factories
from workforce import actions as workforce_actions

D = datetime.date


def update_pcn(by):
    pcn = factories.PrimaryCareNetworkFactory()
    return (
        pcn,
        lambda changes: network_actions.update_pcn(pcn=pcn, by=by, changes=changes),
        ("name", "NEW NAME PCN"),
        ("code", "U00001"),
    )


def update_clinical_director(by):
    director = factories.ClinicalDirectorFactory()
    return (
        director,
        lambda changes: network_actions.update_clinical_director(
            director=director, by=by, changes=changes
        ),
        ("full_name", "Dr New Name"),
        ("pcn", factories.PrimaryCareNetworkFactory()),
    )


def update_team_member(by):
    member = factories.NetworkTeamMemberFactory()
    return (
        member,
        lambda changes: network_actions.update_team_member(member=member, by=by, changes=changes),
        ("full_name", "New Name"),
        ("pcn", factories.PrimaryCareNetworkFactory()),
    )


def update_collaboration(by):
    collaboration = factories.CollaborationFactory()
    return (
        collaboration,
        lambda changes: network_actions.update_collaboration(
            collaboration=collaboration, by=by, changes=changes
        ),
        ("description", "Frailty MDT"),
        ("pcn", factories.PrimaryCareNetworkFactory()),
    )


def update_partner_organisation(by):
    # Whose it is (the network that added it) is a national admin's to correct, in admin.
    partner = factories.PartnerOrganisationFactory()
    return (
        partner,
        lambda changes: network_actions.update_partner_organisation(
            partner=partner, by=by, changes=changes
        ),
        ("name", "NEW PARTNER NAME"),
        ("added_by_pcn", factories.PrimaryCareNetworkFactory()),
    )


def record_network_agreement(by):
    agreement = factories.NetworkAgreementFactory()
    return (
        agreement,
        lambda changes: network_actions.record_network_agreement(
            pcn=agreement.pcn, by=by, financial_year=agreement.financial_year, changes=changes
        ),
        ("notes", "Signed by every member."),
        ("financial_year", 2030),
    )


def change_post(by):
    post = factories.PostFactory(afc_band="7")
    return (
        post,
        lambda changes: workforce_actions.change_post(post=post, by=by, changes=changes),
        ("weekly_hours", Decimal("30")),
        ("pcn", factories.PrimaryCareNetworkFactory()),
    )


def change_line(by):
    line = factories.ClaimLineFactory()
    return (
        line,
        lambda changes: workforce_actions.change_line(line=line, by=by, changes=changes),
        ("salary", Decimal("3000")),
        ("reimbursable_amount", Decimal("99999")),
    )


def update_delivery(by):
    delivery = factories.ServiceDeliveryFactory()
    return (
        delivery,
        lambda changes: service_actions.update_delivery(
            pcn=delivery.pcn,
            specification=delivery.specification,
            financial_year=delivery.financial_year,
            by=by,
            changes=changes,
        ),
        ("lead_name", "Dr New Lead"),
        ("updated_on", D(2020, 1, 1)),
    )


def update_requirement(by):
    progress = factories.RequirementProgressFactory()
    delivery = progress.delivery
    return (
        progress,
        lambda changes: service_actions.update_requirement(
            pcn=delivery.pcn,
            specification=delivery.specification,
            financial_year=delivery.financial_year,
            requirement=progress.requirement,
            by=by,
            changes=changes,
        ),
        ("note", "Half the homes have a named lead."),
        ("updated_on", D(2020, 1, 1)),
    )


def update_care_home(by):
    # The home's name may change beside the alignment's fields; the alignment's network
    # may not, and the home is not saved either.
    alignment = factories.CareHomeAlignmentFactory()
    return (
        alignment.home,
        lambda changes: service_actions.update_care_home(
            alignment=alignment, by=by, changes=changes
        ),
        ("name", "NEW HOME NAME"),
        ("pcn", factories.PrimaryCareNetworkFactory()),
    )


def update_local_priority(by):
    priority = factories.LocalPriorityFactory()
    return (
        priority,
        lambda changes: service_actions.update_local_priority(
            priority=priority, by=by, changes=changes
        ),
        ("title", "Frailty"),
        ("pcn", factories.PrimaryCareNetworkFactory()),
    )


CASES = {
    "networks.actions.update_pcn": update_pcn,
    "networks.actions.update_clinical_director": update_clinical_director,
    "networks.actions.update_team_member": update_team_member,
    "networks.actions.update_collaboration": update_collaboration,
    "networks.actions.update_partner_organisation": update_partner_organisation,
    "networks.actions.record_network_agreement": record_network_agreement,
    "workforce.actions.change_post": change_post,
    "workforce.actions.change_line": change_line,
    "services.actions.update_delivery": update_delivery,
    "services.actions.update_requirement": update_requirement,
    "services.actions.update_care_home": update_care_home,
    "services.actions.update_local_priority": update_local_priority,
}


def stored(record):
    fresh = type(record).objects.get(pk=record.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_edit_action_refuses_a_field_outside_its_constant(superuser, reference_data, case):
    record, action, (allowed, new_value), (refused, value) = case(superuser)
    before = stored(record)
    with pytest.raises(NotWritable, match=refused):
        action({allowed: new_value, refused: value})
    assert stored(record) == before
    # The field it may change, alone, is saved.
    action({allowed: new_value})
    assert stored(record)[allowed] == new_value


def edit_actions():
    """Every action that takes `changes`."""
    found = set()
    for module in (network_actions, practice_actions, workforce_actions, service_actions):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            own = function.__module__ == module.__name__
            if own and "changes" in inspect.signature(function).parameters:
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_edit_action_is_checked_here():
    assert edit_actions() == set(CASES)


def integrity_error(write):
    try:
        with transaction.atomic():
            write()
    except IntegrityError as error:
        return error
    raise AssertionError("The database took the row.")


def test_a_clash_is_named_by_the_constraint_the_models_declare(db):
    PartnerOrganisation.objects.create(name="Hill Hospice", kind="voluntary")
    error = integrity_error(
        lambda: PartnerOrganisation.objects.create(name="Hill Hospice", kind="voluntary")
    )
    assert is_clash(error)
    assert clash_message(error) == "A partner of this kind with this name already exists."


def test_a_clash_with_a_constraint_that_declares_no_message_is_named_plainly(db):
    from tests.factories import ClinicalDirectorFactory

    director = ClinicalDirectorFactory()
    error = integrity_error(
        lambda: type(director).objects.create(
            pk=director.pk, pcn=director.pcn, full_name="x", profession="gp",
            start_date=D(2025, 4, 1),
        )
    )  # fmt: skip
    assert is_clash(error)
    assert clash_message(error) == CLASH


def test_a_row_broken_otherwise_is_no_clash(db):
    from tests.factories import PrimaryCareNetworkFactory

    pcn = PrimaryCareNetworkFactory()
    error = integrity_error(lambda: type(pcn).objects.filter(pk=pcn.pk).update(code="nope"))
    assert not is_clash(error)


@pytest.mark.django_db(transaction=True)
def test_writers_of_the_same_thing_go_one_at_a_time_and_others_do_not_wait():
    held, order = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                one_at_a_time("claim", 1, "2025-06")
                held.set()
                time.sleep(0.5)
                order.append("first done")
        finally:
            connection.close()

    def second(key, name):
        try:
            held.wait(timeout=10)
            with transaction.atomic():
                one_at_a_time(*key)
                order.append(name)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=first),
        threading.Thread(target=second, args=(("claim", 1, "2025-06"), "same month")),
        threading.Thread(target=second, args=(("claim", 1, "2025-07"), "another month")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert order == ["another month", "first done", "same month"]
