"""Django settings for Caremarket.

One settings module, configured from the environment (twelve-factor style):

- ``CAREMARKET_ENV``: ``development`` (the default: `make run`, tests) or
  ``production`` (a council's deployment: HTTPS only, secret key required).
- ``DATABASE_URL``: PostgreSQL for a council, e.g.
  ``postgres://caremarket@db.internal:5432/caremarket``. Unset: embedded SQLite.
- ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` (comma separated): production.
- ``CAREMARKET_EMAIL_*``: outgoing mail (see README).
- ``CAREMARKET_OCID_PREFIX``: the council's registered prefix for its open contracting data.
"""

import os
from urllib.parse import urlsplit
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = os.environ.get("CAREMARKET_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("CAREMARKET_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

# Off unless a developer asks (DJANGO_DEBUG=1): the demo runs as a council runs it, so that an
# error shows the service's own page and its traceback only in the terminal's log.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1" and not PRODUCTION

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    except KeyError:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production") from None
    ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
else:
    SECRET_KEY = "development-only-not-secret-caremarket-key-0123456789abcdef"
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "caremarket.accounts.admin_site.CaremarketAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_scim",
    "caremarket.core",
    "caremarket.govuk",
    "caremarket.organisations",
    "caremarket.accounts",
    "caremarket.audit",
    "caremarket.geography",
    "caremarket.reference",
    "caremarket.periods",
    "caremarket.citizens",
    "caremarket.scheduling",
    "caremarket.events",
    "caremarket.framework",
    "caremarket.quality",
    "caremarket.cqc",
    "caremarket.tendering",
    "caremarket.fees",
    "caremarket.packages",
    "caremarket.incidents",
    "caremarket.payments",
    "caremarket.outcomes",
    "caremarket.ledger",
    "caremarket.national_return",
    "caremarket.privacy",
    "caremarket.management",
    "caremarket.market",
    "caremarket.opendata",
    "caremarket.demo",
    "caremarket.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that it sees every error answer under /api/, whichever layer gave it.
    "caremarket.core.middleware.ApiErrorsAsJson",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sign-in: a person who needs a second factor reaches nothing else until they give it.
    "caremarket.accounts.two_factor.SecondFactorRequired",
    # The council's directory calls /scim/v2/ with an API token (accounts.directory).
    "caremarket.accounts.directory.DirectoryToken",
    # Once the person is known: the database works for their council alone (row-level security).
    "caremarket.accounts.middleware.CouncilOfPerson",
    # After sign-in and messages, so that its page has the usual header.
    "caremarket.core.middleware.RefuseControlCharactersInAddress",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Static files straight from the web workers: in production from `manage.py collectstatic`'s
# folder, elsewhere from the apps' and npm's folders as they are.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not PRODUCTION

ROOT_URLCONF = "caremarket.urls"
WSGI_APPLICATION = "caremarket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caremarket.web.context_processors.navigation",
            ],
        },
    },
]
# Forms render as GOV.UK Design System fields (label, hint, error message).
FORM_RENDERER = "caremarket.govuk.forms.GovukFormRenderer"

