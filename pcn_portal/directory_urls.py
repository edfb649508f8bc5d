"""The public directory of networks (no login)."""

from django.urls import path

from pcn_portal import directory_views

urlpatterns = [
    path("", directory_views.directory, name="directory"),
    path("areas/<str:sub_icb>/", directory_views.directory_area, name="directory_area"),
    path("<str:code>/", directory_views.directory_network, name="directory_network"),
]
