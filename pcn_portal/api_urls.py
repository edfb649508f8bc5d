"""The read-only JSON API (version 1)."""

from django.urls import path

from pcn_portal import api

urlpatterns = [
    path("networks/", api.networks, name="api_networks"),
    path("networks/<str:code>/", api.network, name="api_network"),
]
