"""The partner organisation rule held by the action itself, whatever calls it: a network
changes a partner it added while it alone works with it; national admins change any."""

import pytest
from django.core.exceptions import PermissionDenied

from networks.actions import update_partner_organisation
from networks.models import PartnerOrganisation


def name_of(partner):
    return PartnerOrganisation.objects.get(pk=partner.pk).name


def test_a_network_changes_the_partner_it_alone_works_with(partners, network_manager):
    update_partner_organisation(
        partner=partners["own"], by=network_manager, changes={"name": "Riverside Trust"}
    )
    assert name_of(partners["own"]) == "Riverside Trust"


@pytest.mark.parametrize("partner", ["shared", "national"])
def test_a_network_cannot_change_a_shared_or_national_partner(
    partners, network_manager, superuser, partner
):
    partner = partners[partner]
    with pytest.raises(PermissionDenied, match="only a national administrator"):
        update_partner_organisation(partner=partner, by=network_manager, changes={"name": "X"})
    assert name_of(partner) != "X"
    update_partner_organisation(partner=partner, by=superuser, changes={"name": "X"})
    assert name_of(partner) == "X"


def test_another_networks_manager_cannot_change_a_partner_it_did_not_add(partners, other_manager):
    with pytest.raises(PermissionDenied, match="was added by Riverside PCN"):
        update_partner_organisation(
            partner=partners["own"], by=other_manager, changes={"name": "Hilltop's now"}
        )
    assert name_of(partners["own"]) == "Riverside Community Trust"


def test_a_partner_becomes_shared_when_another_network_works_with_it(
    partners, world, network_manager, other_manager
):
    from networks.actions import add_collaboration

    add_collaboration(
        pcn=world["other_pcn"],
        by=other_manager,
        partner=partners["own"],
        start_date=partners["own"].collaborations.get().start_date,
    )
    with pytest.raises(PermissionDenied, match="works with other networks too"):
        update_partner_organisation(
            partner=partners["own"], by=network_manager, changes={"name": "Riverside Trust"}
        )
