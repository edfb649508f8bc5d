"""Who each page is for: every URL pattern of the site declares its access here, in one
place, and the access grid (tests/test_access_grid.py) holds every persona to it.

Declarations are by URL name; the admin site's own pages are declared by its namespace.
"""

import enum


class Access(enum.StrEnum):
    PUBLIC = "public"  # anyone, no login
    ANY_LOGIN = "any login"  # any signed-in user
    NETWORK_READ = "network read"  # users who may see the network in the URL
    NETWORK_WRITE = "network write"  # its network managers (and national admins)
    AREA_READ = "area read"  # commissioner staff of the area in the URL or above it
    APPROVER = "approver"  # approvers of a commissioner area over the network
    NATIONAL_ADMIN = "national admin"  # staff in Django admin


BY_NAMESPACE = {"admin": Access.NATIONAL_ADMIN}

BY_NAME = {
    "home": Access.ANY_LOGIN,
    "healthz": Access.PUBLIC,
    "login": Access.PUBLIC,
    "logout": Access.PUBLIC,
    "signed_out": Access.PUBLIC,
    "oidc_authentication_init": Access.PUBLIC,
    "oidc_authentication_callback": Access.PUBLIC,
    "password_change": Access.ANY_LOGIN,
    "password_change_done": Access.ANY_LOGIN,
    "network_list": Access.ANY_LOGIN,
    "network_detail": Access.NETWORK_READ,
    # The admin's own way in and out: anyone may reach them.
    "admin:login": Access.PUBLIC,
    "admin:logout": Access.PUBLIC,
}


def access_of(name, namespace=""):
    """The declared access of a URL pattern, or None when it declares none."""
    if name in BY_NAME:
        return BY_NAME[name]
    if namespace:
        return BY_NAMESPACE.get(namespace.split(":")[0])
    return None
