"""Settings for the Heritage Damage Register.

Every knob is an environment variable with a development default; a malformed
value stops start-up with a message naming the variable (see heritage.env).
"""

import importlib.util
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from heritage.env import (
    env_admins,
    env_bool,
    env_caches,
    env_database,
    env_email,
    env_int,
    env_list,
    env_log_level,
    env_path,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("Environment variable SECRET_KEY must be set when DEBUG is off.")
    # Only ever used on a developer's machine: DEBUG refuses to run without a real key otherwise.
    SECRET_KEY = "django-insecure-development-only-heritage-register-key"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("Environment variable ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation requires: its admin classes and loaddata command take precedence.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "register",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers 409 when a save loses the race to another one (django-concurrency).
    "concurrency.middleware.ConcurrencyMiddleware",
    # Last, as django-axes requires: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heritage.urls"

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
        },
    },
]

WSGI_APPLICATION = "heritage.wsgi.application"

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env_database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'register.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT off: every query here is short and index-driven, and PostgreSQL's JIT spends far longer compiling the
    # costly-looking ones (a page of a large list, a common search word) than it saves running them.
    # random_page_cost 1.1, not the default 4 that assumes spinning disks: the register's working set is in
    # memory or on SSD, and at the default the planner hashes whole tables where index probes are much quicker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c random_page_cost=1.1")
    # Server-side binding keeps a query's text the same whatever its values, so psycopg prepares it once it has
    # run prepare_threshold times on a connection (Django turns that off by default) and, as connections live
    # CONN_MAX_AGE, a list page's queries are parsed and planned once rather than on every request.
    # DATABASE_PREPARED_STATEMENTS=off restores Django's defaults: for a PgBouncer in transaction mode before
    # 1.21 (a statement prepared on one server connection is missing on the next), or should a query the ORM
    # builds be refused with its parameters bound by the server.
    if env_bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)

# Redis when REDIS_URL is set; otherwise each worker's memory, and files under CACHE_DIR for the API throttle's
# counts, which every gunicorn worker on the machine must share (several machines need REDIS_URL).
CACHES = env_caches("REDIS_URL", cache_dir=env_path("CACHE_DIR", default=VAR_DIR / "cache"))
# django-redis logs each call that Redis could not answer (with its traceback) before answering as an empty cache.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "heritage.cache"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Records in both languages (register/translation.py): curators' prose has an English and an Arabic column, and
# a reader is shown their language, else the other (the page and the API say when they fell back).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ar")}
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", default=VAR_DIR / "static")
# WhiteNoise reads this folder at start-up and warns when it is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Leaflet for the public map comes from the django-leaflet package, served as leaflet/leaflet.js and
# leaflet/leaflet.css. Only its static folder is used: as an installed app the admin would import its
# GeoDjango widgets, which need the GDAL system library.
_leaflet = importlib.util.find_spec("leaflet")
if _leaflet is None or not _leaflet.submodule_search_locations:
    raise ImproperlyConfigured("django-leaflet is not installed: run `make install` (requirements.txt).")
