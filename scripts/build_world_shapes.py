"""Build geopol/geo/data/world/countries.json from the npm package world-atlas 2.0.2.

world-atlas redistributes Natural Earth's Admin 0 country boundaries (public domain,
Natural Earth 4.1.0) as TopoJSON. Geopol commits the decoded shapes so that `make run`
never needs Node. Running this script needs only Python 3.11 and pycountry; Node is only
needed once, to fetch the package:

    cd /tmp && npm pack world-atlas@2.0.2          # writes world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_world_shapes.py /tmp/world-atlas-2.0.2.tgz

The argument may also be the unpacked directory (the one holding countries-50m.json,
e.g. node_modules/world-atlas after `npm install world-atlas@2.0.2`). The tarball can be
fetched without npm from https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz.

Output format (one country per line, so diffs stay readable):

    {"source": ..., "unit": 100, "countries": {
      "ML": {"name": "Mali", "bbox": [w, s, e, n], "focus": [w, s, e, n],
             "label": [lon, lat], "50m": [polygon, ...], "110m": [polygon, ...]},
      ...}}

A polygon is a list of rings (outer ring first, then holes); a ring is a flat list of
integers in 1/100 degree, `[lon0, lat0, dlon1, dlat1, ...]`: the first vertex absolute,
the others as differences from the previous vertex. The closing vertex is not repeated.
`bbox` covers every part of the country; `focus` covers its main body (metropolitan
France, the conterminous United States) and is what a map zooms to; `label` is the pole of
inaccessibility of the largest part, where a map writes the country's name.

Keys are ISO 3166-1 alpha-2 codes. Natural Earth features without an ISO code get
stable keys: XK (Kosovo, the user-assigned code in common use) and lowercase keys with a
leading underscore for the rest (_somaliland, _n_cyprus, _siachen, _indian_ocean_ter).

One change to the source: Natural Earth's default borders are de facto and put Crimea in
Russia; Geopol draws it as part of Ukraine, as UN General Assembly resolution 68/262 does
(the file's "changes" field records this). `--de-facto` keeps the source's borders.
"""

from __future__ import annotations

import argparse
import heapq
import io
import json
import math
import sys
import tarfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry

PACKAGE = "world-atlas"
VERSION = "2.0.2"
UNIT = 100  # coordinates are stored in 1/UNIT degree

OUTPUT = Path(__file__).resolve().parent.parent / "geopol" / "geo" / "data" / "world"

# Natural Earth features that carry no ISO 3166-1 numeric id.
# Natural Earth 4.1.0 names that are dated or too long for a map label.
NAME_OVERRIDES = {
    "MK": "North Macedonia",
    "SZ": "Eswatini",
    "US": "United States",
}

# A lon/lat box holding the Crimean peninsula and nothing else of Russia's.
CRIMEA = (32.0, 44.0, 36.8, 46.4)

NAMELESS_KEYS = {
    "Kosovo": "XK",
    "Somaliland": "_somaliland",
    "N. Cyprus": "_n_cyprus",
    "Siachen Glacier": "_siachen",
    "Indian Ocean Ter.": "_indian_ocean_ter",
}

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]


def read_topologies(source: Path) -> dict[str, dict[str, Any]]:
    """The 50m and 110m topologies from the npm tarball or an unpacked package directory."""
    names = {"50m": "countries-50m.json", "110m": "countries-110m.json"}
    if source.is_dir():
        for manifest_path in (source / "package.json", source / "package" / "package.json"):
            if manifest_path.exists():
                manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
                _check_version(manifest, source)
        found = {}
        for scale, name in names.items():
            path = source / name
            if not path.exists():
                path = source / "package" / name
            if not path.exists():
                sys.exit(f"{source}: no {name} here; pass the world-atlas package directory")
            found[scale] = json.loads(path.read_text(encoding="utf-8"))
        return found
    with tarfile.open(source) as archive:
        _check_version(json.load(_member(archive, "package/package.json")), source)
        return {scale: json.load(_member(archive, f"package/{n}")) for scale, n in names.items()}


