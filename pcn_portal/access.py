"""Who each page is for: every URL pattern of the site declares its access here, in one
place, and the access grid (tests/test_access_grid.py) holds every persona to it.

Declarations are by URL name; the admin site's own pages are declared by its namespace.
"""

import enum
import re
from dataclasses import dataclass

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern


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
    # Commissioner dashboards (/areas/<code>/…; "england" for national staff only).
    "area_detail": Access.AREA_READ,
    "area_footprints": Access.AREA_READ,
    "area_leadership": Access.AREA_READ,
    "area_governance": Access.AREA_READ,
    "area_arrs": Access.AREA_READ,
    "area_roles": Access.AREA_READ,
    "area_services": Access.AREA_READ,
    "area_care_homes": Access.AREA_READ,
    "area_practices": Access.AREA_READ,
    # The public directory and its JSON API: published data, no login.
    "directory": Access.PUBLIC,
    "directory_network": Access.PUBLIC,
    "directory_area": Access.PUBLIC,
    "api_networks": Access.PUBLIC,
    "api_network": Access.PUBLIC,
}


def access_of(name, namespace=""):
    """The declared access of a URL pattern, or None when it declares none."""
    if name in BY_NAME:
        return BY_NAME[name]
    if namespace:
        return BY_NAMESPACE.get(namespace.split(":")[0])
    return None


@dataclass(frozen=True)
class Pattern:
    name: str  # with its namespace: "admin:index"
    route: str
    access: Access | None
    kwargs: tuple

    def __str__(self):
        return f"{self.name or '(no name)'} /{self.route}"

    def url(self, kwargs):
        """The URL with these arguments: reversed by name, or (for the few unnamed admin
        patterns) written from the route."""
        kwargs = {k: kwargs[k] for k in self.kwargs}
        if self.name and not self.name.endswith(":"):
            try:
                return reverse(self.name, kwargs=kwargs)
            except NoReverseMatch:  # an unnamed pattern inside a namespace
                pass
        route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), self.route)
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
        return "/" + route.replace("^", "").replace("$", "")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or ""]))
            yield name, route, namespace, entry


def site_patterns(urlconf=None):
    """Every URL pattern with the access it declares (None when it declares none)."""
    found = []
    for name, route, namespace, entry in walk(get_resolver(urlconf).url_patterns):
        access = access_of(name, namespace)
        kwargs = tuple(entry.pattern.converters) if isinstance(entry.pattern, RoutePattern) else ()
        if not kwargs:
            kwargs = tuple(entry.pattern.regex.groupindex)
        found.append(Pattern(name, route, access, kwargs))
    return found
