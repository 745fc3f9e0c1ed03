"""Geopol settings: every value comes from the environment and has a working default.

See docs/settings.md for the table of variables (a test keeps the two in step).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

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
# The public address. Unset: links are made from the address each request came in on (and
# work done without a request uses the last one seen), see geopol/core/siteurl.py; SITE_URL
# then stays the development default for what must be known at start-up.
GEOPOL_SITE_URL = env("GEOPOL_SITE_URL").rstrip("/")
SITE_URL = GEOPOL_SITE_URL or "http://127.0.0.1:8000"

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
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from our static files (CSP 'self')
    "geopol.core",
    "geopol.geo",
    "geopol.search",
    "geopol.articles",
    "geopol.extraction",
    "geopol.related",
    "geopol.members",
    "geopol.follows",
    "geopol.billing",
    "geopol.forecasts",
    "geopol.desk",
    "geopol.api",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # after WhiteNoise, which serves its own pre-compressed static files; before everything
    # that writes the body. Django's gzip pads responses against BREACH (Django 4.2+).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "geopol.members.apikeys.ApiKeyMiddleware",
    "geopol.members.middleware.PrivateForMembersMiddleware",
    "geopol.core.siteurl.RememberSiteURL",
    # last, as django-axes asks: it turns a locked-out login into the lock-out page
    "axes.middleware.AxesMiddleware",
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
    if importlib.util.find_spec("psycopg") is None:
        raise ImproperlyConfigured(
            "DATABASE_URL names PostgreSQL but its driver is not installed: "
            "pip install 'geopol[postgres]' (or leave DATABASE_URL unset for SQLite)"
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
            # keep each worker's connection: opening one (and its PRAGMAs) cost more than
            # the rest of a cached article page
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
        }
    }


# A streaming replica of the primary (PostgreSQL): safe web requests read from it, everything
# else uses the primary (geopol/core/replica.py; docs/settings.md).
GEOPOL_REPLICA_PIN_SECONDS = int(env("GEOPOL_REPLICA_PIN_SECONDS", "10"))
DATABASE_ROUTERS: list[str] = []
if env("DATABASE_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs DATABASE_URL to name the PostgreSQL primary it follows"
        )
    DATABASES["replica"] = database_from_url(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["geopol.core.replica.PrimaryReplicaRouter"]
    # outside everything that reads the database (sessions, users, views)
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.gzip.GZipMiddleware") + 1,
        "geopol.core.replica.ReplicaMiddleware",
    )


def cache_from_url(url: str, data_dir: Path) -> dict:
    """GEOPOL_CACHE_URL into a CACHES entry: redis://host:6379/1, file:///path or locmem://;
    empty means a directory cache in the data dir. Whatever is chosen, every web worker must
    see the same cache: the article pages and their invalidation live there."""
    parts = urlparse(url)
    if not url:
        return {
            "BACKEND": "geopol.core.cache.DirectoryCache",
            "LOCATION": str(data_dir / "cache"),
            # a rendered page per article and access level, maps, rate-limit counters
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if parts.scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "file":
        return {
            "BACKEND": "geopol.core.cache.DirectoryCache",
            "LOCATION": unquote(parts.path),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if parts.scheme == "locmem":  # one process only: tests, `runserver`
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ValueError(
        f"GEOPOL_CACHE_URL: unsupported scheme {parts.scheme!r}; use redis://127.0.0.1:6379/1, "
        "file:///path/to/dir or locmem://, or leave it unset for a cache in the data dir"
    )


# what a rendered page is made from: code, templates (HTML, text emails) and the data files
# maps, labels and names are drawn from (country shapes, seas, features, registries)
RENDERING_SUFFIXES = {".py", ".html", ".txt", ".json", ".yaml", ".csv", ".tsv", ".svg"}


def code_fingerprint(base: Path = BASE_DIR) -> str:
    """The version of what renders pages: a hash of the content of every module, template
    and data file of Geopol (RENDERING_SUFFIXES, tests aside). It is the cache's key prefix,
    so after a deploy that changes any of them (map drawing code, country shapes) no page,
    map or fragment rendered by the older code is read. Content, not sizes and times: a
    deploy may keep a file's time (rsync -a, tar) and an edit its size. ~70 ms per process."""
    digest = hashlib.sha256()
    for path in sorted(base.rglob("*")):
        parts = path.relative_to(base).parts
        if path.suffix not in RENDERING_SUFFIXES or "tests" in parts or "__pycache__" in parts:
            continue
        if path.is_file():
            digest.update(f"{'/'.join(parts)}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


CACHES = {"default": cache_from_url(env("GEOPOL_CACHE_URL"), DATA_DIR)}
CACHES["default"]["KEY_PREFIX"] = code_fingerprint()


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # older hashes still verify, and are upgraded to Argon2 at the next log-in
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

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

# Cookies are HTTPS-only unless DEBUG; browsers still send them to http://localhost and
# http://127.0.0.1, so `make run` works. Serving plain HTTP elsewhere needs
# GEOPOL_SECURE_COOKIES=false (and should not happen).
# Sessions read from the shared cache, written through to the database (which stays the
# record: a cleared cache only costs a query): one query less on every signed-in page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("GEOPOL_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS-only behaviour follows the public URL: an https GEOPOL_SITE_URL redirects plain HTTP
# and sends HSTS. Behind a TLS-terminating proxy, say so with GEOPOL_PROXY_SSL_HEADER.
_https = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("GEOPOL_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = int(env("GEOPOL_HSTS_SECONDS", "31536000" if _https else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0  # consent only: nothing is submitted
if env_bool("GEOPOL_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): everything from this origin, nothing inline. The map
# enhancement loads Leaflet from our static files and sets styles through the DOM (allowed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Accounts (django-allauth): the email address is the login; it must be verified.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    # membership -> articles.read_members; before the model backends, so that a member's
    # has_perm() on each article page costs one query, not three (it never authenticates)
    "geopol.members.backends.MemberAccessBackend",
    # allauth's sign-in by email, with the reader loaded on each request by compiled SQL.
    # Sessions opened under allauth's own backend path (before this one) must sign in again.
    "geopol.members.backends.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "geopol.members.forms.SignupForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# readers are greeted by their address, never by the username allauth derives from it
ACCOUNT_USER_DISPLAY = "geopol.members.security.display_name"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if _https else "http"
# django-axes does the per-account lock-out (in the database, so every worker agrees);
# allauth's own limit stays only as a per-address brake on password spraying
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip"}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "member-account"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# Brute force (django-axes): GEOPOL_LOGIN_FAILURES wrong passwords for one account from one
# address lock that pair out for GEOPOL_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(env("GEOPOL_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = int(env("GEOPOL_LOCKOUT_MINUTES", "30")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "geopol.members.security.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "members/locked_out.html"


def proxy_settings(count: int) -> dict:
    """Behind `count` proxies both django-axes and allauth's rate limits read the client's
    address from X-Forwarded-For; keyed on the proxy's, one client's failures would lock out
    everyone."""
    return {"AXES_IPWARE_PROXY_COUNT": count or None, "ALLAUTH_TRUSTED_PROXY_COUNT": count}


globals().update(proxy_settings(int(env("GEOPOL_PROXY_COUNT", "0"))))

# Metering: a registered reader may open this many members-only analyses a month (0: none).
GEOPOL_METERED_ARTICLES = int(env("GEOPOL_METERED_ARTICLES", "0"))
# Requests a minute one API key may make (docs/members.md, "API keys").
GEOPOL_API_KEY_RATE = int(env("GEOPOL_API_KEY_RATE", "600"))
# Article pages: rendered once per article and kind of reader (may read it or not, signed in or
# not) and kept this long in the cache (0: on every request). See geopol/articles/pagecache.py.
GEOPOL_PAGE_CACHE_SECONDS = int(env("GEOPOL_PAGE_CACHE_SECONDS", str(7 * 24 * 3600)))
# ... and each web process keeps the pages it served lately in memory, up to this many MB of
# HTML (0: none), in front of that shared cache.
GEOPOL_PAGE_MEMORY_MB = int(env("GEOPOL_PAGE_MEMORY_MB", "128"))

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

# Optional NER (the `ner` extra): articles are re-tagged with spaCy's span proposals by a
# background task after each import or edit (geopol/extraction/ner.py, docs/geoparsing.md)
GEOPOL_NER = env_bool("GEOPOL_NER", False)

# Background tasks (django-tasks): the database backend unless a Redis URL is given, then RQ.
# Workers: `geopol worker` (database) or `geopol manage rqworker` (Redis); see docs/alerts.md.
GEOPOL_TASKS_REDIS_URL = env("GEOPOL_TASKS_REDIS_URL")
# `geopol serve` runs the task worker and the minute timer itself: one command runs everything
# on the embedded default; scale-out runs `geopol worker` and a timer apart.
GEOPOL_SERVE_WORKER = env_bool(
    "GEOPOL_SERVE_WORKER", DATABASES["default"]["ENGINE"].endswith("sqlite3")
)
if GEOPOL_TASKS_REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": GEOPOL_TASKS_REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email (account emails, alerts, digests): SMTP when GEOPOL_SMTP_HOST is set, otherwise each
# message is written as a file into DATA_DIR/mail (a laptop install sends nothing by accident
# and can still open its verification links).
EMAIL_HOST = env("GEOPOL_SMTP_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("GEOPOL_SMTP_PORT", "25"))
    EMAIL_HOST_USER = env("GEOPOL_SMTP_USER")
    EMAIL_HOST_PASSWORD = env("GEOPOL_SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("GEOPOL_SMTP_STARTTLS", False)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env("GEOPOL_EMAIL_FROM", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Alerts: an article published longer ago than this alerts nobody (edits, archive imports).
GEOPOL_ALERTS_MAX_AGE_HOURS = int(env("GEOPOL_ALERTS_MAX_AGE_HOURS", "48"))
# Sent, dropped and in-doubt deliveries and emails are deleted after this many days (0: never).
GEOPOL_ALERTS_KEEP_DAYS = int(env("GEOPOL_ALERTS_KEEP_DAYS", "90"))
# The hour (UTC) after which `geopol alerts send-due` sends the daily digests of members who
# chose no hour and time zone of their own.
GEOPOL_DIGEST_HOUR = int(env("GEOPOL_DIGEST_HOUR", "6"))
# A digest lists at most this many analyses (the most relevant), then links to My Geopol.
GEOPOL_DIGEST_MAX_ITEMS = int(env("GEOPOL_DIGEST_MAX_ITEMS", "20"))

# Billing (Stripe Checkout, Customer Portal, webhooks; see docs/billing.md). Without a secret
# key the membership page shows the plans and GEOPOL_MEMBERSHIP_CONTACT instead of checkout.
GEOPOL_STRIPE_SECRET_KEY = env("GEOPOL_STRIPE_SECRET_KEY")
GEOPOL_STRIPE_WEBHOOK_SECRET = env("GEOPOL_STRIPE_WEBHOOK_SECRET")
# Where the stripe library sends its API calls: Stripe's own unless set (tests point it at a
# local server they start).
GEOPOL_STRIPE_API_BASE = env("GEOPOL_STRIPE_API_BASE")
# Not derived from GEOPOL_EMAIL_FROM: a sender address is usually one nobody reads
# (noreply@...), and the page told readers to write to it. Unset: `check --deploy` warns.
GEOPOL_MEMBERSHIP_CONTACT = env("GEOPOL_MEMBERSHIP_CONTACT")
# Days a member keeps reading after a renewal payment failed (Stripe retries the card).
GEOPOL_BILLING_GRACE_DAYS = int(env("GEOPOL_BILLING_GRACE_DAYS", "7"))
