"""casereview settings: one module, configured from the environment.

Every value that differs between a laptop and production is read from an environment
variable through the small helpers below. The defaults give the embedded set-up:
SQLite in the project directory, Celery tasks run in-process, files on local disk.
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

# Without SECRET_KEY the embedded set-up uses a fixed development key; `check --deploy`
# reports it (security.W009). DEBUG=0 said in so many words (as the image and docker-compose.yml
# say it) is a deployment: it refuses to start without a key of its own.
# Exit status 3: gunicorn stops (its "worker failed to boot") instead of starting workers for ever.
if env("DEBUG") and not DEBUG and not env("SECRET_KEY"):
    sys.stderr.write(
        "casereview: SECRET_KEY is not set; with DEBUG=0 it must be (a long random string, see .env.example)\n"
    )
    sys.exit(3)
SECRET_KEY = env("SECRET_KEY") or "django-insecure-casereview-development-key-not-for-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn) as a second factor beside the authenticator app.
    "django_otp_webauthn",
    "axes",
    # Beat's schedule and each entry's last run, kept in the database (casereview.beat).
    "django_celery_beat",
    "accounts",
    "reviews",
    "chronology",
    "reports",
    "actions",
]

MIDDLEWARE = [
    # First: every response, a redirect or a refusal included, carries the request's id, and so
    # does every log line written while it is answered (casereview.request_id).
    "casereview.request_id.RequestIdMiddleware",
    # /health/live and /health/ready are answered here, before the host check, the HTTPS redirect,
    # the session and sign-in: a load balancer or compose probes them by address (casereview.health).
    "casereview.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that asking how long a session has left does not extend it.
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: a signed-in user who has not passed the second factor reaches
    # only the MFA pages.
    "accounts.middleware.MfaRequiredMiddleware",
    "accounts.middleware.SignedOutScriptRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casereview.urls"
WSGI_APPLICATION = "casereview.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Tags every page's layout uses that belong to no one app.
            "libraries": {
                "a11y": "casereview.templatetags.a11y",
                "querystrings": "casereview.templatetags.querystrings",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes counts failed sign-ins before the password is checked; ModelBackend signs in.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Failed sign-ins allowed for one username from one address before it is locked out,
# and for how long. A success resets the count.
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address, which the lockout counts by with the username. Behind the TLS proxy
# (BEHIND_TLS_PROXY=1) every request comes from the proxy: the address is read from the
# X-Forwarded-For header the proxy sets, and a header with more addresses than
# AXES_IPWARE_PROXY_COUNT + 1 (a client adding its own) counts as the proxy's address, so nobody
# can sign in "from" somebody else's address. Without the proxy only the connection's address counts.
_PROXY_HEADERS = "HTTP_X_FORWARDED_FOR,REMOTE_ADDR" if envbool("BEHIND_TLS_PROXY", False) else "REMOTE_ADDR"
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(envlist("AXES_IPWARE_META_PRECEDENCE_ORDER", _PROXY_HEADERS))
AXES_IPWARE_PROXY_COUNT = envint("AXES_IPWARE_PROXY_COUNT", 0)
# Issuer shown in authenticator apps beside the account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "casereview")
# Recovery codes issued at enrolment; each works once.
MFA_RECOVERY_CODE_COUNT = 10
# How long an emailed invitation to create an account stays valid (days).
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 7)
# How long an emailed password reset link works (seconds; Django's token generator reads it).
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT_SECONDS", 60 * 60)
# Password reset requests allowed per address, and per network address, in each window.
PASSWORD_RESET_LIMIT_PER_EMAIL = envint("PASSWORD_RESET_LIMIT_PER_EMAIL", 5)
PASSWORD_RESET_LIMIT_PER_IP = envint("PASSWORD_RESET_LIMIT_PER_IP", 20)
PASSWORD_RESET_LIMIT_WINDOW_SECONDS = envint("PASSWORD_RESET_LIMIT_WINDOW_SECONDS", 60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site's root by WhiteNoise: /favicon.ico, which browsers ask for by itself.
WHITENOISE_ROOT = BASE_DIR / "public"
# Uploaded and generated files (casereview.storage) live outside the web root and are only served
# through access-checked views, never by URL: in MEDIA_ROOT (the default), or with STORAGE_BACKEND=s3
# in a private bucket of any S3-compatible object store (django-storages), shared by every machine.
STORAGE_BACKEND = env("STORAGE_BACKEND", "filesystem").lower()
if STORAGE_BACKEND not in ("filesystem", "s3"):
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be filesystem or s3, not {STORAGE_BACKEND!r}")
_FILES: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if STORAGE_BACKEND == "s3":
    if not env("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME (see .env.example)")
    _FILES = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            # Empty: boto3 finds credentials itself (an instance role, AWS_* in its own files).
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            "location": env("AWS_LOCATION", "casereview"),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
            # Every object private; a URL of the store's own is never handed to anyone (downloads
            # stream through the access-checked views), and would need a signature if it were.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            # e.g. AES256 where the store encrypts at rest on request (not every S3-compatible one can).
            "object_parameters": (
                {"ServerSideEncryption": env("AWS_S3_SERVER_SIDE_ENCRYPTION")}
                if env("AWS_S3_SERVER_SIDE_ENCRYPTION")
                else {}
            ),
        },
    }
STORAGES = {
    "default": _FILES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions end after a period of inactivity (each request renews the cookie): SESSION_IDLE_SECONDS in
# the environment, SESSION_COOKIE_AGE here (what Django enforces, and what pages show and count down).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# How long before the end a signed-in page warns and offers to stay signed in (static/js/timeout.js).
SESSION_TIMEOUT_WARNING_SECONDS = envint("SESSION_TIMEOUT_WARNING_SECONDS", 2 * 60)
# Typing in a form keeps the session alive, with one request at most this often.
SESSION_KEEP_ALIVE_EVERY_SECONDS = envint("SESSION_KEEP_ALIVE_EVERY_SECONDS", 5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Production hardening: on unless DEBUG is on, each can be switched by its variable
# (for example behind a proxy that already redirects to HTTPS).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploads: the request body limit; each feature applies its own file-size limit too.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# The largest chronology file an agency may upload.
CHRONOLOGY_UPLOAD_MAX_BYTES = envint("CHRONOLOGY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# What an uploaded workbook may unpack to (all its parts), and the cells of the sheet read (rows by
# columns up to its last cell in use): a small file may otherwise cost gigabytes to read.
CHRONOLOGY_UPLOAD_MAX_UNPACKED_BYTES = envint("CHRONOLOGY_UPLOAD_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
CHRONOLOGY_UPLOAD_MAX_CELLS = envint("CHRONOLOGY_UPLOAD_MAX_CELLS", 2_000_000)
# Generated and uploaded files replaced or finished this many days ago are freed, daily
# (casereview.pruning): renders, chronology exports, uploads, submission packs and chronology versions.
PRUNE_RENDERS_AFTER_DAYS = envint("PRUNE_RENDERS_AFTER_DAYS", 30)
PRUNE_EXPORTS_AFTER_DAYS = envint("PRUNE_EXPORTS_AFTER_DAYS", 30)
PRUNE_UPLOADS_AFTER_DAYS = envint("PRUNE_UPLOADS_AFTER_DAYS", 30)
PRUNE_PACKS_AFTER_DAYS = envint("PRUNE_PACKS_AFTER_DAYS", 30)
PRUNE_CHRONOLOGIES_AFTER_DAYS = envint("PRUNE_CHRONOLOGIES_AFTER_DAYS", 30)
# A stored file no row names (its transaction rolled back) is deleted this long after it was stored.
PRUNE_ORPHANS_AFTER_HOURS = envint("PRUNE_ORPHANS_AFTER_HOURS", 24)
# The largest evidence file an action owner may attach to a progress update.
ACTION_EVIDENCE_MAX_BYTES = envint("ACTION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Uploaded files go to a temporary file past this size rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REDIS_URL = env("REDIS_URL")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with REDIS_URL, Redis is the broker and workers run the tasks; without it,
# tasks run in-process so the embedded set-up needs nothing else.
# (The in-process transport is named with a host, or kombu warns that none was supplied.)
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "casereview")
# Emails have a queue of their own, so a long render never holds one back (and a hung relay
# never holds back a render): run a worker for each, or one worker with `-Q casereview,email`.
CELERY_EMAIL_QUEUE = env("CELERY_EMAIL_QUEUE", "email")
CELERY_TASK_ROUTES = {"reviews.tasks.notification_send": {"queue": CELERY_EMAIL_QUEUE}}
# Background work is rows, not messages (casereview.jobs and the email outbox): a message lost
# with a broker, or a worker killed mid-task, is recovered by the sweeper from the rows within
# about two minutes. Messages are still acknowledged only when their task has finished.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message not acknowledged this long after delivery is delivered again (its claim makes the
# second delivery do nothing); longer than the longest retry pause of an email (10 minutes).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 30 * 60),
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
# A request that queues work never waits long for a broker that is down: the row stays unsent
# and the sweeper sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# No task runs for ever: the soft limit lets a job record why it stopped, the hard one kills it.
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 30 * 60)
# A pool process that has grown past this (kilobytes) is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 1_500_000)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through LOGGING below (JSON lines with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# How long the readiness check waits for a worker to answer its ping (seconds).
HEALTH_WORKER_PING_TIMEOUT = float(env("HEALTH_WORKER_PING_TIMEOUT", "1.0"))
# A readiness answer is reused for this long (seconds), so a probe polled often costs little.
HEALTH_CACHE_SECONDS = envint("HEALTH_CACHE_SECONDS", 5)
# How long a review's personal data is kept after it is archived, unless the board sets a date.
RETENTION_YEARS = envint("RETENTION_YEARS", 10)

# Run by `celery beat`: written into the database at its start, sent by one beat at a time
# (casereview.beat; see docker-compose.yml). Each entry's last run is kept in the database.
CELERY_BEAT_SCHEDULER = "casereview.beat:LockedDatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Recovers every job and email: unsent, lost with a broker, or with a worker (casereview.jobs).
    "outbox-sweep": {"task": "reviews.tasks.outbox_sweep", "schedule": 60},
    "discard-stale-chronology-uploads": {"task": "chronology.tasks.uploads_discard_stale", "schedule": 60 * 60},
    # Archived reviews past their retention date lose their personal data (once a day; at beat's
    # start when the last run is more than a day ago).
    "purge-reviews-past-retention": {"task": "reviews.tasks.reviews_purge_due", "schedule": 24 * 60 * 60},
    # Each morning; safe to run again (each reminder is sent once per threshold).
    "action-plan-reminders": {"task": "actions.tasks.reminders_send", "schedule": crontab(minute=15, hour=7)},
    "prune-old-files": {"task": "reviews.tasks.files_prune", "schedule": 24 * 60 * 60},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Used by the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "outbox"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# A relay that does not answer fails the send (it is tried again) instead of holding a worker.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "casereview <no-reply@casereview.invalid>")
# Where the accessibility statement asks people to report a problem or ask for another format,
# beside their partnership's board administrator. Empty: the statement names the administrator only.
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL")
# The address used in links inside emails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# Passkeys are bound to the site's domain name, never an IP address (so in development they work at
# http://localhost:8000, not at 127.0.0.1), and are accepted only from the site's own origin.
PASSKEY_ORIGIN = SITE_URL.rstrip("/").replace("://127.0.0.1", "://localhost")
OTP_WEBAUTHN_RP_ID = env("OTP_WEBAUTHN_RP_ID", PASSKEY_ORIGIN.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0])
OTP_WEBAUTHN_RP_NAME = "casereview"
OTP_WEBAUTHN_ALLOWED_ORIGINS = envlist("OTP_WEBAUTHN_ALLOWED_ORIGINS", PASSKEY_ORIGIN)
# A passkey is a second factor only: signing in always starts with the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Logs: one JSON object a line (time, level, logger, message, request_id) unless LOG_FORMAT=text,
# the default with DEBUG on. LOG_REQUESTS=1 adds a line per request (method, path without its
# query, status, milliseconds); docker-compose.yml sets it, in place of gunicorn's access log.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOG_REQUESTS = envbool("LOG_REQUESTS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "casereview.request_id.RequestIdLogFilter"}},
    "formatters": {
        "json": {"()": "casereview.logging_json.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # One line per task run is noise when tasks run in-process.
    "loggers": {
        "celery.app.trace": {"level": "WARNING" if not REDIS_URL else "INFO"},
        # WeasyPrint logs a line per page at INFO: a long PDF would fill the worker's log.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO with the username and address: lockouts (WARNING) only.
        "axes": {"level": "WARNING"},
        "casereview.request": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
    },
}

# Errors go to Sentry when SENTRY_DSN is set, with personal data scrubbed (casereview.logging_sentry).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from casereview.logging_sentry import sentry_start

    sentry_start(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", "production"), release=env("SENTRY_RELEASE"))
