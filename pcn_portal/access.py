"""Who each page is for: every URL pattern of the site declares its access here, in one
place, and the access grid (tests/site/test_access_grid.py) holds every persona to it.

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
    AREA_APPROVER = "area approver"  # approvers of the area in the URL or above it
    NATIONAL_ADMIN = "national admin"  # staff in Django admin


BY_NAMESPACE = {"admin": Access.NATIONAL_ADMIN}

BY_NAME = {
    "home": Access.PUBLIC,  # the front door when not logged in, your networks when you are
    "healthz": Access.PUBLIC,
    "accounts:login": Access.PUBLIC,
    "accounts:logout": Access.PUBLIC,
    "accounts:signed_out": Access.PUBLIC,
    "accounts:oidc_authentication_init": Access.PUBLIC,
    "accounts:oidc_authentication_callback": Access.PUBLIC,
    "accounts:password_change": Access.ANY_LOGIN,
    "accounts:password_change_done": Access.ANY_LOGIN,
    "workspace:network_list": Access.ANY_LOGIN,
    "workspace:network_detail": Access.NETWORK_READ,
    # The admin's own way in and out: anyone may reach them.
    "admin:login": Access.PUBLIC,
    "admin:logout": Access.PUBLIC,
    # The network workspace: members, people, governance and history of one network.
    "practices:member_list": Access.NETWORK_READ,
    "practices:membership_history": Access.NETWORK_READ,
    "practices:member_join": Access.NETWORK_WRITE,
    "practices:practice_detail": Access.NETWORK_READ,
    "practices:member_leave": Access.NETWORK_WRITE,
    "networks:director_list": Access.NETWORK_READ,
    "networks:director_add": Access.NETWORK_WRITE,
    "networks:director_edit": Access.NETWORK_WRITE,
    "networks:director_end": Access.NETWORK_WRITE,
    "networks:team_list": Access.NETWORK_READ,
    "networks:team_add": Access.NETWORK_WRITE,
    "networks:team_edit": Access.NETWORK_WRITE,
    "networks:team_end": Access.NETWORK_WRITE,
    "networks:governance": Access.NETWORK_READ,
    "networks:agreement_edit": Access.NETWORK_WRITE,
    "networks:payee_edit": Access.NETWORK_WRITE,
    "networks:footprint_edit": Access.NETWORK_WRITE,
    "networks:collaboration_list": Access.NETWORK_READ,
    "networks:collaboration_add": Access.NETWORK_WRITE,
    "networks:collaboration_edit": Access.NETWORK_WRITE,
    "networks:partner_edit": Access.NETWORK_WRITE,
    "history:network": Access.NETWORK_READ,
    # ARRS budget position and the weighted population behind it
    "workforce:budget_current": Access.NETWORK_READ,
    "workforce:budget_detail": Access.NETWORK_READ,
    "workforce:weighted_population_edit": Access.APPROVER,
    "workforce:whatif": Access.NETWORK_READ,  # pricing a post saves nothing
    # ARRS: the staff register, monthly claims and their approval (workforce/urls.py).
    "workforce:post_list": Access.NETWORK_READ,
    "workforce:post_add": Access.NETWORK_WRITE,
    "workforce:post_edit": Access.NETWORK_WRITE,
    "workforce:post_end": Access.NETWORK_WRITE,
    "workforce:claim_list": Access.NETWORK_READ,
    "workforce:claim_start": Access.NETWORK_WRITE,
    "workforce:claim_detail": Access.NETWORK_READ,
    "workforce:claim_line_edit": Access.NETWORK_WRITE,
    "workforce:claim_add_lines": Access.NETWORK_WRITE,
    "workforce:claim_adjust": Access.NETWORK_WRITE,
    "workforce:claim_submit": Access.NETWORK_WRITE,
    "workforce:claim_held_work_out": Access.NETWORK_WRITE,
    "workforce:claim_decide": Access.APPROVER,
    "areas:claim_queue": Access.AREA_READ,
    "areas:claim_queue_approve": Access.AREA_APPROVER,
    # Service specifications, evidence, care homes and local priorities (services/urls.py).
    "services:year": Access.NETWORK_READ,
    "services:specification": Access.NETWORK_READ,
    "services:delivery_edit": Access.NETWORK_WRITE,
    "services:requirement_edit": Access.NETWORK_WRITE,
    "services:evidence_add": Access.NETWORK_WRITE,
    "services:evidence_file": Access.NETWORK_READ,
    "services:evidence_remove": Access.NETWORK_WRITE,
    "services:care_homes": Access.NETWORK_READ,
    "services:care_home_add": Access.NETWORK_WRITE,
    "services:care_home": Access.NETWORK_READ,
    "services:care_home_edit": Access.NETWORK_WRITE,
    "services:care_home_beds": Access.NETWORK_WRITE,
    "services:care_home_end": Access.NETWORK_WRITE,
    "services:priorities": Access.NETWORK_READ,
    "services:priority_add": Access.NETWORK_WRITE,
    "services:priority_edit": Access.NETWORK_WRITE,
    # Commissioner dashboards (/areas/<code>/…; "england" for national staff only).
    "areas:detail": Access.AREA_READ,
    "areas:footprints": Access.AREA_READ,
    "areas:leadership": Access.AREA_READ,
    "areas:governance": Access.AREA_READ,
    "areas:arrs": Access.AREA_READ,
    "areas:roles": Access.AREA_READ,
    "areas:services": Access.AREA_READ,
    "areas:care_homes": Access.AREA_READ,
    "areas:practices": Access.AREA_READ,
    "areas:exceptions": Access.AREA_READ,
    # The area's own notes on a network: its staff read and add them (never the network).
    "areas:network_notes": Access.AREA_READ,
    "areas:board_pack": Access.AREA_READ,
    # The public directory and its JSON API: published data, no login.
    "directory:list": Access.PUBLIC,
    "directory:areas": Access.PUBLIC,
    "directory:api": Access.PUBLIC,
    "directory:network": Access.PUBLIC,
    "directory:area": Access.PUBLIC,
    "api:index": Access.PUBLIC,
    "api:networks": Access.PUBLIC,
    "api:not_found": Access.PUBLIC,
    "api:network": Access.PUBLIC,
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


def walk(patterns, prefix="", namespace="", outer=()):
    """(name, route, namespace, pattern, the URL arguments of the includes around it)."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from walk(entry.url_patterns, route, inner, outer + arguments_of(entry))
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or ""]))
            yield name, route, namespace, entry, outer


def arguments_of(entry):
    if isinstance(entry.pattern, RoutePattern):
        return tuple(entry.pattern.converters)
    return tuple(entry.pattern.regex.groupindex)


def site_patterns(urlconf=None):
    """Every URL pattern with the access it declares (None when it declares none)."""
    found = []
    for name, route, namespace, entry, outer in walk(get_resolver(urlconf).url_patterns):
        access = access_of(name, namespace)
        kwargs = outer + arguments_of(entry)
        found.append(Pattern(name, route, access, kwargs))
    return found
