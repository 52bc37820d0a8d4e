"""Settings, all from environment variables with safe defaults.

Check out, install, run: with nothing set, Lodestar serves on SQLite in ./var/ with
DEBUG on and a development secret. Production sets DATABASE_URL, SECRET_KEY (or
SECRET_KEY_FILE), DEBUG=false and ALLOWED_HOSTS.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF

from lodestar.request_log import JSON_FORMATTER

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
    "axes",  # sign-in throttling: failed attempts are rows in the database
    "csp",
    "ninja",  # serves the API documentation page's assets itself, no CDN
    "auditlog",  # the history of every change (lodestar.audit says why this library)
    "django_tasks",  # background jobs (Django's Tasks API backport)
    "django_tasks_db",  # their queue as rows in our own database
    "lodestar.org",
    "lodestar.strategy",
    "lodestar.okrs",
    "lodestar.insights",
    "lodestar.scores",
    "lodestar.demo",
    "lodestar.notify",
    "lodestar.sources",
    "lodestar.reports",
    "lodestar.api",
    "lodestar.exchange",
    "lodestar.web",
    "lodestar.audit",
    "lodestar.jobs",
    "lodestar.conversation",  # comments and @mentions on what people review
    "lodestar.activity",  # the feeds of what happened, and who follows what
    "lodestar.chat",  # checking in from Slack and from reminders' one-click links
    # Single sign-on with OpenID Connect (lodestar.sso says why this library): allauth's
    # account app is what its social accounts stand on; only its social sign-in is served.
    # Ours first: its pages replace allauth's.
    "lodestar.sso",
    "lodestar.scim",  # provisioning by the identity provider (SCIM 2.0, scim2-models)
    # A second factor (org.second_factor): authenticator-app codes, recovery codes, passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]

MIDDLEWARE = [
    "lodestar.request_log.RequestIdMiddleware",  # first: every later log line carries the id
    "lodestar.audit.origin.OriginMiddleware",  # the client's address and browser, for history
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, right after security
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # whether this session gave its second factor
    "lodestar.web.middleware.ReaderMiddleware",  # request.reader: who is looking
    "lodestar.web.locale.PersonLocaleMiddleware",  # the person's time zone and language
    "lodestar.org.sessions.SessionSeenMiddleware",  # where one is signed in, last seen when
    "allauth.account.middleware.AccountMiddleware",  # allauth's sign-in flow state
    "lodestar.computed.ComputedMiddleware",  # X-Lodestar-Computed: kept figures computed
    "lodestar.web.computing.FiguresComputingMiddleware",  # 202 while figures are computed
    "django.contrib.messages.middleware.MessageMiddleware",
    "lodestar.web.middleware.SecondFactorMiddleware",  # the code before anything else
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lock-out into its page
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
    # Concurrent check-ins queue for SQLite's one writer instead of failing after 5 s.
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
# What a person may choose to read Lodestar in (org.preferences); unset, their browser's.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pt-br", "Português (Brasil)"),
    ("nl", "Nederlands"),
]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One date style everywhere ("7 Dec 2026 15:10"), whatever a template forgets to name.
FORMAT_MODULE_PATH = ["lodestar.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))

# --- Static files (whitenoise) ---------------------------------------------------------
# In production (DEBUG=false) whitenoise serves what `lodestar collectstatic` gathered, under
# hashed names with gzip copies; in development Django finds the files in the apps.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns of a missing one
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Sign-in throttling (django-axes) --------------------------------------------------
# After AXES_FAILURE_LIMIT failed sign-ins for one user name from one address, that pair is
# refused for AXES_COOLOFF_MINUTES (each attempt during the lock restarts it). Locking the
# pair, not the address alone, keeps one attacker from locking everybody out. The API's
# tokens do not sign in, so they are not counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked pair before any check
    "django.contrib.auth.backends.ModelBackend",
    "django_otp_webauthn.backends.WebAuthnBackend",  # signing in with a passkey alone
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lodestar.web.views.signin.locked_out"


def client_address_settings(proxies: int) -> dict:
    """Where the sign-in lock reads the client's address (django-axes through django-ipware).

    Behind TLS proxies REMOTE_ADDR is the nearest proxy's, the same for every client: the
    client's address is then the entry the proxies appended to X-Forwarded-For, counted from
    the right. Entries further left are whatever the client wrote, so they are never used,
    and without proxies the header is ignored altogether."""
    if not proxies:
        return {}  # REMOTE_ADDR, django-axes' default
    return {
        # REMOTE_ADDR still answers for a request that came round the proxy (a probe inside).
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # ipware counts the proxies named in the header; the nearest one is REMOTE_ADDR.
        "AXES_IPWARE_PROXY_COUNT": proxies - 1,
        # A header with the client's own entries in front is used, not skipped.
        "IPWARE_STRICT": False,
    }


# TRUSTED_PROXY_COUNT: how many proxies stand in front of gunicorn, each appending the
# address it saw to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for). 0: served directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
vars().update(client_address_settings(TRUSTED_PROXY_COUNT))

# --- Content-Security-Policy (django-csp) ----------------------------------------------
# Only our own files: no inline script or style anywhere (pages use classes and static JS).
# The API documentation page adds `data:` images for Swagger UI's icons (lodestar/api/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- HTTPS (named as Django's settings; set them in production behind TLS) -------------
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^health$"]  # load balancers probe over plain HTTP inside
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# Behind a TLS-terminating proxy: "HTTP_X_FORWARDED_PROTO,https" (header, value meaning https).
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
SECURE_CONTENT_TYPE_NOSNIFF = env.bool("SECURE_CONTENT_TYPE_NOSNIFF", default=True)
SECURE_REFERRER_POLICY = env.str("SECURE_REFERRER_POLICY", default="same-origin")
X_FRAME_OPTIONS = "DENY"

# Scoring limits, every one a setting (docs/scoring.md); `lodestar check` refuses bad ones.
OKR_RED_BELOW = env.float("OKR_RED_BELOW", default=0.4)
OKR_GREEN_FROM = env.float("OKR_GREEN_FROM", default=0.7)
ROLLUP_RED_BELOW = env.float("ROLLUP_RED_BELOW", default=0.7)
ROLLUP_GREEN_FROM = env.float("ROLLUP_GREEN_FROM", default=0.9)
PACE_BEHIND_BELOW = env.float("PACE_BEHIND_BELOW", default=-0.10)
PACE_AT_RISK_BELOW = env.float("PACE_AT_RISK_BELOW", default=-0.25)
# "inline": a write refreshes the strategy above it in its own transaction, one writer at
# a time. "queued": the write notes what it owes (scores.StrategyOwed) and `lodestar worker`
# refreshes it (a job on the "rollup" queue), so concurrent check-ins never wait for each other.
ROLLUP_STRATEGY = env.str("ROLLUP_STRATEGY", default="inline")
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=14)
# Insights: an owner of more key results in the active cycle than this is overloaded.
KEY_RESULTS_PER_OWNER_LIMIT = env.int("KEY_RESULTS_PER_OWNER_LIMIT", default=5)
# Kept figures (insights.kept): one a write made stale is served, with its age, this long
# after it was computed while one computation of the new value runs: in the background
# (the "insights" queue) or, "inline", by the request that found it stale — the embedded
# default on SQLite, where one process serves a few readers.
INSIGHTS_MAX_AGE_SECONDS = env.int("INSIGHTS_MAX_AGE_SECONDS", default=60)
INSIGHTS_REFRESH = env.str(
    "INSIGHTS_REFRESH",
    default="background" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "inline",
)

# --- Single sign-on (OpenID Connect through django-allauth) -----------------------------
# On when OIDC_ISSUER names the provider (its discovery document is read from it). The client
# secret comes from OIDC_CLIENT_SECRET or, better, a file (OIDC_CLIENT_SECRET_FILE); it is
# never shown back. People are linked by a verified e-mail only; see README, "Single sign-on".
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_NAME = env.str("OIDC_NAME", default="your company account")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
_secret_file = env.str("OIDC_CLIENT_SECRET_FILE", default="")
OIDC_CLIENT_SECRET = (
    Path(_secret_file).read_text().strip() if _secret_file else env.str("OIDC_CLIENT_SECRET", "")
)
OIDC_ALLOWED_DOMAINS = env.list("OIDC_ALLOWED_DOMAINS", default=[])  # empty: any domain
OIDC_CREATE_PEOPLE = env.bool("OIDC_CREATE_PEOPLE", default=True)  # just in time
OIDC_DEFAULT_ROLE = env.str("OIDC_DEFAULT_ROLE", default="member")
OIDC_ROLE_CLAIM = env.str("OIDC_ROLE_CLAIM", default="")  # e.g. "lodestar_role"
OIDC_UNITS_CLAIM = env.str("OIDC_UNITS_CLAIM", default="")  # e.g. "lodestar_units": names
# Passwords off for everyone but these admins (break glass: when the provider is down).
SSO_ONLY = env.bool("SSO_ONLY", default=False)
SSO_BREAK_GLASS = env.list("SSO_BREAK_GLASS", default=[])


def oidc_providers(issuer: str, client_id: str, secret: str, name: str) -> dict:
    if not issuer:
        return {}
    app = {"provider_id": "sso", "name": name, "client_id": client_id, "secret": secret}
    app["settings"] = {"server_url": issuer}
    return {"lodestar_oidc": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}


SOCIALACCOUNT_PROVIDERS = oidc_providers(OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME)
SOCIALACCOUNT_ADAPTER = "lodestar.sso.adapter.SocialAccounts"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # a sign-in starts with a POST: no sign-in by a link
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the adapter links, on a verified e-mail only
ACCOUNT_EMAIL_VERIFICATION = "none"

# --- Second factor (django-otp) ----------------------------------------------------------
# Roles that must set up a second factor before they see anything, e.g. "admin,strategy_office".
SECOND_FACTOR_REQUIRED_ROLES = env.list("SECOND_FACTOR_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "Lodestar"  # the name authenticator apps show

# --- Background jobs (django-tasks, database backend) -----------------------------------
# One job mechanism for every background work: the queue is rows in our own database, so
# SQLite (the embedded default) and PostgreSQL work alike and nothing else must run.
# `lodestar worker` runs them (lodestar/jobs/).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "rollup", "webhooks", "notify", "sync", "imports", "insights"],
    }
}
# /health says "degraded" when a job has waited longer than this (or no worker serves it).
JOBS_STALE_AFTER_SECONDS = env.int("JOBS_STALE_AFTER_SECONDS", default=120)

# Outgoing webhooks: attempts before a delivery is given up, first retry delay (doubling).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_FIRST_RETRY_SECONDS = env.int("WEBHOOK_FIRST_RETRY_SECONDS", default=30)
# Every outbound call (sources, Slack, Teams, webhooks: lodestar.outbound) refuses loopback,
# private, link-local, multicast and reserved addresses, except for these host names
# (exact, any address) and these ranges (CIDR, e.g. 10.20.0.0/16): an internal receiver.
OUTBOUND_ALLOWED_HOSTS = env.list("OUTBOUND_ALLOWED_HOSTS", default=[])
OUTBOUND_ALLOWED_NETWORKS = [
    str(ipaddress.ip_network(net, strict=False))  # a bad range stops start-up, named
    for net in env.list("OUTBOUND_ALLOWED_NETWORKS", default=[])
]
# Certificates that HTTPS receivers are checked against: a file of PEM certificates (an
# internal CA for internal receivers); empty, the public ones (certifi).
OUTBOUND_CA_BUNDLE = env.str("OUTBOUND_CA_BUNDLE", default="")


# Measures that fill themselves (lodestar.sources). SOURCE_DATABASES names read-only
# connections, "name=URL,name=URL" (URLs as DATABASE_URL; postgres and sqlite).
def source_databases(declared: str) -> dict[str, dict]:
    pairs = [item.split("=", 1) for item in declared.split(",") if item.strip()]
    return {name.strip(): environ.Env.db_url_config(url.strip()) for name, url in pairs}


# Unset, it declares only `demo`, the SQLite file `lodestar sources demo` writes.
SOURCE_DATABASES = source_databases(
    env.str("SOURCE_DATABASES", default=f"demo=sqlite:///{VAR_DIR / 'demo-sources.sqlite3'}")
)
# Hosts an HTTP source may fetch from (exact names; nothing else is contacted).
SOURCE_ALLOWED_HOSTS = env.list("SOURCE_ALLOWED_HOSTS", default=[])
# file:// URLs are read only under this folder, and only when it is set.
SOURCE_FILE_ROOT = env.str("SOURCE_FILE_ROOT", default="")
SOURCE_TIMEOUT_SECONDS = env.float("SOURCE_TIMEOUT_SECONDS", default=10.0)
SOURCE_MAX_ROWS = env.int("SOURCE_MAX_ROWS", default=10_000)
SOURCE_MAX_BYTES = env.int("SOURCE_MAX_BYTES", default=5_000_000)
# A period locks this many days after it ends: then only the strategy office or an
# admin changes its value, with a reason.
MEASURE_PERIOD_LOCK_DAYS = env.int("MEASURE_PERIOD_LOCK_DAYS", default=10)


# History (django-auditlog, registered in lodestar.audit): changes kept as typed JSON values.
AUDITLOG_STORE_JSON_CHANGES = True
# Loading rows (loaddata, the tests' demo copy) restores them; it is nobody's change.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
AUDITLOG_DISABLE_REMOTE_ADDR = True
# Reminders and digests (`lodestar notify`): links in messages are absolute, from SITE_URL.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")


def passkey_origins(site_url: str) -> list[str]:
    """Passkeys (django-otp-webauthn) are bound to SITE_URL's host name (the relying party)
    and answered only from its origin, which browsers accept over https or on localhost,
    never on an IP address: elsewhere (the default http://127.0.0.1:8000) none are offered."""
    secure = site_url.startswith("https://") or urlsplit(site_url).hostname == "localhost"
    return [site_url] if secure else []


OTP_WEBAUTHN_RP_ID = urlsplit(SITE_URL).hostname
OTP_WEBAUTHN_RP_NAME = "Lodestar"
OTP_WEBAUTHN_ALLOWED_ORIGINS = passkey_origins(SITE_URL)
# None allowed is passkeys off on purpose, not the misconfiguration the library warns of.
SILENCED_SYSTEM_CHECKS = [] if OTP_WEBAUTHN_ALLOWED_ORIGINS else ["otp_webauthn.E030"]
# Signing in with a passkey alone stays off with SSO_ONLY: the identity provider decides.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = not SSO_ONLY
OTP_WEBAUTHN_HELPER_CLASS = "lodestar.web.views.passkeys.NamedPasskeys"
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_FIRST_RETRY_SECONDS = env.int("NOTIFY_FIRST_RETRY_SECONDS", default=60)
# Checking in from Slack (lodestar.chat): the app's signing secret verifies Slack's
# requests (empty: the Slack endpoints answer 404); the bot token calls Slack's Web API.
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET", default="")
SLACK_BOT_TOKEN = env.str("SLACK_BOT_TOKEN", default="")
SLACK_API_URL = env.str("SLACK_API_URL", default="https://slack.com/api/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="lodestar@localhost")
# EMAIL_URL in django-environ's form (smtp+tls://user:pass@host:587, consolemail://), or
# EMAIL_BACKEND with EMAIL_FILE_PATH (django.core.mail.backends.filebased.EmailBackend).
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
    if "EMAIL_FILE_PATH" in env:
        EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")

# --- Logging -----------------------------------------------------------------------------
# LOG_FORMAT=json writes one JSON object a line (time, level, logger, message, request_id);
# every record of a request carries its X-Request-ID (lodestar/request_log.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lodestar.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": JSON_FORMATTER,
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
