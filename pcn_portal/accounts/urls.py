"""Signing in and out, single sign-on and passwords, under /accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from pcn_portal.accounts import forms, oidc, views

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=forms.LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signed-out/<slug:reason>/", views.signed_out, name="signed_out"),
    path("sso/", oidc.sign_in, name="oidc_authentication_init"),
    path("sso/callback/", oidc.callback, name="oidc_authentication_callback"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            form_class=forms.PasswordChangeForm,
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
