"""Django settings. Everything that differs between machines comes from the environment."""
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dangjian.paths import REPO_ROOT, data_dir, pii_key, secret_key

DATA_DIR = data_dir()
SECRET_KEY = secret_key()
PII_KEY = pii_key()
DEBUG = os.environ.get("DANGJIAN_DEBUG", "") == "1"
# Only the names the site is reached by (Host header attacks); `dangjian serve`/`demo` add the address they bind.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DANGJIAN_ALLOWED_HOSTS", "").split(",") if h.strip()] or [
    "localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_filters",
    "treebeard",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.regions",
    "dangjian.units",
    "dangjian.organizations",
    "dangjian.members",
    "dangjian.coverage",
    "dangjian.imports",
    "dangjian.orglife",
    "dangjian.learning",
    "dangjian.services",
    "dangjian.alliances",
    "dangjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dangjian.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [REPO_ROOT / "src" / "dangjian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_sqlite_default = f"sqlite:///{DATA_DIR / 'dangjian.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _sqlite_default))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed during writes; IMMEDIATE avoids "database is locked"
    # surprises when two writers upgrade their locks at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
# Persistent connections: no reconnect per request, and SQLite keeps its prepared statements.
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dangjian.accounts.passwords.UsernameInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dangjian.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"  # Chinese page instead of axes' English text
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # counted from the login, however active the user (accounts.middleware)
try:  # logged out after this many minutes without a request
    DANGJIAN_IDLE_MINUTES = int(os.environ.get("DANGJIAN_IDLE_MINUTES", "30"))
except ValueError:
    DANGJIAN_IDLE_MINUTES = 0
if DANGJIAN_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("DANGJIAN_IDLE_MINUTES 应为正整数（分钟） / must be a positive number of minutes")
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind nginx with TLS (README): cookies only over HTTPS, HSTS, and trust nginx's X-Forwarded-Proto.
if os.environ.get("DANGJIAN_HTTPS", "") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [REPO_ROOT / "src" / "dangjian" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders but expects the folder
_npm = REPO_ROOT / "node_modules"
STATICFILES_DIRS = [
    REPO_ROOT / "src" / "dangjian" / "static",
    ("vendor/tabler", _npm / "@tabler" / "core" / "dist"),
    ("vendor/htmx", _npm / "htmx.org" / "dist"),
    ("vendor/echarts", _npm / "echarts" / "dist"),
]
# Serve straight from the finders: no collectstatic step on an intranet box.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"  # never served as such: files go out through core.files' scoped view only
# Behind nginx: the scoped view answers X-Accel-Redirect and nginx sends the file from MEDIA_ROOT.
DANGJIAN_X_ACCEL = os.environ.get("DANGJIAN_X_ACCEL", "") == "1"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

TASKS = {"default": {"BACKEND": os.environ.get("DANGJIAN_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Notifications go by e-mail as well only when a mail server is configured.
DANGJIAN_NOTIFY_EMAIL = bool(os.environ.get("DANGJIAN_EMAIL_HOST"))
EMAIL_BACKEND = os.environ.get("DANGJIAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
                               if DANGJIAN_NOTIFY_EMAIL else "django.core.mail.backends.locmem.EmailBackend")
EMAIL_HOST = os.environ.get("DANGJIAN_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DANGJIAN_EMAIL_FROM", "dangjian@localhost")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGJIAN_LOG_LEVEL", "WARNING")},
}

# The rule set in force (national defaults, a local file may override).
DANGJIAN_RULES_FILE = os.environ.get("DANGJIAN_RULES_FILE", "")