def _check_version(manifest: dict[str, Any], source: Path) -> None:
    if manifest.get("name") != PACKAGE or manifest.get("version") != VERSION:
        sys.exit(
            f"{source}: expected {PACKAGE}@{VERSION}, found "
            f"{manifest.get('name')}@{manifest.get('version')}; "
            f"run `npm pack {PACKAGE}@{VERSION}`"
        )


def _member(archive: tarfile.TarFile, name: str) -> io.BufferedReader:
    handle = archive.extractfile(name)
    if handle is None:
        sys.exit(f"{archive.name}: {name} is missing; is this the world-atlas tarball?")
    return io.BufferedReader(handle)  # type: ignore[arg-type]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat arcs from quantized, delta-encoded TopoJSON arcs."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def stitch_ring(indexes: list[int], arcs: list[list[Point]]) -> Ring:
    """Join arcs into one closed ring; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their junction vertex; keep it once.
        ring.extend(points[1:] if ring else points)
    return ring


def _polygons_of(geometry: dict[str, Any]) -> list[list[list[int]]]:
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else list(geometry["arcs"])


def reassign_crimea(topology: dict[str, Any], arcs: list[list[Point]]) -> None:
    """Draw Crimea as part of Ukraine, as UN General Assembly resolution 68/262 has it.

    Natural Earth's default (de facto) countries put the peninsula in Russia, as a separate
    polygon of Russia's MultiPolygon. It is moved to Ukraine and merged with the mainland
    along their shared arcs, so no internal border is drawn. `--de-facto` skips this.
    """
    geometries = {g.get("id"): g for g in topology["objects"]["countries"]["geometries"]}
    russia, ukraine = geometries["643"], geometries["804"]
    west, south, east, north = CRIMEA

    def in_crimea(polygon: list[list[int]]) -> bool:
        ring = stitch_ring(polygon[0], arcs)
        return all(west <= x <= east and south <= y <= north for x, y in ring)

    found = [p for p in _polygons_of(russia) if in_crimea(p)]
    if len(found) != 1:
        sys.exit(f"expected one Crimean polygon in Russia, found {len(found)}; use --de-facto")
    crimea = found[0]
    russia["type"], russia["arcs"] = (
        "MultiPolygon",
        [p for p in _polygons_of(russia) if p is not crimea],
    )
    polygons = _polygons_of(ukraine)
    crimea_arcs = {~i for i in crimea[0]}
    for index, polygon in enumerate(polygons):
        if crimea_arcs & set(polygon[0]):
            polygons[index] = merge_outer_rings(polygon, crimea, arcs)
            break
    else:
        polygons.append(crimea)
    ukraine["type"], ukraine["arcs"] = "MultiPolygon", polygons


def merge_outer_rings(
    a: list[list[int]], b: list[list[int]], arcs: list[list[Point]]
) -> list[list[int]]:
    """Union of two polygons that share arcs: drop the shared arcs, re-link the rest.

    Rings come out largest first; any further ring is a hole enclosed by the union (a
    lagoon between two land bridges). Existing holes of either polygon are kept."""
    combined = a[0] + b[0]
    members = set(combined)
    remaining = [i for i in combined if ~i not in members]

    def ends(i: int) -> tuple[Point, Point]:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        return points[0], points[-1]

    starts: dict[Point, list[int]] = {}
    for i in remaining:
        starts.setdefault(ends(i)[0], []).append(i)
    rings: list[list[int]] = []
    unused = list(remaining)
    while unused:
        ring = [unused.pop(0)]
        starts[ends(ring[0])[0]].remove(ring[0])
        while ends(ring[-1])[1] != ends(ring[0])[0]:
            following = starts[ends(ring[-1])[1]].pop()
            unused.remove(following)
            ring.append(following)
        rings.append(ring)
    rings.sort(key=lambda r: -abs(ring_area(stitch_ring(r, arcs))))
    return rings + a[1:] + b[1:]


def geometry_polygons(geometry: dict[str, Any], arcs: list[list[Point]]) -> list[Polygon]:
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']!r}")
    return [[unwrap(stitch_ring(ring, arcs)) for ring in polygon] for polygon in parts]


def country_key(geometry: dict[str, Any]) -> tuple[str, str]:
    """(key, display name) of one Natural Earth feature."""
    name = geometry.get("properties", {}).get("name", "")
    numeric = geometry.get("id")
    if numeric is None:
        if name not in NAMELESS_KEYS:
            sys.exit(f"feature {name!r} has no ISO id; add it to NAMELESS_KEYS")
        return NAMELESS_KEYS[name], name
    country = pycountry.countries.get(numeric=numeric)
    if country is None:
        sys.exit(f"ISO numeric {numeric} ({name}) is not in pycountry; upgrade pycountry")
    return country.alpha_2, name


def unwrap(ring: Ring) -> Ring:
    """Make longitudes continuous across the antimeridian (Fiji, Chukotka).

    world-atlas stitches polygons cut at 180 degrees back together, so a ring may jump from
    179.9 to -179.9. The result may reach past 180; maps draw such parts twice, shifted by
    360 degrees. Rings that encircle a pole (Antarctica) are returned unchanged.
    """
    out = [ring[0]]
    offset = 0.0
    crossed = False
    for (lon0, _), (lon1, lat1) in pairwise(ring):
        if lon1 - lon0 > 180:
            offset -= 360
            crossed = True
        elif lon0 - lon1 > 180:
            offset += 360
            crossed = True
        out.append((lon1 + offset, lat1))
    if not crossed or offset != 0:
        return ring
    if min(lon for lon, _ in out) < -180:
        out = [(lon + 360, lat) for lon, lat in out]
    return out


def quantize(ring: Ring) -> list[tuple[int, int]]:
    """Ring in integer 1/UNIT degrees, without repeated or closing vertices."""
    out: list[tuple[int, int]] = []
    for lon, lat in ring:
        point = (round(lon * UNIT), round(lat * UNIT))
        if not out or point != out[-1]:
            out.append(point)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def encode(ring: list[tuple[int, int]]) -> list[int]:
    flat = [ring[0][0], ring[0][1]]
    for (x0, y0), (x1, y1) in pairwise(ring):
        flat += [x1 - x0, y1 - y0]
    return flat


def mercator_y(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def inverse_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def ring_area(ring: Ring) -> float:
    """Signed planar area in Mercator degrees (enough to rank parts of a country)."""
    pts = [(x, mercator_y(y)) for x, y in ring]
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True)
    )


def polygon_area(polygon: Polygon) -> float:
    return abs(ring_area(polygon[0])) - sum(abs(ring_area(h)) for h in polygon[1:])


def bbox(rings: list[Ring]) -> list[float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)]


def focus_bbox(polygons: list[Polygon]) -> list[float]:
    """Bounding box of the main body: the largest part plus sizeable parts close to it."""
    if any(max(x for x, _ in p[0]) - min(x for x, _ in p[0]) > 350 for p in polygons):
        return bbox([p[0] for p in polygons])  # Antarctica: areas of pole rings mislead
    ranked = sorted(polygons, key=polygon_area, reverse=True)
    main = ranked[0]
    w, s, e, n = bbox([main[0]])
    largest = polygon_area(main)
    keep = [main[0]]
    for polygon in ranked[1:]:
        pw, ps, pe, pn = bbox([polygon[0]])
        near = pw < e + 5 and pe > w - 5 and ps < n + 5 and pn > s - 5
        if near and polygon_area(polygon) >= 0.002 * largest:
            keep.append(polygon[0])
    return bbox(keep)


def polylabel(polygon: Polygon, precision: float = 0.05) -> Point:
    """Pole of inaccessibility (Mapbox's polylabel), computed in Mercator degrees."""
    rings = [[(x, mercator_y(y)) for x, y in ring] for ring in polygon]
    xs = [x for x, _ in rings[0]]
    ys = [y for _, y in rings[0]]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    if size == 0:
        return rings[0][0][0], inverse_mercator_y(rings[0][0][1])

    def distance(px: float, py: float) -> float:
        inside = False
        best = math.inf
        for ring in rings:
            for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (ay > py) != (by > py) and px < (bx - ax) * (py - ay) / (by - ay) + ax:
                    inside = not inside
                dx, dy = bx - ax, by - ay
                t = 0.0
                if dx or dy:
                    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
                best = min(best, (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2)
        return math.sqrt(best) * (1 if inside else -1)

    def cell(x: float, y: float, h: float) -> tuple[float, float, float, float, float]:
        d = distance(x, y)
        return (-(d + h * math.sqrt(2)), x, y, h, d)

    half = size / 2
    queue = []
    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            heapq.heappush(queue, cell(x + half, y + half, half))
            y += size
        x += size
    cx, cy = (min_x + max_x) / 2, (min_y + max_y) / 2
    best = cell(cx, cy, 0)
    while queue:
        _, x, y, h, d = heapq.heappop(queue)
        if d > best[4]:
            best = (0, x, y, h, d)
        if d + h * math.sqrt(2) - best[4] <= precision:
            continue
        h /= 2
        for dx in (-h, h):
            for dy in (-h, h):
                heapq.heappush(queue, cell(x + dx, y + dy, h))
    return best[1], inverse_mercator_y(best[2])


def build(source: Path, *, de_facto: bool = False) -> dict[str, Any]:
    topologies = read_topologies(source)
    shapes: dict[str, dict[str, list[Polygon]]] = {}
    names: dict[str, str] = {}
    for scale, topology in topologies.items():
        arcs = decode_arcs(topology)
        if not de_facto:
            reassign_crimea(topology, arcs)
        for geometry in topology["objects"]["countries"]["geometries"]:
            key, name = country_key(geometry)
            # Ashmore and Cartier Is. share Australia's id; the first name wins.
            names.setdefault(key, name)
            polygons = geometry_polygons(geometry, arcs)
            shapes.setdefault(key, {}).setdefault(scale, []).extend(polygons)

    countries: dict[str, dict[str, Any]] = {}
    for key in sorted(shapes):
        detailed = shapes[key]["50m"]
        main = max(detailed, key=polygon_area)
        lon, lat = polylabel(main)
        lon = (lon + 180) % 360 - 180
        entry: dict[str, Any] = {
            "name": NAME_OVERRIDES.get(key, names[key]),
            "bbox": bbox([p[0] for p in detailed]),
            "focus": focus_bbox(detailed),
            "label": [round(lon, 2), round(lat, 2)],
        }
        for scale in ("50m", "110m"):
            encoded = []
            for polygon in shapes[key].get(scale, []):
                rings = [quantize(r) for r in polygon]
                if len(rings[0]) < 3:
                    continue  # an islet smaller than the storage grid
                encoded.append([encode(r) for r in rings if len(r) >= 3])
            if encoded:
                entry[scale] = encoded
        countries[key] = entry
    changes = "names of MK, SZ, US shortened or updated for labels"
    if not de_facto:
        changes += "; Crimea moved from RU to UA (UNGA resolution 68/262)"
    return {
        "source": f"Natural Earth 4.1.0 Admin 0 countries via npm {PACKAGE}@{VERSION}",
        "changes": changes,
        "licence": "Natural Earth: public domain; world-atlas package: ISC",
        "unit": UNIT,
        "countries": countries,
    }


def write(data: dict[str, Any], path: Path) -> None:
    """Compact JSON with one country per line."""
    lines = ["{"]
    for field in ("source", "licence", "changes", "unit"):
        lines.append(f"{json.dumps(field)}: {json.dumps(data[field])},")
    lines.append('"countries": {')
    items = list(data["countries"].items())
    for i, (key, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        body = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
        lines.append(f"{json.dumps(key)}:{body}{comma}")
    lines.append("}}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas-2.0.2.tgz or the package dir")
    parser.add_argument("--output", type=Path, default=OUTPUT / "countries.json")
    parser.add_argument(
        "--de-facto",
        action="store_true",
        help="keep Natural Earth's de facto borders (Crimea drawn as part of Russia)",
    )
    args = parser.parse_args(argv)
    data = build(args.source, de_facto=args.de_facto)
    write(data, args.output)
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({len(data['countries'])} countries, {size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
