"""Settings for the test suite: a throw-away data dir, never ./var."""

import hashlib
import os
import tempfile

os.environ["GEOPOL_DATA_DIR"] = tempfile.mkdtemp(prefix="geopol-test-")
os.environ["GEOPOL_TESTING"] = "1"

from geopol.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # a file, as in production (WAL, FTS5 on disk), not SQLite's shared-cache memory database
    DATABASES["default"]["TEST"] = {"NAME": DATA_DIR / "test.sqlite3"}  # noqa: F405


def _postgres_for_tests() -> tuple[dict | None, str]:
    """A second database, "postgres", for the PostgreSQL search contract tests: the server at
    GEOPOL_TEST_POSTGRES_URL when it answers, else None and why not."""
    url = os.environ.get("GEOPOL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/geopol")
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed (pip install 'psycopg[binary]')"
    config = database_from_url(url)  # noqa: F405
    try:
        psycopg.connect(
            dbname="postgres",
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            connect_timeout=2,
        ).close()
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None, f"PostgreSQL at {url} is not reachable ({first}); set GEOPOL_TEST_POSTGRES_URL"
    # one test database per checkout, so test runs in different worktrees never collide
    checkout = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]  # noqa: F405, S324
    config["TEST"] = {"NAME": f"test_geopol_{checkout}"}
    config["CONN_MAX_AGE"] = 0
    return config, ""


if "postgres" not in DATABASES:  # noqa: F405
    _postgres, TEST_POSTGRES_UNAVAILABLE = _postgres_for_tests()
    if _postgres:
        DATABASES["postgres"] = _postgres  # noqa: F405
