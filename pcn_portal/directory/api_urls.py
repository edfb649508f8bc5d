"""The read-only JSON API (version 1). Any other address under it answers a JSON 404."""

from django.urls import path, re_path

from pcn_portal.directory import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("networks/", api.networks, name="networks"),
    path("networks/<str:code>/", api.network, name="network"),
    re_path(r"^(?P<path>.+)$", api.not_found, name="not_found"),
]
