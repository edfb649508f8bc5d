"""Single sign-on through an OpenID Connect provider, against a stub provider (no network).

The stub answers the three calls the portal makes server to server (token, signing keys,
user information) with an RS256-signed ID token, the way a real provider does; the
browser's two legs (to the provider and back) are followed by hand.
"""

import base64
import hashlib
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from networks.models import SignInIdentity
from tests.conftest import make_user
from tests.factories import SignInIdentityFactory

ISSUER = "https://sso.example.test"
CLIENT_ID = "pcn-portal"


class Response:
    def __init__(self, data, status=200):
        self.data, self.status_code = data, status
        self.headers = {"content-type": "application/json"}

    def json(self):
        return self.data

    def raise_for_status(self):
        if self.status_code >= 400:
            from requests import HTTPError

            raise HTTPError(f"{self.status_code}", response=self)


class StubProvider:
    """A provider that has authenticated a person and issues codes for them."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "stub-key"
        self.grants = {}

    def authorise(self, authorize_url, claims, userinfo=None):
        """The person signs in at the provider: returns the code the browser brings back."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        code = uuid.uuid4().hex
        self.grants[code] = (query, claims, userinfo or claims)
        return code, query["state"]

    def token(self, url, data, **kwargs):
        query, claims, userinfo = self.grants.pop(data["code"])
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(data["code_verifier"].encode()).digest()
        ).rstrip(b"=")
        if challenge.decode() != query["code_challenge"] or data["client_id"] != CLIENT_ID:
            return Response({"error": "invalid_grant"}, status=400)
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": ISSUER,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": query["nonce"],
                **claims,
            },
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        self.userinfo_for = {"access": userinfo}
        return Response({"id_token": id_token, "access_token": "access", "token_type": "Bearer"})

    def get(self, url, headers=None, **kwargs):
        if url == f"{ISSUER}/jwks":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return Response({"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]})
        assert url == f"{ISSUER}/userinfo" and headers["Authorization"] == "Bearer access"
        return Response(self.userinfo_for["access"])


@pytest.fixture
def provider(settings, monkeypatch):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "the stub provider"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "pcn_portal.accounts.oidc.PortalOIDCBackend",
    ]
    stub = StubProvider()
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", stub.token)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", stub.get)
    return stub


def sign_in(client, provider, claims, userinfo=None):
    """Start single sign-on, sign in at the provider, come back: the callback response."""
    start = client.get("/accounts/sso/")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{ISSUER}/authorize?")
    code, state = provider.authorise(start["Location"], claims, userinfo)
    return client.get("/accounts/sso/callback/", {"code": code, "state": state})


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


PERSON = {
    "sub": "900000000001",
    "email": "Priya.Patel@example.nhs.uk",
    "email_verified": True,
    "given_name": "Priya",
    "family_name": "Patel",
}


def test_the_login_page_offers_single_sign_on_when_it_is_set_up(client, provider):
    page = client.get("/accounts/login/").content.decode()
    assert "Log in with the stub provider" in page
    assert 'href="/accounts/sso/"' in page


def test_single_sign_on_is_off_unless_set_up(client, db):
    assert "Log in with" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/sso/").status_code == 404
    assert client.get("/accounts/sso/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_a_new_person_gets_an_account_with_no_scope(client, provider, db):
    response = sign_in(client, provider, PERSON)
    assert response.status_code == 302
    assert response["Location"] == "/"

    user = signed_in_user(client)
    assert user.get_full_name() == "Priya Patel"
    assert user.email == PERSON["email"]
    assert not user.is_staff and not user.is_superuser
    assert not user.assignments.exists()
    assert user.sign_in_identity.subject == PERSON["sub"]
    assert "Priya Patel" in client.get("/").content.decode()


def test_an_existing_user_is_matched_by_email_then_by_subject(client, provider, db):
    local = make_user("priya.p")
    local.email = "priya.patel@EXAMPLE.nhs.uk"
    local.save()

    sign_in(client, provider, PERSON)
    assert signed_in_user(client) == local
    client.post("/accounts/logout/")

    # Later the provider reports a new address: the subject still finds the same user.
    sign_in(client, provider, {**PERSON, "email": "priya.patel2@example.nhs.uk"})
    assert signed_in_user(client) == local
    assert get_user_model().objects.count() == 1


def test_an_email_already_linked_to_another_subject_does_not_sign_in_as_that_user(
    client, provider, db
):
    local = make_user("priya.patel@example.nhs.uk")
    SignInIdentityFactory(user=local, subject="900000000999")

    response = sign_in(client, provider, PERSON)
    assert signed_in_user(client) != local
    assert response["Location"] == "/accounts/login/?sso=failed"


@pytest.mark.parametrize("verified", [None, False, "false"])
def test_an_email_the_provider_did_not_verify_links_to_no_one(client, provider, db, verified):
    local = make_user("priya.p")
    local.email = PERSON["email"]
    local.save()
    claims = {**PERSON, "email_verified": verified}
    if verified is None:
        del claims["email_verified"]

    sign_in(client, provider, claims)
    user = signed_in_user(client)
    assert user != local
    # A new account with no scope, named by the subject, the address not taken as theirs.
    assert (user.username, user.email) == (f"sso-{PERSON['sub']}", "")
    assert not user.assignments.exists()


def test_a_provider_flag_sent_as_text_counts(client, provider, db):
    local = make_user("priya.p")
    local.email = PERSON["email"]
    local.save()
    sign_in(client, provider, {**PERSON, "email_verified": "true"})
    assert signed_in_user(client) == local


def test_a_national_admin_is_never_linked_by_email(client, provider, superuser):
    superuser.email = PERSON["email"]
    superuser.save()
    sign_in(client, provider, PERSON)
    user = signed_in_user(client)
    assert user != superuser and not user.is_superuser and not user.is_staff
    assert not SignInIdentity.objects.filter(user=superuser).exists()


def test_user_information_about_someone_else_is_refused(client, provider, db):
    response = sign_in(client, provider, PERSON, userinfo={**PERSON, "sub": "900000000002"})
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert signed_in_user(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "You could not be logged in with the stub provider" in page


def test_a_tampered_id_token_is_refused(client, provider, db, monkeypatch):
    forger = StubProvider()  # signs with a key the portal has never seen
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", forger.token)
    start = client.get("/accounts/sso/")
    code, state = forger.authorise(start["Location"], PERSON)
    response = client.get("/accounts/sso/callback/", {"code": code, "state": state})
    assert response.status_code == 400
    assert signed_in_user(client) is None
