"""Geopol settings: every value comes from the environment and has a working default.

See docs/settings.md for the table of variables (a test keeps the two in step).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("GEOPOL_DATA_DIR", "var")).expanduser().resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """GEOPOL_SECRET_KEY, else a random key kept in the data dir (sessions survive restarts)."""
    if key := env("GEOPOL_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("GEOPOL_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("GEOPOL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
SITE_NAME = env("GEOPOL_SITE_NAME", "Geopol")
SITE_URL = env("GEOPOL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "geopol.core",
    "geopol.geo",
    "geopol.search",
    "geopol.articles",
    "geopol.extraction",
    "geopol.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "geopol.urls"
WSGI_APPLICATION = "geopol.wsgi.application"

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
                "geopol.core.context_processors.site",
                "geopol.geo.context_processors.navigation",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """Read a postgres://user:pass@host:port/name?opt=val URL into a DATABASES entry."""
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(
            f"DATABASE_URL: unsupported scheme {parts.scheme!r}; use "
            "postgres://user@host:5432/name, or leave DATABASE_URL unset for SQLite"
        )
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "geopol",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
    }


if env("DATABASE_URL"):
    DATABASES = {"default": database_from_url(env("DATABASE_URL"))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "geopol.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while an import writes; IMMEDIATE avoids
                # "database is locked" on lock upgrades between web workers.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS: list = [BASE_DIR / "static"]
try:  # Leaflet for the interactive maps, from the xstatic-leaflet package
    import xstatic.pkg.leaflet as _leaflet

    STATICFILES_DIRS.append(("leaflet", _leaflet.BASE_DIR))
except ImportError:  # pragma: no cover - the SVG maps work without it
    pass
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("GEOPOL_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("GEOPOL_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("GEOPOL_LOG_LEVEL", "WARNING")},
}

# Search backends, configured like DATABASES: PostgreSQL full-text search when the database
# is PostgreSQL, SQLite FTS5 otherwise; GEOPOL_SEARCH_BACKEND names another (a short name or
# a dotted path).
SEARCH_BACKEND_NAMES = {
    "sqlite": "geopol.search.backends.sqlite_fts5.SQLiteFTS5Backend",
    "postgres": "geopol.search.backends.postgres.PostgresSearchBackend",
}
_search_backend = env(
    "GEOPOL_SEARCH_BACKEND",
    "postgres" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite",
)
SEARCH_BACKENDS = {
    "default": {
        "BACKEND": SEARCH_BACKEND_NAMES.get(_search_backend, _search_backend),
        "DATABASE": "default",
    },
}

# Largest file `geopol import` reads, in bytes.
GEOPOL_IMPORT_MAX_BYTES = int(env("GEOPOL_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# Words per minute behind "N mins read".
GEOPOL_READING_WPM = int(env("GEOPOL_READING_WPM", "200"))
GEOPOL_MISSION = env(
    "GEOPOL_MISSION",
    "Independent analysis for people who need to understand a changing world, and to act on it.",
)
