"""Settings for the test suite: a throw-away data dir, never ./var."""

import os
import tempfile

os.environ["GEOPOL_DATA_DIR"] = tempfile.mkdtemp(prefix="geopol-test-")
os.environ["GEOPOL_TESTING"] = "1"

from geopol.settings import *  # noqa: F403
