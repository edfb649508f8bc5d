"""Production settings: what must be set, and Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pcn-portal.example.nhs.uk",
    "DATABASE_URL": "postgres://portal:secret@db.example.nhs.uk:5432/pcn_portal",
    "PORTAL_URL": "https://pcn-portal.example.nhs.uk",
}


def manage(*args, **env):
    # Only what a production host would have: no settings of ours, no test-only switches.
    dropped = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "ENV_FILE": os.devnull, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_checks_pass_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "hint"),
    [
        ("SECRET_KEY", "secrets.token_urlsafe"),
        ("ALLOWED_HOSTS", "host names"),
        ("DATABASE_URL", "postgres://"),
        ("PORTAL_URL", "the links in the portal's e-mails start with it"),
    ],
)
def test_production_refuses_to_start_without(missing, hint):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr
    assert hint in result.stderr


def setting(name, **env):
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        f"from django.conf import settings as s; print(s.{name})",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_site_address_is_the_one_given():
    """Links in e-mails start with the address the site is reached at, never a host of
    the portal's own (they read http://localhost:8000 whatever the site's address)."""
    assert setting("PORTAL_URL", **{**PRODUCTION, "PORTAL_URL": "https://pcn.example.nhs.uk/"}) == (
        "https://pcn.example.nhs.uk"
    )
    # In development, where make run serves.
    assert setting("PORTAL_URL", DEBUG="true", PORT="8080") == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    "value", ["pcn-portal.example.nhs.uk", "ftp://pcn.example.nhs.uk", "https://"]
)
def test_a_site_address_that_is_not_one_is_refused(value):
    result = manage("check", **{**PRODUCTION, "PORTAL_URL": value})
    assert result.returncode != 0
    assert "PORTAL_URL must be the site's address as its users reach it" in result.stderr


def test_only_postgresql_is_accepted():
    result = manage("check", **{**PRODUCTION, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL must name a PostgreSQL server" in result.stderr


def test_production_security_headers():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS)"
    )
    result = manage("shell", "--verbosity", "0", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000"]


@pytest.mark.django_db
def test_postgresql_jit_is_off_for_the_app():
    """JIT compilation cost seconds on the audit history's large union query."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


SINGLE_SIGN_ON = {
    "OIDC_ENABLED": "true",
    "OIDC_CLIENT_ID": "pcn-portal",
    "OIDC_AUTHORIZATION_ENDPOINT": "https://sso.example.nhs.uk/authorize",
    "OIDC_TOKEN_ENDPOINT": "https://sso.example.nhs.uk/token",
    "OIDC_USERINFO_ENDPOINT": "https://sso.example.nhs.uk/userinfo",
    "OIDC_JWKS_ENDPOINT": "https://sso.example.nhs.uk/jwks",
}


def test_single_sign_on_refuses_to_start_without_its_endpoints():
    env = {k: v for k, v in SINGLE_SIGN_ON.items() if k != "OIDC_JWKS_ENDPOINT"}
    result = manage("check", **PRODUCTION, **env)
    assert result.returncode != 0
    assert "OIDC_JWKS_ENDPOINT is not set, and OIDC_ENABLED is on" in result.stderr


def mailer(**env):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "m = settings.MAILERS['default']; print(m['BACKEND'], m.get('OPTIONS', {}).get('host'), "
        "m.get('OPTIONS', {}).get('port'), m.get('OPTIONS', {}).get('use_tls'))"
    )
    dropped = {*PRODUCTION, "DEBUG", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "ENV_FILE": os.devnull, "DJANGO_SETTINGS_MODULE": "pcn_portal.settings",
             **env},
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_email_goes_to_the_console_in_development():
    assert mailer(DEBUG="true")[0] == "django.core.mail.backends.console.EmailBackend"


def test_email_goes_over_smtp_as_the_environment_says():
    backend, host, port, tls = mailer(
        **PRODUCTION, EMAIL_HOST="smtp.example.nhs.uk", EMAIL_PORT="587", EMAIL_USE_TLS="true"
    )
    assert (backend, host, port, tls) == (
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.nhs.uk",
        "587",
        "True",
    )
