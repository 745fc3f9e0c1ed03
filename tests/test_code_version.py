"""After a deploy that changes how pages are drawn, no page cached by the older code is read:
the cache's key prefix is a version of the rendering code and data (settings.code_fingerprint).
A deploy is played here on a copy of the package: a file's content changes while its size and
time stay (as rsync -a or an unpacked tarball may leave them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "geopol"


def key_prefix(root: Path) -> str:
    """The cache key prefix a web process started from `root` (a copy of the checkout) uses."""
    env = {**os.environ, "PYTHONPATH": str(root), "GEOPOL_DATA_DIR": str(root / "var")}
    code = "import geopol.settings as s; print(s.CACHES['default']['KEY_PREFIX'])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def redeploy(path: Path, old: bytes, new: bytes) -> None:
    """Change `old` to `new` (of the same length) in `path`, keeping its time."""
    assert len(old) == len(new)
    stat = path.stat()
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.fixture
def site(tmp_path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "geopol", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_new_map_drawing_code_reads_no_page_cached_by_the_old(site):
    before = key_prefix(site)
    assert key_prefix(site) == before  # every process of one deploy shares the cache
    redeploy(site / "geopol/geo/svgparts.py", b"SIMPLIFY_PX = 0.3", b"SIMPLIFY_PX = 0.4")
    assert key_prefix(site) != before


def test_new_country_shapes_read_no_page_cached_with_the_old(site):
    before = key_prefix(site)
    shapes = site / "geopol/geo/data/world/countries.json"
    redeploy(shapes, b'"MK"', b'"mk"')  # a rebuilt file: one of its keys spelled otherwise
    assert key_prefix(site) != before
