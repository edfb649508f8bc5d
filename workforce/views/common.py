"""What the ARRS pages share: a network's breadcrumbs."""

from django.urls import reverse


def network_crumbs(pcn, *more):
    return [
        {"text": "Home", "href": reverse("home")},
        {"text": pcn.display_name, "href": reverse("workspace:network_detail", args=[pcn.code])},
        *more,
    ]


def register_crumb(pcn):
    return {"text": "Staff register", "href": reverse("workforce:post_list", args=[pcn.code])}


def claims_crumb(pcn):
    return {"text": "ARRS claims", "href": reverse("workforce:claim_list", args=[pcn.code])}
