"""Settings for the test suite: a throw-away data dir, never ./var."""

import os
import tempfile

os.environ["GEOPOL_DATA_DIR"] = tempfile.mkdtemp(prefix="geopol-test-")
os.environ["GEOPOL_TESTING"] = "1"

from geopol.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # a file, as in production (WAL, FTS5 on disk), not SQLite's shared-cache memory database
    DATABASES["default"]["TEST"] = {"NAME": DATA_DIR / "test.sqlite3"}  # noqa: F405