# --- Database -----------------------------------------------------------------
SQLITE_PATH = Path(os.environ.get("CAREMARKET_SQLITE_PATH", BASE_DIR / "var" / "caremarket.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # IMMEDIATE transactions take the write lock up front, so that
                # read-then-write sequences (the audit chain) never deadlock.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": os.environ.get("CAREMARKET_SQLITE_TEST_PATH")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People, sign-in and sessions -------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "caremarket.accounts.single_sign_on.CouncilSignOn",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "signed-out"

# Single sign-on for council staff with the council's identity provider over OpenID Connect
# (accounts.single_sign_on, mozilla-django-oidc), on when CAREMARKET_OIDC_CLIENT_ID is set: then
# council staff sign in only that way. Roles come from groups (accounts.GroupRole).
def _oidc(name: str, default: str = "") -> str:
    return os.environ.get(f"CAREMARKET_OIDC_{name}", default)


OIDC_RP_CLIENT_ID = _oidc("CLIENT_ID")
OIDC_RP_CLIENT_SECRET = _oidc("CLIENT_SECRET")
OIDC_OP_ISSUER = _oidc("ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc("AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = _oidc("TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = _oidc("USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = _oidc("JWKS_ENDPOINT")
OIDC_RP_SCOPES = _oidc("SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = _oidc("GROUPS_CLAIM", "groups")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds for each call to the provider
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/"

# Two-factor sign-in (django-otp: an authenticator app's code, or a single-use recovery code)
# for everyone who can see personal data or move money and does not sign in through the
# council's identity provider (accounts.sign_on_rules). "off" only for the demo on a laptop.
TWO_FACTOR = os.environ.get("CAREMARKET_TWO_FACTOR", "required")
if PRODUCTION and TWO_FACTOR == "off":
    raise ImproperlyConfigured("CAREMARKET_TWO_FACTOR=off is for the demo only, never a council's service")
OTP_TOTP_ISSUER = "Caremarket"
RECOVERY_CODES = 10

# The council's HTTPS proxies (addresses or networks, comma separated): only a request from one
# of them has its client's address read from X-Forwarded-For (core.clients).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("CAREMARKET_TRUSTED_PROXIES", "").split(",") if p.strip()]

# Throttled sign-in (django-axes): 5 failures for one account, from whichever addresses, lock
# that account for 15 minutes (a lock by account, and by account and address). An address alone
# never locks: behind a proxy or a council's network address everyone shares one. The way back
# sooner, which lifts every lock on the account: an administrator unlocks the person, or the
# person resets their password by email (accounts.views).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "caremarket.core.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after 30 minutes without activity and when the browser closes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("CAREMARKET_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy: only our own scripts and styles, plus the one inline
# script GOV.UK Frontend needs, allowed by nonce. The API docs page is the one
# exception (see caremarket/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    },
}

# --- Language, time and money --------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------
# GOV.UK Frontend's stylesheet asks for its fonts and images under /assets/,
# so every static file is served from there.
STATIC_URL = "/assets/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj" / "assets",  # its CSS asks for /assets/images/
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
    ("autocomplete", BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"),
    ("charts", BASE_DIR / "var" / "build" / "charts"),  # built by `make install` from web/charts/
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside the web root and is served by views that check who asks.
MEDIA_ROOT = Path(os.environ.get("CAREMARKET_FILES_DIR", BASE_DIR / "var" / "files"))
# Open data built ahead of time by a background job (opendata.files), handed out as it is.
OPEN_DATA_DIR = Path(os.environ.get("CAREMARKET_OPEN_DATA_DIR", BASE_DIR / "var" / "open-data"))

# --- Background work -------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Limits on what one request may bring --------------------------------------------------
# A period's call-monitoring file: a Birmingham provider's largest period is about 40,000
# visits (about 4 MB); the limits leave room for two and a half times that.
VISIT_FILE_MAX_ROWS = int(os.environ.get("CAREMARKET_VISIT_FILE_MAX_ROWS", "100000"))
VISIT_FILE_MAX_BYTES = int(os.environ.get("CAREMARKET_VISIT_FILE_MAX_BYTES", str(15 * 1024 * 1024)))
# The problems kept with an upload (the first ones, with a count of the rest).
ROW_ERRORS_KEPT = 300
# A file of more rows than this is checked by the background worker while the page shows progress.
VISIT_FILE_ROWS_CHECKED_AT_ONCE = int(os.environ.get("CAREMARKET_VISIT_FILE_ROWS_CHECKED_AT_ONCE", "5000"))
# An API request body: the largest schema is a batch of VISIT_FILE_MAX_ROWS visits as JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("CAREMARKET_API_BODY_MAX_BYTES", str(32 * 1024 * 1024)))
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 500  # no list answers with more records than this at once

# --- Email -------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("CAREMARKET_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("CAREMARKET_EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("CAREMARKET_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CAREMARKET_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CAREMARKET_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("CAREMARKET_EMAIL_FROM", "caremarket@council.example")
# Without a mail server (the demo, development), each email is written as a file to the
# outbox folder for a person to read, rather than printed to the terminal.
EMAIL_DELIVERY_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION or os.environ.get("CAREMARKET_EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend"
)
# Each email is also kept for its recipient's notifications page (accounts.mail).
EMAIL_BACKEND = "caremarket.accounts.mail.SendAndKeepBackend"
EMAIL_FILE_PATH = Path(os.environ.get("CAREMARKET_OUTBOX_DIR", BASE_DIR / "var" / "outbox"))

# --- The council running this instance ------------------------------------------
COUNCIL_NAME = os.environ.get("CAREMARKET_COUNCIL_NAME", "Birmingham City Council")
# A subject access PDF is written in DejaVu from here when it is there (any script a name is in).
PDF_FONT_DIR = os.environ.get("CAREMARKET_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
# The council's three-digit local authority code in national returns (Birmingham's is 330).
COUNCIL_LA_CODE = os.environ.get("CAREMARKET_COUNCIL_LA_CODE", "330")
# Where people reach this service, for links in emails sent by background jobs.
SITE_URL = os.environ.get("CAREMARKET_SITE_URL", "http://127.0.0.1:8000")

# The council's directory creates, changes and closes council accounts over SCIM 2.0
# (django-scim2, /scim/v2/Users), with an API token that has the scope directory:write.
SCIM_SERVICE_PROVIDER = {
    "SCHEME": urlsplit(SITE_URL).scheme,
    "NETLOC": urlsplit(SITE_URL).netloc,
    "AUTHENTICATION_SCHEMES": [{"type": "oauthbearertoken", "name": "API token",
                                "description": "A Caremarket API token with the scope directory:write"}],
    "USER_ADAPTER": "caremarket.accounts.directory.CouncilPerson",
    "USER_FILTER_PARSER": "caremarket.accounts.directory_query.CouncilPeopleQuery",
    "GET_EXTRA_MODEL_FILTER_KWARGS_GETTER": "caremarket.accounts.directory_query.only_the_councils_people",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="Caremarket directory"',
}
# The council's prefix for Open Contracting IDs (registered with the Open Contracting Partnership).
OCDS_OCID_PREFIX = os.environ.get("CAREMARKET_OCID_PREFIX", "ocds-cmdemo")
# The council as open data names it: an org-id.guide scheme and its id there (Local Authorities
# in England: GB-LAE and the council's three-letter code).
COUNCIL_ID_SCHEME = os.environ.get("CAREMARKET_COUNCIL_ID_SCHEME", "GB-LAE")
COUNCIL_ID = os.environ.get("CAREMARKET_COUNCIL_ID", "BIR")
# Open data's k-anonymity: a release is published once at least this many contracting processes
# share everything it says about someone's care (opendata/ocds.py).
OPEN_DATA_K = int(os.environ.get("CAREMARKET_OPEN_DATA_K", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # A quiet console: no line for each background task, and a refused request (403, 404) is not
    # an error; errors (a 500, a failed task) still show.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "django_tasks": {"level": "WARNING"}, "django.request": {"level": "ERROR"},
                # fpdf2 subsets a PDF's fonts with fontTools, which reports each table it prunes.
                "fontTools": {"level": "WARNING"}},
}
