"""Single sign-on through an OpenID Connect provider, with mozilla-django-oidc.

Off unless OIDC_ENABLED is set (the endpoints and client come from the environment; see
README.md). A person who signs in is matched to a portal user by the provider's subject,
or, the first time, by e-mail address to a user not yet linked to another subject; anyone
else gets a new account with no scope, which sees nothing until a national admin assigns
one. Local accounts keep working beside it.
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
        email = claims.get("email")
        if not email:
            return users.none()
        return users.filter(email__iexact=email, sign_in_identity__isnull=True)

    @transaction.atomic
    def create_user(self, claims):
        user_model = get_user_model()
        username = claims.get("email") or f"sso-{claims['sub']}"
        if user_model.objects.filter(username__iexact=username).exists():
            raise SuspiciousOperation("A local user already has this username.")
        user = user_model.objects.create_user(
            username[:150],
            email=claims.get("email", ""),
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