STATICFILES_DIRS.append(Path(_leaflet.submodule_search_locations[0]) / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and runserver serve static files straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG

MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", default=VAR_DIR / "media")
# The app answers MEDIA_URL itself (heritage.media); a deployment whose proxy serves MEDIA_ROOT turns it off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "admin:login"

# `manage.py loaddata palmyra` finds the project's fixtures here.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The research API (register/api/). Reading is open to anyone; writing needs a curator's session or token
# and the model permission. Anonymous clients are throttled per IP at API_ANON_RATE.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous write answers 401 with a WWW-Authenticate challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        # orjson: the same JSON as DRF's renderer (compact, UTF-8, decimals as numbers), several times faster.
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "register.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "register.api.negotiation.StrictFormatNegotiation",
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter's backend, which skips building a FilterSet when no filter is asked for.
        "register.api.filters.FilterBackend",
        "register.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "register.api.pagination.KeysetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["register.api.throttling.AnonymousRateThrottle"],
    # How many proxies in front append to X-Forwarded-For. 0: the client is REMOTE_ADDR and the header, which any
    # client can write, is ignored; behind one proxy (nginx with $proxy_add_x_forwarded_for), 1.
    "NUM_PROXIES": env_int("NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {"anon": env_rate("API_ANON_RATE", default="120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "register.api.exceptions.exception_handler",
    # Coordinates and other decimals as JSON numbers, as GIS tools and notebooks expect.
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Heritage Damage Register API",
    "DESCRIPTION": (
        "Monuments, artefacts, incidents, restorations, articles, sources and evidence of the Heritage Damage "
        "Register, in JSON, CSV, GeoJSON and JSON-LD (Linked Art / CIDOC-CRM). Data licensed CC BY 4.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "MonumentKindEnum": "register.models.vocabularies.MonumentKind",
        "IncidentKindEnum": "register.models.vocabularies.IncidentKind",
        "RestorationKindEnum": "register.models.vocabularies.RestorationKind",
        "SourceKindEnum": "register.models.vocabularies.SourceKind",
        "ConditionEnum": "register.models.vocabularies.Condition",
        "DocumentKindEnum": "register.models.vocabularies.DocumentKind",
        "DocumentFormatEnum": "register.models.vocabularies.DocumentFormat",
        # Every `*_language` field (description, summary, threats) names the language a text is in: one enum.
        "LanguageEnum": "register.translation.LANGUAGE_CODES",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's static files, never a CDN. (No Redoc: its page loads web fonts.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "register.api.schema.document_formats_and_errors",
    ],
}
# Where `manage.py export_bulk` writes the bulk download, served at /api/v1/bulk/latest.zip.
EXPORTS_ROOT = env_path("EXPORTS_ROOT", default=VAR_DIR / "exports")

# Seconds an article import may spend on one file before that file fails (the rest of the batch goes on); an
# admin upload shares them between its files, so the request answers within a worker's timeout.
ARTICLE_IMPORT_SECONDS = env_int("ARTICLE_IMPORT_SECONDS", default=20, minimum=1)

# Map tiles for the public map, a Leaflet URL template. Unset: OpenStreetMap's tiles; set but empty: no
# tiles at all, and the markers show on a plain background. Nothing else the pages load leaves the origin.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
if MAP_TILE_URL and not (
    MAP_TILE_URL.startswith(("https://", "http://")) and all(part in MAP_TILE_URL for part in ("{z}", "{x}", "{y}"))
):
    raise ImproperlyConfigured(
        f"Environment variable MAP_TILE_URL={MAP_TILE_URL!r} is malformed: expected an http(s) URL template "
        "with {z}, {x} and {y}, or an empty value for no tiles."
    )
# Trusted HTML from the operator, shown in the map's corner as the tile provider requires.
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", default='© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)

# --- Errors: logged with their tracebacks to stderr (gunicorn's log, runserver's console) whatever DEBUG says,
# and mailed to ADMINS when DEBUG is off. Django's own configuration would log nothing with DEBUG off and no ADMINS.
ADMINS = env_admins("ADMINS")
SERVER_EMAIL = env_email("SERVER_EMAIL", default="heritage-register@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": env_log_level("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's errors (a request's 500, a suspicious operation) reach stderr through the root and the admins here.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # Scanners send requests for other hosts all day: logged, but not mailed.
        "django.security.DisallowedHost": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        # Its start-up banner would open the output of every management command.
        "axes.apps": {"level": "WARNING"},
    },
}

# --- Production hardening -------------------------------------------------------------------------
# Off while DEBUG (runserver speaks plain HTTP); on by default otherwise, so `check --deploy` is clean.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): everything from this origin, map tiles from the tile host.
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Optimistic locking (django-concurrency): a save whose version is 0 was never read from the
# database (a fixture being loaded again) and is not checked; every form and API write carries one.
CONCURRENCY_VERSION_FIELD_REQUIRED = False

# Repeated failed logins (django-axes): after AXES_FAILURE_LIMIT failures within the hour, an address is locked out
# whatever usernames it tried, and a username wherever the attempts came from, for an hour.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# The address the API throttle counts (REMOTE_ADDR, or what NUM_PROXIES trusted proxies forwarded).
AXES_CLIENT_IP_CALLABLE = "register.api.throttling.client_address"
AXES_RESET_ON_SUCCESS = True
