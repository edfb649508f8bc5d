"""The public directory of networks (no login)."""

from django.urls import path

from pcn_portal.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="list"),
    path("areas/<str:sub_icb>/", views.directory_area, name="area"),
    path("<str:code>/", views.directory_network, name="network"),
]
