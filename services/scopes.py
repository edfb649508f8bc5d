"""Who may change a care home and a network's alignment of it.

A care home is one record that every network it is aligned to shares, one network at a
time (the database's care_home_one_network_at_a_time). So being a network's manager is not
enough to change it: the network must hold the home on the day. Once a network's alignment
has ended, it reads the home for the months it held it and changes nothing; the home's own
details (name, address, postcode, type) are changed only by the network it is aligned to
on the day of the change. National admins may change either at any time.

Each rule returns why a change is refused (a sentence for the network's manager) or None;
the actions raise it, and the pages use it to show or refuse their forms.
"""

from django.core.exceptions import PermissionDenied

from networks.pages import day


def is_national_admin(user):
    return bool(user is not None and user.is_superuser)


def alignment_refusal(user, alignment, on):
    """Why the user may not change the network's alignment of the home on the day (its
    clinical lead and home round, its beds, its last day), or None: refused once the
    alignment has ended."""
    if is_national_admin(user) or not alignment.ended_before(on):
        return None
    return (
        f"{alignment.home.name} was aligned to {alignment.pcn.display_name} up to and "
        f"including {day(alignment.end_date)}. The network can read its records for the "
        "months it was aligned, but no longer change them."
    )


def home_details_refusal(user, alignment, on):
    """Why the user may not change the home's own details (name, address, postcode, type)
    through the network's alignment on the day, or None: only the network the home is
    aligned to that day changes them."""
    if is_national_admin(user) or alignment.covers(on):
        return None
    if alignment.start_date > on:
        when = (
            f"its alignment to {alignment.pcn.display_name} starts on {day(alignment.start_date)}"
        )
    else:
        when = f"its alignment to {alignment.pcn.display_name} ended on {day(alignment.end_date)}"
    return (
        f"Only the network {alignment.home.name} is aligned to today can change its name, "
        f"address, postcode or type: {when}."
    )


def check(refusal):
    """Raise a refusal (403 on a page), if there is one."""
    if refusal:
        raise PermissionDenied(refusal)
