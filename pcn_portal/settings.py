"""Settings for PCN Portal: one module, read from the environment and an optional .env.

Every setting that differs between machines comes from an environment variable; README.md
lists them all. In production (DEBUG off) SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and
PORTAL_URL must be set, and a missing one stops start-up with a message saying how to set it.
"""

import datetime
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pghistory
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Values already in the environment win over the file.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _required(name, hint):
    """Read a setting that production cannot run without, failing with a hint."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. {hint} Set it in the environment or in .env "
            "(see .env.example); for local development set DEBUG=true."
        )
    return value


if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = _required(
        "SECRET_KEY",
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))".',
    )
    ALLOWED_HOSTS = _required(
        "ALLOWED_HOSTS", "Give the host names the site answers to, comma-separated."
    ).split(",")
    _required(
        "DATABASE_URL", "Give the PostgreSQL server as postgres://USER:PASSWORD@HOST:PORT/NAME."
    )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, so its templates add an "Events" (history) link to change pages.
    "pghistory.admin",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",  # thousands separators in figures (intcomma)
    "axes",
    "crispy_forms",
    "django_filters",
    "pgtrigger",
    "django_tasks_db",
    "pcn_portal.apps.AuditHistoryConfig",  # django-pghistory
    "pcn_portal.core",  # shared helpers; its table: the add forms already saved
    "pcn_portal",
    "networks",
    "practices",
    "workforce",
    "services",
    "pcn_portal.seeds",  # seed_demo and seed_national
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL byte (or another control character) in an address answers 400, for anyone.
    "pcn_portal.core.addresses.RefuseControlCharacters",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pcn_portal.history.audit.HistoryMiddleware",
    "pcn_portal.accounts.sessions.SessionTimeoutMiddleware",
    # Last, as django-axes asks: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pcn_portal.urls"
WSGI_APPLICATION = "pcn_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pcn_portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@/pcn_portal")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiler pays off for long analytical queries, not for a web app's: on
# the audit history's union of every event table it spent 11 s compiling a query that runs
# in 0.4 s. Off for this application's connections (DATABASE_URL may add more options).
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = " ".join(filter(None, [_options.get("options"), "-c jit=off"]))
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL server (postgres://…).")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: not like the user's username, names or e-mail address (their whole name
# included), at least PASSWORD_MIN_LENGTH characters, and not on the list of 20,000 common
# passwords Django ships.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "pcn_portal.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes), on every login form, the admin's included: after
# LOGIN_FAILURE_LIMIT failures for one username from one address, or
# LOGIN_ADDRESS_FAILURE_LIMIT from one address whatever the usernames, further attempts are
# refused for LOGIN_COOLOFF_MINUTES (counted from the last failure). A good login clears the
# count; national admins see and clear lockouts in admin (Axes → Access attempts). Why the
# pair and not the username or address alone: pcn_portal/accounts/throttling.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "pcn_portal.accounts.throttling.PairThenAddressHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked do not move the time the page gives for trying again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "pcn_portal.accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "pcn_portal.accounts.views.client_address"
AXES_USERNAME_FORM_FIELD = "username"
# The client's address is the one the nearest TRUSTED_PROXIES proxies saw (the last
# entries of X-Forwarded-For); with none, the connection's own address.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0 if DEBUG else 1)

# Sessions end when the browser closes, after SESSION_IDLE_MINUTES without a request, and
# SESSION_MAX_HOURS after login whatever happens. Django gives a new session key at login.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_COOKIE_AGE = int(
    datetime.timedelta(hours=env.int("SESSION_MAX_HOURS", default=12)).total_seconds()
)

# Single sign-on through an OpenID Connect provider (mozilla-django-oidc), off unless
# OIDC_ENABLED is set. Users are matched by the provider's subject, then by e-mail address;
# one who matches nobody gets an account with no scope until a national admin gives one.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="single sign-on")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid profile email")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_AUTH_REQUEST_EXTRA_PARAMS = env.dict("OIDC_EXTRA_PARAMS", default={})
# The callback's URL name, inside the accounts namespace (mozilla-django-oidc reverses it).
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_ENABLED:
    for _name, _value in {
        "OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID,
        "OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
        "OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
    }.items():
        if not _value:
            raise ImproperlyConfigured(
                f"{_name} is not set, and OIDC_ENABLED is on. Give the value from your OpenID "
                "Connect provider (its discovery document lists the endpoints), "
                "or turn OIDC_ENABLED off."
            )
    AUTHENTICATION_BACKENDS.append("pcn_portal.accounts.oidc.PortalOIDCBackend")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"

# E-mail (ARRS claims submitted and decided): printed to the console in development; in
# production sent over SMTP as the EMAIL_* variables say (Django 6.1's MAILERS).
if env.str("EMAIL_HOST", default="") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.str("EMAIL_HOST", default="localhost"),
                "port": env.int("EMAIL_PORT", default=25),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": env.str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PCN Portal <no-reply@localhost>")
# The site's address as its users reach it: every link in an e-mail starts with it (an
# e-mail is sent after the request, or with none, so no request can say it). Production
# must give it; in development it is where `make run` serves (http://127.0.0.1:$PORT).


def _site_url(value):
    """The site's address: an absolute http(s) address, without a trailing slash."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ImproperlyConfigured(
            f"PORTAL_URL must be the site's address as its users reach it, like "
            f"https://pcn-portal.example.nhs.uk, not {value!r}."
        )
    return value.rstrip("/")


