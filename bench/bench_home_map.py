"""The home page's world map (drawn wide and for phones, as the page carries it): its bytes,
gzipped bytes and the time to draw it. Pure Python over the committed shapes, no database;
every country links to its page, as on the site. Prints JSON.

    .venv/bin/python bench/bench_home_map.py [--runs N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopol.settings")

from geopol.geo.maps import WORLD, MapSpec, render_svgs
from geopol.geo.worldshapes import countries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    links = {code: f"/countries/{code.lower()}/" for code in countries() if len(code) == 2}
    spec = MapSpec(title="The world", bbox=WORLD, height=None, country_links=links)
    times, html = [], ""
    for _ in range(args.runs):
        start = time.perf_counter()
        html = render_svgs(spec)
        times.append((time.perf_counter() - start) * 1000)
    data = html.encode()
    report = {
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or "?"},
        "bytes": len(data),
        "gzip_bytes": len(gzip.compress(data, 6)),
        "paths": html.count("<path"),
        "draw_ms_median": round(statistics.median(times), 1),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
