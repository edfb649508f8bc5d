"""Who may approve an area's claims together: the approvers of the area or of one above
it, and national admins; never its viewers, nor the approvers of a sibling area."""

from networks.scopes import can_approve_in_area
from tests.conftest import persona


def test_the_approvers_of_an_area_and_above_it_approve_in_it(
    world, approver, icb_viewer, superuser
):
    z01, z02, icb, region = (world[k] for k in ("sub_icb", "other_sub_icb", "icb", "region"))
    z02_approver = persona("zed.approver", scope="sub_icb", role="approver", organisation=z02)
    region_approver = persona("rae.approver", scope="region", role="approver", organisation=region)
    national = persona("nat.approver", scope="national", role="approver")
    assert [can_approve_in_area(approver, a) for a in (z01, z02, icb, region)] == [
        True, True, True, False,
    ]  # fmt: skip
    assert [can_approve_in_area(z02_approver, a) for a in (z01, z02, icb)] == [False, True, False]
    assert all(can_approve_in_area(region_approver, a) for a in (z01, icb, region))
    assert all(can_approve_in_area(national, a) for a in (z01, icb, region))
    assert all(can_approve_in_area(superuser, a) for a in (z01, icb, region))
    assert not any(can_approve_in_area(icb_viewer, a) for a in (z01, icb, region))
