"""Django settings. Everything that differs between installations comes from the environment:

CIVICPLAN_DATA_DIR   data folder (default ~/.local/share/civicplan; see docs/operations.md)
DATABASE_URL         sqlite:///path or postgres://user@host:port/name (default: SQLite in the data folder)
CIVICPLAN_SECRET_KEY secret key (default: generated once and kept in the data folder)
CIVICPLAN_DEBUG      1 for development error pages
CIVICPLAN_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

from civicplan.paths import data_dir

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("CIVICPLAN_SECRET_KEY"):
        return os.environ["CIVICPLAN_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("CIVICPLAN_DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("CIVICPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",
    "civicplan",
    "civicplan.audit",
    "civicplan.agencies",
    "civicplan.plans",
    "civicplan.imports",
    "civicplan.tracking",
    "civicplan.portal",
    "civicplan.search",
    "civicplan.tokens",
    "django_tasks",
    "django_tasks_db",
    "civicplan.exports",
    "civicplan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicplan.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "civicplan.urls"
WSGI_APPLICATION = "civicplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicplan.web.context.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers queue instead of
    # failing with "database is locked" when a read transaction is upgraded.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
}


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "civicplan.sqlite3")}
    else:
        config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        config.setdefault("TEST", {})
        # Tests on SQLite use a real file (not :memory:), so that live-server tests share it.
        config["TEST"].setdefault("NAME", str(DATA_DIR / "test-civicplan.sqlite3"))
    else:
        # A UTF-8 database whatever the server's default: Chinese search (pg_trgm) needs it.
        config.setdefault("TEST", {}).update({"CHARSET": "UTF8", "TEMPLATE": "template0"})
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

# --- Static files (vendored; nothing from a CDN) ----------------------------------------------
STATIC_URL = "/static/"
MEDIA_ROOT = DATA_DIR / "files"  # evidence files; served only through permission-checked views
STATIC_ROOT = DATA_DIR / "static"  # collectstatic target for a production server
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

NINJA_PAGINATION_PER_PAGE = 50
# A change reason (修改理由) is as long as the person wrote it (forms allow 1,000 characters): a text column in the
# history tables, not django-simple-history's default of 100 characters (which PostgreSQL would refuse).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Background jobs (documents that take a while: books, reports) ------------------------------
# The database queue of django-tasks: `civicplan db_worker` runs the jobs (`civicplan demo --serve` starts one).
# CIVICPLAN_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them inside the request instead.
TASKS = {"default": {"BACKEND": os.environ.get("CIVICPLAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
