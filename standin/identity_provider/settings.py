"""Settings of the stand-in identity provider (django-oauth-toolkit, OpenID Connect): its own
Django project in its own process, sharing nothing with Caremarket's. The rest comes from the
command line (standin/identity_provider/__main__.py) through the environment."""

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPTIONS = json.loads(os.environ["IDENTITY_PROVIDER_OPTIONS"])

SECRET_KEY = "stand-in identity provider, never used for anything real"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
ROOT_URLCONF = "standin.identity_provider.urls"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "oauth2_provider"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": OPTIONS["database"]}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [HERE / "templates"],
              "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}]
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: a stand-in
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OPTIONS["private_key"],
    "OIDC_ISS_ENDPOINT": OPTIONS["issuer"],
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "Who you are", "email": "Your email address", "profile": "Your name",
               "groups": "Your groups"},
    "OAUTH2_VALIDATOR_CLASS": "standin.identity_provider.validator.CouncilDirectory",
    "ID_TOKEN_EXPIRE_SECONDS": 300,
}
