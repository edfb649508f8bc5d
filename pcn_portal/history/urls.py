"""A network's history, under /networks/<ODS code>/history/."""

from django.urls import path

from pcn_portal.history import views

app_name = "history"

urlpatterns = [
    path("", views.network_history, name="network"),
]
