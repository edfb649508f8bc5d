"""The site's addresses: each app's pages under its own namespace ("workforce:claim_detail"),
included here under the network or area they belong to."""

from django.contrib import admin
from django.urls import include, path

from pcn_portal import views

admin.site.site_header = "PCN Portal administration"
admin.site.site_title = "PCN Portal admin"

NETWORK = "networks/<str:code>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("pcn_portal.accounts.urls")),
    path("networks/", include("pcn_portal.workspace.urls")),
    path(NETWORK, include("networks.urls")),
    path(f"{NETWORK}practices/", include("practices.urls")),
    path(f"{NETWORK}history/", include("pcn_portal.history.urls")),
    path(f"{NETWORK}workforce/", include("workforce.urls")),
    path(f"{NETWORK}services/", include("services.urls")),
    path("areas/", include("pcn_portal.areas.urls")),
    path("directory/", include("pcn_portal.directory.urls")),
    path("api/v1/", include("pcn_portal.directory.api_urls")),
    path("admin/", admin.site.urls),
]
