"""Settings, all from environment variables with safe defaults.

Check out, install, run: with nothing set, Lodestar serves on SQLite in ./var/ with
DEBUG on and a development secret. Production sets DATABASE_URL, SECRET_KEY (or
SECRET_KEY_FILE), DEBUG=false and ALLOWED_HOSTS.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("LODESTAR_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def secret(name: str, default: str) -> str:
    """A secret may come from NAME or from the file named by NAME_FILE (container secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = secret("SECRET_KEY", "dev-only-insecure-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API documentation page's assets itself, no CDN
    "lodestar.org",
    "lodestar.strategy",
    "lodestar.okrs",
    "lodestar.insights",
    "lodestar.scores",
    "lodestar.notify",
    "lodestar.api",
    "lodestar.exchange",
    "lodestar.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lodestar.urls"
WSGI_APPLICATION = "lodestar.wsgi.application"
AUTH_USER_MODEL = "org.Person"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

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
                "lodestar.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'lodestar.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a command (recompute, import) writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))

# Scoring limits (SPEC: "All limits are settings").
OKR_RED_BELOW = env.float("OKR_RED_BELOW", default=0.4)
OKR_GREEN_FROM = env.float("OKR_GREEN_FROM", default=0.7)
ROLLUP_RED_BELOW = env.float("ROLLUP_RED_BELOW", default=0.7)
ROLLUP_GREEN_FROM = env.float("ROLLUP_GREEN_FROM", default=0.9)
PACE_BEHIND_BELOW = env.float("PACE_BEHIND_BELOW", default=-0.10)
PACE_AT_RISK_BELOW = env.float("PACE_AT_RISK_BELOW", default=-0.25)
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=14)
# Insights: an owner of more key results in the active cycle than this is overloaded.
KEY_RESULTS_PER_OWNER_LIMIT = env.int("KEY_RESULTS_PER_OWNER_LIMIT", default=5)

# Outgoing webhooks: attempts before a delivery is given up, first retry delay (doubling).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_FIRST_RETRY_SECONDS = env.int("WEBHOOK_FIRST_RETRY_SECONDS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
