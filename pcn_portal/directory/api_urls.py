"""The read-only JSON API (version 1)."""

from django.urls import path

from pcn_portal.directory import api

app_name = "api"

urlpatterns = [
    path("networks/", api.networks, name="networks"),
    path("networks/<str:code>/", api.network, name="network"),
]
