"""The networks a user may see, and each network's overview, under /networks/."""

from django.urls import path

from pcn_portal.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.network_list, name="network_list"),
    path("<str:code>/", views.network_detail, name="network_detail"),
]
