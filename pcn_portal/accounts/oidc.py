"""Single sign-on through an OpenID Connect provider, with mozilla-django-oidc.

Off unless OIDC_ENABLED is set (the endpoints and client come from the environment; see
README.md). A person who signs in is matched to a portal user by the provider's subject,
or, the first time, by e-mail address to a user not yet linked to another subject, only
when the provider says it verified the address (`email_verified`), and never to a national
admin or other staff account (those are linked by a national admin, in admin: Networks →
Single sign-on identities). Anyone else gets a new account with no scope, which sees nothing until
a national admin assigns one. Local accounts keep working beside it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from networks.models import SignInIdentity

logger = logging.getLogger(__name__)


def verified_email(claims):
    """The e-mail address the provider vouches for, or "" when it does not say it verified
    it (some providers send the flag as the string "true")."""
    verified = claims.get("email_verified")
    if verified is True or str(verified).lower() == "true":
        return claims.get("email") or ""
    return ""


class PortalOIDCBackend(OIDCAuthenticationBackend):
    def get_or_create_user(self, access_token, id_token, payload):
        self.subject = payload.get("sub")
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_claims(self, claims):
        # The user information must be about the person the signed ID token names.
        return bool(claims.get("sub")) and claims.get("sub") == self.subject

    def filter_users_by_claims(self, claims):
        users = get_user_model().objects.all()
        linked = users.filter(sign_in_identity__subject=claims["sub"])
        if linked.exists():
            return linked
        email = verified_email(claims)
        if not email:
            return users.none()
        return users.filter(
            email__iexact=email,
            sign_in_identity__isnull=True,
            is_superuser=False,
            is_staff=False,
        )

    @transaction.atomic
    def create_user(self, claims):
        user_model = get_user_model()
        email = verified_email(claims)
        username = email or f"sso-{claims['sub']}"
        if user_model.objects.filter(username__iexact=username).exists():
            raise SuspiciousOperation("A local user already has this username.")
        user = user_model.objects.create_user(
            username[:150],
            email=email,
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("family_name", "")[:150],
        )
        SignInIdentity.objects.create(user=user, subject=claims["sub"])
        logger.info("Single sign-on created user %s with no scope", user.username)
        return user

    def update_user(self, user, claims):
        SignInIdentity.objects.get_or_create(user=user, defaults={"subject": claims["sub"]})
        return user


def _when_enabled(view):
    @never_cache
    @login_not_required
    def wrapped(request):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up.")
        return view(request)

    return wrapped


sign_in = _when_enabled(OIDCAuthenticationRequestView.as_view())
callback = _when_enabled(OIDCAuthenticationCallbackView.as_view())
