from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pcn_portal import forms, history_views, network_views, oidc, views

admin.site.site_header = "PCN Portal administration"
admin.site.site_title = "PCN Portal admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=forms.LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signed-out/<slug:reason>/", views.signed_out, name="signed_out"),
    path("accounts/sso/", oidc.sign_in, name="oidc_authentication_init"),
    path("accounts/sso/callback/", oidc.callback, name="oidc_authentication_callback"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("networks/", network_views.network_list, name="network_list"),
    path("networks/<str:code>/", network_views.network_detail, name="network_detail"),
    path("networks/<str:code>/", include("networks.urls")),
    path("networks/<str:code>/practices/", include("practices.urls")),
    path("networks/<str:code>/history/", history_views.network_history, name="network_history"),
    path("networks/<str:code>/workforce/budget/", include("workforce.budget_urls")),
    path("", include("workforce.urls")),
    path("networks/<str:code>/services/", include("services.urls")),
    path("areas/", include("pcn_portal.area_urls")),
    path("directory/", include("pcn_portal.directory_urls")),
    path("api/v1/", include("pcn_portal.api_urls")),
    path("admin/", admin.site.urls),
]
