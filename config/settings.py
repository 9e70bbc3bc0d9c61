"""Settings for Viber Review, driven by environment variables (see README).

DJANGO_ENV=local (the default) is the embedded mode: SQLite, no Redis, the CAMS
simulator as endpoint and a generated secret key kept in var/. DJANGO_ENV=production
requires every secret to be set and fails at start-up otherwise.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from .env import env_bool, env_float, env_int, env_json_file, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_str("DJANGO_ENV", "local")
if DJANGO_ENV not in {"local", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'local' or 'production', got {DJANGO_ENV!r}")
IS_PRODUCTION = DJANGO_ENV == "production"

VAR_DIR = Path(env_str("VIBER_REVIEW_VAR_DIR", str(BASE_DIR / "var")))
# Local runs make their state directory on first start. Production creates nothing on import:
# the deployment provides it (the image makes /app/var), and collectstatic makes STATIC_ROOT.
if not IS_PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", default=not IS_PRODUCTION)


# Django's own deployment check asks for at least 50 characters; production refuses fewer at start-up.
SECRET_KEY_MIN_LENGTH = 50


def _secret_key():
    key = env_str("DJANGO_SECRET_KEY")
    if IS_PRODUCTION and not key:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production")
    if IS_PRODUCTION and len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY must have at least {SECRET_KEY_MIN_LENGTH} characters when DJANGO_ENV=production "
            f"(it has {len(key)}); generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if key:
        return key
    # Local runs get a random key that survives restarts (sessions stay valid) and is never in git.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=() if IS_PRODUCTION else ("localhost", "127.0.0.1", "[::1]", "testserver")
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.admin_site.ViberReviewAdminConfig",  # django.contrib.admin with a lazy app list
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "applications",
]

MIDDLEWARE = [
    # Liveness/readiness answer first: no host check, no HTTPS redirect, no session (see config/probes.py).
    "config.probes.ProbesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.NoStoreMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware: language from the switcher's cookie, else
    # Accept-Language, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Needs request.user: a signed-in user's saved language and time zone win over the above.
    "applications.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "config.context_processors.email",
            ],
        },
    },
]

# Production names its database and Redis explicitly: no silent SQLite file or filesystem broker there.
if IS_PRODUCTION:
    for _name in ("DATABASE_URL", "REDIS_URL"):
        if not env_str(_name, ""):
            raise ImproperlyConfigured(f"{_name} must be set when DJANGO_ENV=production")

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg prepares nothing while the threshold is None (Django's default). With a threshold no
    # statement reaches, only what asks to be prepared is: the one-row reads of
    # applications/selectors/compiled.py. Django's own cursors bind client-side and never prepare.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every login (ours and the admin's) before the model backend does; the model
# backend loads the user row with its language and time-zone preferences in the same query.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "applications.auth_backend.PreferencesModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "applications:home"
LOGOUT_REDIRECT_URL = "login"


def gettext_noop(message):
    """Marks a string for makemessages; settings cannot use Django's translation functions yet."""
    return message


# The language of a request: the signed-in user's choice, else the switcher's cookie, else the
# browser's Accept-Language, else LANGUAGE_CODE. Dates and numbers follow the active language.
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "en").lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"DJANGO_LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, got {LANGUAGE_CODE!r}"
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Times are stored in UTC and shown in the user's time zone, else this one.
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing

# With Redis, sessions are read from the cache and written through to the database: a page
# view then makes no session query.
# With Redis: Django's cached_db sessions, whose read also brings the roles' generation (config/sessions.py).
SESSION_ENGINE = "config.sessions" if env_str("REDIS_URL", "") else "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- HTTPS and security headers -----------------------------------------------------------
# On by default in production, off locally (runserver speaks plain HTTP). Behind a TLS-terminating
# proxy, name the header it sets: DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if IS_PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=IS_PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=IS_PRODUCTION)
_proxy_ssl_header = env_list("DJANGO_SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured(
        "DJANGO_SECURE_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https"
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
# Probes are asked over plain HTTP inside the deployment (compose healthchecks, orchestrators).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content-Security-Policy (Django's own middleware): only our origin, no inline script or style.
# The few scripts (htmx) carry the per-response nonce ({{ csp_nonce }}); no page has inline handlers.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Logos and documents CAMS links to are shown as images when served over HTTPS; plain-HTTP ones are refused.
    "img-src": [CSP.SELF, "data:", "https:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Login throttling (django-axes) --------------------------------------------------------
# Failures are counted per user name and per client IP, each on its own: a guesser is stopped on
# one account from many addresses and on many accounts from one address. The database handler
# keeps attempts in PostgreSQL, which every web process shares (a cache handler would need a
# cache shared by all of them, and its lockouts would be invisible to admins); admins see and
# clear lockouts under Admin > Axes.
AXES_FAILURE_LIMIT = env_int("VIBER_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_float("VIBER_LOGIN_COOLOFF_MINUTES", 15.0, minimum=0.01))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "config.login_throttling.attempted_username"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client IP is REMOTE_ADDR (django-ipware is not installed): behind a proxy that is the proxy's
# address, so per-IP lockouts then count all clients together; per-user lockouts are unaffected.


# --- Redis, or the embedded fallback when REDIS_URL is unset -----------------------------
REDIS_URL = env_str("REDIS_URL", "")
# "localhost" names no server (the filesystem transport ignores it); without it kombu warns
# "No hostname was supplied" on every connection.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost/")
if REDIS_URL:
    # Django's Redis backend, reusing its client object per pool (config/cache.py says why).
    CACHES = {"default": {"BACKEND": "config.cache.ReusedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    # No Redis: the embedded mode. A file cache shared by web and worker, and kombu's filesystem
    # transport, a real Celery broker that needs nothing but directories (made here, as kombu
    # does not make them).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    _queue_dir = VAR_DIR / "celery-queue"
    for _sub in ("in", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "in"),
        "data_folder_out": str(_queue_dir / "in"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
# Locks and the shared rate limiter live here: Redis when configured, files otherwise.
COORDINATION_LOCK_DIR = VAR_DIR / "locks"

# --- Celery -----------------------------------------------------------------------------
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every task unless this is
# set (then only once in 2 x this many): every task paid for a new connection, about 1 ms of the
# worker's CPU and a new PostgreSQL backend. config/celery.py closes them as Django does between
# requests instead: past DATABASE_CONN_MAX_AGE (always, for SQLite), or when broken.
CELERY_DB_REUSE_MAX = 2**30
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 100, minimum=1)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Redis redelivers an unacknowledged message after this many seconds. Every countdown and ETA
# we schedule stays well below it (see CAMS_REFRESH_RETRY_MAX_SECONDS), or it would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=5)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # Sweep for messages of dead workers often enough that they come back soon after the
        # visibility timeout (kombu's default sweep is only every ~100 s).
        "unacked_restore_interval": min(10, max(1, CELERY_VISIBILITY_TIMEOUT // 5)),
        "unacked_restore_throttle": 1,
    }
# How often beat runs the refresh planner; the planner's lock and the health page's liveness
# check derive from it.
CAMS_PLANNER_INTERVAL_SECONDS = env_float("CAMS_PLANNER_INTERVAL_SECONDS", 60.0, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "plan-due-refreshes": {
        "task": "applications.tasks.refresh_plan_due",
        "schedule": CAMS_PLANNER_INTERVAL_SECONDS,
        # A planner run that waited longer than one interval is obsolete: the next one replaces it.
        "options": {"expires": CAMS_PLANNER_INTERVAL_SECONDS},
    },
}

# --- CAMS ---------------------------------------------------------------------------------
# Reference: https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-getviberbyrequestno
CAMS_SIMULATOR_HOST = env_str("CAMS_SIMULATOR_HOST", "127.0.0.1")
CAMS_SIMULATOR_PORT = env_int("CAMS_SIMULATOR_PORT", 8765, minimum=1)
CAMS_SIMULATOR_ACCESS_KEY_ID = env_str("CAMS_SIMULATOR_ACCESS_KEY_ID", "simulator-demo-key-id")
CAMS_SIMULATOR_ACCESS_KEY_SECRET = env_str("CAMS_SIMULATOR_ACCESS_KEY_SECRET", "simulator-demo-key-secret")

CAMS_REGION_ID = env_str("CAMS_REGION_ID", "ap-southeast-1")
# Local runs talk to the simulator unless told otherwise; production defaults to the
# SDK's regional endpoint (cams.<region>.aliyuncs.com) over HTTPS.
CAMS_ENDPOINT = (
    env_str("CAMS_ENDPOINT", "" if IS_PRODUCTION else f"{CAMS_SIMULATOR_HOST}:{CAMS_SIMULATOR_PORT}") or None
)
CAMS_PROTOCOL = env_str("CAMS_PROTOCOL", "https" if IS_PRODUCTION else "http").lower()
if CAMS_PROTOCOL not in {"http", "https"}:
    raise ImproperlyConfigured(f"CAMS_PROTOCOL must be http or https, got {CAMS_PROTOCOL!r}")
CAMS_CONNECT_TIMEOUT_MS = env_int("CAMS_CONNECT_TIMEOUT_MS", 3000, minimum=1)
CAMS_READ_TIMEOUT_MS = env_int("CAMS_READ_TIMEOUT_MS", 10000, minimum=1)

# Credentials: explicit environment keys win; otherwise Alibaba Cloud's default credential
# chain. Local runs against the simulator fall back to its demo key pair.
CAMS_ACCESS_KEY_ID = env_str("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
CAMS_ACCESS_KEY_SECRET = env_str("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
CAMS_SECURITY_TOKEN = env_str("ALIBABA_CLOUD_SECURITY_TOKEN", "")
CAMS_ENDPOINT_IS_SIMULATOR = bool(CAMS_ENDPOINT) and CAMS_ENDPOINT.rsplit(":", 1)[0] in {
    "127.0.0.1",
    "localhost",
    "[::1]",
    CAMS_SIMULATOR_HOST,
}
if not CAMS_ACCESS_KEY_ID and not IS_PRODUCTION and CAMS_ENDPOINT_IS_SIMULATOR:
    CAMS_ACCESS_KEY_ID = CAMS_SIMULATOR_ACCESS_KEY_ID
    CAMS_ACCESS_KEY_SECRET = CAMS_SIMULATOR_ACCESS_KEY_SECRET

CAMS_DEFAULT_CUST_SPACE_ID = env_str("CAMS_DEFAULT_CUST_SPACE_ID", "")
# Request numbers the home page offers as links. Against the simulator they default to numbers its
# data set is known to hold (the API document's example, the hostile, moving and sparse records, and
# one per script); a test keeps this list equal to the simulator's own sample list.
SIMULATOR_SAMPLE_REQUEST_NOS = (
    "5435435435",
    "6660000001",
    "8880000001",
    "9990000001",
    "8461555945",
    "3710720711",
    "6836653516",
    "3940699817",
)
CAMS_SAMPLE_REQUEST_NOS = env_list(
    "CAMS_SAMPLE_REQUEST_NOS", default=SIMULATOR_SAMPLE_REQUEST_NOS if CAMS_ENDPOINT_IS_SIMULATOR else ()
)
# Customer spaces offered in the lookup form; empty means the field is hidden.
CAMS_CUST_SPACE_IDS = env_list("CAMS_CUST_SPACE_IDS")

CAMS_FRESH_SECONDS = env_int("CAMS_FRESH_SECONDS", 300, minimum=0)
CAMS_NOT_FOUND_TTL_SECONDS = env_int("CAMS_NOT_FOUND_TTL_SECONDS", 60, minimum=0)
CAMS_LOCK_TTL_SECONDS = env_int("CAMS_LOCK_TTL_SECONDS", 30, minimum=1)
CAMS_MAX_QPS = env_float("CAMS_MAX_QPS", 10.0, minimum=0.1)
CAMS_RATE_LIMIT_WAIT_SECONDS = env_float("CAMS_RATE_LIMIT_WAIT_SECONDS", 10.0, minimum=0)

# Refresh scheduling (Celery beat -> planner -> one refresh task per due application).
CAMS_REFRESH_MOVING_SECONDS = env_int("CAMS_REFRESH_MOVING_SECONDS", 600, minimum=1)
CAMS_REFRESH_FINAL_SECONDS = env_int("CAMS_REFRESH_FINAL_SECONDS", 86400, minimum=1)
CAMS_REFRESH_FAILURE_SECONDS = env_int("CAMS_REFRESH_FAILURE_SECONDS", 900, minimum=1)
CAMS_REFRESH_JITTER = env_float("CAMS_REFRESH_JITTER", 0.1, minimum=0)  # +-10% of the interval
CAMS_REFRESH_BATCH = env_int("CAMS_REFRESH_BATCH", 500, minimum=1)
# Records per Celery task: each is still claimed and refreshed on its own, but the per-message
# cost of the broker (deliver, ack, bookkeeping) is paid once per handful instead of per record.
CAMS_REFRESH_TASK_SIZE = env_int("CAMS_REFRESH_TASK_SIZE", 10, minimum=1)
# How long a planned refresh owns its record; past it, the planner may plan it again.
CAMS_REFRESH_LEASE_SECONDS = env_int("CAMS_REFRESH_LEASE_SECONDS", 600, minimum=10)
CAMS_REFRESH_MAX_RETRIES = env_int("CAMS_REFRESH_MAX_RETRIES", 5, minimum=0)
CAMS_REFRESH_RETRY_BASE_SECONDS = env_float("CAMS_REFRESH_RETRY_BASE_SECONDS", 2.0, minimum=0.01)
CAMS_REFRESH_RETRY_MAX_SECONDS = env_float("CAMS_REFRESH_RETRY_MAX_SECONDS", 300.0, minimum=0.01)
if CAMS_REFRESH_RETRY_MAX_SECONDS >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("CAMS_REFRESH_RETRY_MAX_SECONDS must stay below CELERY_VISIBILITY_TIMEOUT")

# State and AuditResult codes are undocumented upstream: this table is the one place that
# names them. "final" means nothing more is expected to happen without a new request.
# A JSON file in CAMS_CODE_TABLE_FILE extends it: its entries replace ours code by code and may add
# codes and kinds. "tone" (optional) colours the badge: "final" (green), "moving" (amber), "bad"
# (red), "neutral". "rejection" (optional, AuditResult) marks a refusal: resolving such an
# application needs a reviewer's note. IndustryInvolved and AgeLimit only need labels.
# The built-in labels are in the translation catalogs; a label of a custom table is shown as written.
CAMS_CODE_TABLE = {
    "State": {
        "A": {"label": gettext_noop("Active"), "final": True},
        "I": {"label": gettext_noop("In review"), "final": False},
        "P": {"label": gettext_noop("Paused"), "final": True},
        "R": {"label": gettext_noop("Recovering"), "final": False},
        "stop": {"label": gettext_noop("Stopped"), "final": True, "tone": "bad"},
    },
    "AuditResult": {
        "unAudit": {"label": gettext_noop("Awaiting audit"), "final": False},
        "auditing": {"label": gettext_noop("Under audit"), "final": False},
        "pass": {"label": gettext_noop("Approved"), "final": True},
        "reject": {"label": gettext_noop("Rejected"), "final": True, "tone": "bad", "rejection": True},
    },
    "RequestType": {
        "viberOpen": {"label": gettext_noop("Open account"), "final": True},
        "viberUpdate": {"label": gettext_noop("Update account"), "final": True},
        "viberSuspend": {"label": gettext_noop("Suspend"), "final": True},
        "viberRecover": {"label": gettext_noop("Recover"), "final": True},
        "viberCountry": {"label": gettext_noop("Change destinations"), "final": True},
    },
    "IndustryInvolved": {
        "cateringServices": {"label": gettext_noop("Catering services")},
        "telecommunicationsAndIT": {"label": gettext_noop("Telecommunications and IT")},
        "it": {"label": gettext_noop("IT")},
        "finance": {"label": gettext_noop("Finance")},
        "retail": {"label": gettext_noop("Retail")},
        "travel": {"label": gettext_noop("Travel")},
        "healthcare": {"label": gettext_noop("Healthcare")},
    },
    "AgeLimit": {
        "eighteenUp": {"label": gettext_noop("18 and over")},
        "unlimited": {"label": gettext_noop("No age limit")},
    },
}
for _kind, _entries in (env_json_file("CAMS_CODE_TABLE_FILE") or {}).items():
    if not isinstance(_entries, dict):
        raise ImproperlyConfigured(f"CAMS_CODE_TABLE_FILE: {_kind!r} must map codes to entries")
    CAMS_CODE_TABLE.setdefault(_kind, {}).update(_entries)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "urllib3": {"level": "WARNING"},
        # django-axes logs every login at INFO; its lockouts are WARNINGs.
        "axes": {"level": "WARNING"},
        # Django's default config gives "django" a console handler of its own; it would print each
        # django.request warning twice (there and through the root handler).
        "django": {"handlers": [], "propagate": True},
    },
}

# --- Notifications (see README "Notifications") ------------------------------------------
from .mail import mail_settings  # noqa: E402

globals().update(mail_settings(VAR_DIR, production=IS_PRODUCTION))
# Absolute links in e-mails, webhooks and chat messages.
# In production the default is https:// and the first allowed host name (a wildcard host cannot name a link).
NOTIFY_BASE_URL = env_str(
    "NOTIFY_BASE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if IS_PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")
if IS_PRODUCTION and ("*" in NOTIFY_BASE_URL or not NOTIFY_BASE_URL):
    raise ImproperlyConfigured("NOTIFY_BASE_URL must be set when DJANGO_ALLOWED_HOSTS starts with a wildcard")
# Webhook and robot URLs must be https and public; this allows http and private/loopback
# addresses (local receivers, the test suite). Cloud metadata addresses stay refused.
NOTIFY_ALLOW_PRIVATE_TARGETS = env_bool("NOTIFY_ALLOW_PRIVATE_TARGETS", default=False)
NOTIFY_CONNECT_TIMEOUT_SECONDS = env_float("NOTIFY_CONNECT_TIMEOUT_SECONDS", 3.0, minimum=0.1)
NOTIFY_READ_TIMEOUT_SECONDS = env_float("NOTIFY_READ_TIMEOUT_SECONDS", 5.0, minimum=0.1)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8, minimum=1)
NOTIFY_RETRY_BASE_SECONDS = env_float("NOTIFY_RETRY_BASE_SECONDS", 10.0, minimum=0.01)
NOTIFY_RETRY_MAX_SECONDS = env_float("NOTIFY_RETRY_MAX_SECONDS", 3600.0, minimum=0.01)
# A channel failing without a single success for this long is disabled and its owner told.
NOTIFY_DISABLE_AFTER_SECONDS = env_int("NOTIFY_DISABLE_AFTER_SECONDS", 86400, minimum=1)
# Deliveries in flight per channel: a slow endpoint holds at most this many worker threads.
NOTIFY_CHANNEL_MAX_IN_FLIGHT = env_int("NOTIFY_CHANNEL_MAX_IN_FLIGHT", 4, minimum=1)
# The sweeper re-queues due retries and deliveries of killed workers (their lease expired).
NOTIFY_SWEEP_INTERVAL_SECONDS = env_float("NOTIFY_SWEEP_INTERVAL_SECONDS", 15.0, minimum=1)
NOTIFY_DIGEST_INTERVAL_SECONDS = env_float("NOTIFY_DIGEST_INTERVAL_SECONDS", 86400.0, minimum=60)
REVIEW_SLA_HOURS = env_float("REVIEW_SLA_HOURS", 48.0, minimum=0.01)
# A delivery slower than this marks its channel slow for NOTIFY_SLOW_HOLD_SECONDS.
NOTIFY_SLOW_SECONDS = env_float("NOTIFY_SLOW_SECONDS", 1.0, minimum=0.01)
NOTIFY_SLOW_HOLD_SECONDS = env_int("NOTIFY_SLOW_HOLD_SECONDS", 600, minimum=1)
# Delivery runs on its own queues and workers, so a slow endpoint never delays refreshes or
# lookups; retries and deliveries to failing or slow channels take the slow lane, so they never
# delay healthy channels either.
NOTIFY_QUEUE = "notifications"
NOTIFY_SLOW_QUEUE = "notifications-slow"
CELERY_TASK_ROUTES = {"applications.tasks.notification_*": {"queue": NOTIFY_QUEUE}}
CELERY_BEAT_SCHEDULE["notification-sweep"] = {
    "task": "applications.tasks.notification_sweep",
    "schedule": NOTIFY_SWEEP_INTERVAL_SECONDS,
    "options": {"expires": NOTIFY_SWEEP_INTERVAL_SECONDS},
}
CELERY_BEAT_SCHEDULE["notification-sla-digest"] = {
    "task": "applications.tasks.notification_sla_digest",
    "schedule": NOTIFY_DIGEST_INTERVAL_SECONDS,
}