if DEBUG:
    PORTAL_URL = env.str("PORTAL_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
else:
    PORTAL_URL = _required(
        "PORTAL_URL",
        "Give the site's address as its users reach it, like https://pcn-portal.example.nhs.uk: "
        "the links in the portal's e-mails start with it.",
    )
PORTAL_URL = _site_url(PORTAL_URL)
# An ARRS claim waiting longer than this many days for a decision is one of its area's
# exceptions (pcn_portal.areas.exceptions).
CLAIM_WAITING_DAYS = env.int("CLAIM_WAITING_DAYS", default=14)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (service evidence). Never served as static files: the services views
# check the network's scope and stream them, so there is no MEDIA_URL to reach them by.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# In development WhiteNoise serves files straight from the finders, picking up changes.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"

# Content Security Policy: nothing inline, nothing from other origins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "https://assets.nhs.uk"],  # NHS Frutiger, licensed to NHS services
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Audit history: PostgreSQL triggers record every insert, update and delete of a tracked
# row, with the request's user (HistoryMiddleware) or the named process (pghistory.context).
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
PGHISTORY_ADMIN_CLASS = "pcn_portal.history.audit.AuditEventsAdmin"

SERVICE_NAME = "PCN Portal"

# Where manage.py fetch_ods downloads the national files from. The defaults are the ODS
# Data Search and Export reports (DOMAIN.md §6.1, source S148); the practice map and list
# size files move with each monthly NHS England publication, so they have no default.
ODS_SOURCES = {
    "epcn": env.str(
        "ODS_EPCN_URL",
        default="https://www.odsdatasearchandexport.nhs.uk/api/getReport?report=epcn",
    ),
    "epcn-partners": env.str(
        "ODS_EPCN_PARTNERS_URL",
        default=(
            "https://www.odsdatasearchandexport.nhs.uk/api/getReport?report=epcncorepartnerdetails"
        ),
    ),
    "epraccur": env.str(
        "ODS_EPRACCUR_URL",
        default="https://www.odsdatasearchandexport.nhs.uk/api/getReport?report=epraccur",
    ),
    "practice-map": env.str("ODS_PRACTICE_MAP_URL", default=""),
    "list-sizes": env.str("ODS_LIST_SIZES_URL", default=""),
}
ODS_FETCH_TIMEOUT = env.float("ODS_FETCH_TIMEOUT", default=60.0)  # seconds, per request
ODS_FETCH_MAX_MB = env.int("ODS_FETCH_MAX_MB", default=100)  # per file; epraccur is ~4 MB
# What one file may open to (practices/ods/limits.py). The national ePCN workbook opens to
# about 5 MiB, epraccur has about 16,000 rows and its longest cell is under 100 characters.
ODS_MAX_WORKBOOK_MB = env.int("ODS_MAX_WORKBOOK_MB", default=64)
ODS_MAX_ROWS = env.int("ODS_MAX_ROWS", default=200_000)
ODS_MAX_CELL_CHARS = env.int("ODS_MAX_CELL_CHARS", default=1000)

# Background tasks (django.tasks): admin's ODS imports run in `manage.py db_worker`, which
# `make run` starts beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Files uploaded in admin wait here between the dry run and the confirmation.
ODS_UPLOAD_DIR = env.path(
    "ODS_UPLOAD_DIR", default=str(Path(tempfile.gettempdir()) / "pcn-portal-ods-uploads")
)
