"""The public directory of networks (no login)."""

from django.urls import path

from pcn_portal.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="list"),
    path("api/", views.api_documentation, name="api"),
    path("areas/", views.directory_areas, name="areas"),
    path("areas/<str:sub_icb>/", views.directory_area, name="area"),
    path("<str:code>/", views.directory_network, name="network"),
]
