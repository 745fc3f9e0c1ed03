"""Web Mercator for server-side maps: fitting a view, projecting, clipping, SVG paths.

Coordinates in "Mercator degrees": x is longitude, y is the Mercator ordinate scaled to
degrees, so both axes share one unit at the equator and a view is a plain rectangle.
This is the projection Leaflet uses, so the SVG and the interactive map line up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

MAX_LAT = 85.0511  # Web Mercator's square-world limit
XY = tuple[float, float]
BBox = tuple[float, float, float, float]  # west, south, east, north in degrees


def mercator_y(lat: float) -> float:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


WORLD_TOP = mercator_y(MAX_LAT)
WORLD_BOTTOM = -WORLD_TOP


@dataclass(frozen=True)
class View:
    """A rectangle of the Mercator plane mapped onto a width x height pixel frame."""

    left: float  # Mercator x at pixel 0
    top: float  # Mercator y at pixel 0
    scale: float  # pixels per Mercator degree
    width: int
    height: int

    def point(self, lon: float, lat: float) -> XY:
        """Pixel position; longitudes wrap, so a view across 180 degrees works."""
        x = lon - self.left
        span = self.width / self.scale
        if span < 360:
            slack = (360.0 - span) / 2
            x = (x + slack) % 360.0 - slack
        return x * self.scale, (self.top - mercator_y(lat)) * self.scale

    def bbox(self) -> BBox:
        """The view in degrees (west, south, east, north); east passes 180 when the view
        crosses the antimeridian."""
        right = self.left + self.width / self.scale
        bottom = self.top - self.height / self.scale
        return (
            round(self.left, 4),
            round(latitude(bottom), 4),
            round(right, 4),
            round(latitude(self.top), 4),
        )

    def mercator_bounds(self) -> BBox:
        """(left, bottom, right, top) in Mercator degrees."""
        return (
            self.left,
            self.top - self.height / self.scale,
            self.left + self.width / self.scale,
            self.top,
        )

    def km_per_pixel(self) -> float:
        """Ground distance per pixel at the middle of the view."""
        middle = latitude(self.top - self.height / self.scale / 2)
        return 111.32 * math.cos(math.radians(middle)) / self.scale


def union(boxes: Iterable[BBox]) -> BBox | None:
    """The smallest box holding all `boxes`, going across the antimeridian (east > 180)
    when that is narrower, as for Chukotka and Alaska together."""
    boxes = list(boxes)
    if not boxes:
        return None
    south = min(b[1] for b in boxes)
    north = max(b[3] for b in boxes)
    plain = (min(b[0] for b in boxes), max(b[2] for b in boxes))
    shifted = [(b[0] + 360, b[2] + 360) if b[0] < 0 else (b[0], b[2]) for b in boxes]
    wrapped = (min(w for w, _ in shifted), max(e for _, e in shifted))
    west, east = min(plain, wrapped, key=lambda we: (we[1] - we[0], we != plain))
    return west, south, east, north


def fit_view(
    bbox: BBox,
    width: int,
    height: int,
    *,
    padding: float = 0.1,
    min_span: float = 5.0,
) -> View:
    """The view showing `bbox` with `padding` (a fraction of the frame) on every side.

    A box narrower than `min_span` degrees grows around its centre, so a single town is
    shown with its surroundings. East may exceed 180 for a box across the antimeridian.
    Views never leave the Mercator world north and south: a box taller or wider than the
    world is cropped, one near a pole is shifted towards the equator.
    """
    west, south, east, north = bbox
    left, right = west, max(east, west)
    bottom, top = mercator_y(min(south, north)), mercator_y(max(south, north))
    if right - left < min_span:
        middle = (left + right) / 2
        left, right = middle - min_span / 2, middle + min_span / 2
    if top - bottom < min_span:
        middle = (top + bottom) / 2
        bottom, top = middle - min_span / 2, middle + min_span / 2
    usable_w = width * (1 - 2 * padding)
    usable_h = height * (1 - 2 * padding)
    scale = min(usable_w / (right - left), usable_h / (top - bottom))
    # The frame may never be larger than the world.
    scale = max(scale, width / 360.0, height / (WORLD_TOP - WORLD_BOTTOM))
    span_x, span_y = width / scale, height / scale
    center_x, center_y = (left + right) / 2, (top + bottom) / 2
    view_left = -180.0 if span_x >= 360 - 1e-9 else (center_x - span_x / 2 + 180) % 360 - 180
    view_top = max(min(center_y + span_y / 2, WORLD_TOP), WORLD_BOTTOM + span_y)
    return View(view_left, view_top, scale, width, height)


def clip_ring(ring: Sequence[XY], x0: float, y0: float, x1: float, y1: float) -> list[XY]:
    """Sutherland-Hodgman clipping of a closed ring to an axis-aligned rectangle.

    Concave rings may gain edges along the rectangle; callers clip to a rectangle a little
    larger than the frame so those edges fall outside what is seen.
    """
    points = list(ring)
    if not points:
        return points
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    # Only the rectangle's sides the ring actually crosses need a pass.
    if min(xs) < x0:
        points = _clip_side(points, 0, x0, True)
    if points and max(xs) > x1:
        points = _clip_side(points, 0, x1, False)
    if points and min(ys) < y0:
        points = _clip_side(points, 1, y0, True)
    if points and max(ys) > y1:
        points = _clip_side(points, 1, y1, False)
    return points


def _clip_side(points: list[XY], axis: int, limit: float, keep_above: bool) -> list[XY]:
    out: list[XY] = []
    prev = points[-1]
    prev_in = prev[axis] >= limit if keep_above else prev[axis] <= limit
    for cur in points:
        value = cur[axis]
        cur_in = value >= limit if keep_above else value <= limit
        if cur_in != prev_in:
            t = (limit - prev[axis]) / (value - prev[axis])
            if axis == 0:
                out.append((limit, prev[1] + t * (cur[1] - prev[1])))
            else:
                out.append((prev[0] + t * (cur[0] - prev[0]), limit))
        if cur_in:
            out.append(cur)
        prev, prev_in = cur, cur_in
    return out


def clip_line(line: Sequence[XY], x0: float, y0: float, x1: float, y1: float) -> list[list[XY]]:
    """Pieces of a polyline inside a rectangle (Liang-Barsky per segment)."""
    pieces: list[list[XY]] = []
    current: list[XY] = []
    for a, b in pairwise(line):
        segment = _clip_segment(a, b, x0, y0, x1, y1)
        if segment is None:
            if current:
                pieces.append(current)
                current = []
            continue
        start, end = segment
        if current and current[-1] != start:
            pieces.append(current)
            current = []
        if not current:
            current.append(start)
        current.append(end)
        if end != b:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return [piece for piece in pieces if len(piece) > 1]


def _clip_segment(a: XY, b: XY, x0: float, y0: float, x1: float, y1: float) -> tuple[XY, XY] | None:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return None
            t0 = max(t0, t)
        else:
            if t < t0:
                return None
            t1 = min(t1, t)
    start = a if t0 == 0 else (ax + t0 * dx, ay + t0 * dy)
    end = b if t1 == 1 else (ax + t1 * dx, ay + t1 * dy)
    return start, end


def thin(points: Sequence[XY], tolerance: float) -> list[XY]:
    """Drop vertices closer than `tolerance` pixels to the last one kept."""
    if not points:
        return []
    kept = [points[0]]
    lx, ly = points[0]
    for x, y in points[1:]:
        if abs(x - lx) + abs(y - ly) >= tolerance:
            kept.append((x, y))
            lx, ly = x, y
    return kept


def path_data(rings: Iterable[Sequence[XY]], closed: bool = True, tolerance: float = 0.0) -> str:
    """SVG path data to a tenth of a unit, each ring a move then relative lines ("M12.3 4
    1.2-.5..."): about half the characters of absolute pairs, the same drawing. Rings are
    closed with Z unless `closed` is False; with a `tolerance` (viewBox units), vertices
    nearer than that to the line through their neighbours are dropped first (`simplify`)."""
    parts = []
    for ring in rings:
        points = simplify(ring, tolerance) if tolerance > 0 else ring
        x0, y0 = round(points[0][0] * 10), round(points[0][1] * 10)
        out = [f"M{_tenths(x0)} {_tenths(y0)}"]
        line = []
        for x, y in points[1:]:
            x1, y1 = round(x * 10), round(y * 10)
            if x1 == x0 and y1 == y0:
                continue
            line.append(_tenths(x1 - x0))
            line.append(_tenths(y1 - y0))
            x0, y0 = x1, y1
        if line:
            out.append("l" + _join(line))
        parts.append("".join(out) + ("Z" if closed else ""))
    return "".join(parts)


def _tenths(n: int) -> str:
    """`n` tenths as SVG's shortest number: 12 -> "1.2", 5 -> ".5", -5 -> "-.5", 30 -> "3"."""
    whole, tenth = divmod(abs(n), 10)
    sign = "-" if n < 0 else ""
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _join(numbers: list[str]) -> str:
    """Numbers as path data needs them apart: a space only where the next one could be read
    as going on with the last ("1 2", but "1-2" and "1.5.5", which reads 1.5 and .5)."""
    out = [numbers[0]]
    for last, number in pairwise(numbers):
        if not (number[0] == "-" or (number[0] == "." and "." in last)):
            out.append(" ")
        out.append(number)
    return "".join(out)


def simplify(ring: Sequence[XY], tolerance: float) -> Sequence[XY]:
    """Douglas-Peucker: the ring without the vertices within `tolerance` of the segment their
    kept neighbours make; rings that would fall under three vertices stay as they are. At a
    third of a pixel a map's outlines look the same and lose about half their vertices."""
    n = len(ring)
    if n < 4:
        return ring
    x0, y0 = ring[0]
    far = max(range(n), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2)
    keep = [False] * n
    keep[0] = keep[far] = keep[n - 1] = True
    limit = tolerance * tolerance
    stack = [(0, far), (far, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        (ax, ay), (bx, by) = ring[a], ring[b]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        worst, at = -1.0, -1
        for i in range(a + 1, b):  # squared distance to the segment, not to its line
            px, py = ring[i][0] - ax, ring[i][1] - ay
            t = 0.0 if length == 0 else min(1.0, max(0.0, (px * dx + py * dy) / length))
            ex, ey = px - t * dx, py - t * dy
            d = ex * ex + ey * ey
            if d > worst:
                worst, at = d, i
        if worst > limit:
            keep[at] = True
            stack.append((a, at))
            stack.append((at, b))
    kept = [p for p, k in zip(ring, keep, strict=True) if k]
    return kept if len(kept) >= 3 else ring


def ring_centroid(ring: Sequence[XY]) -> tuple[XY, float]:
    """Area centroid and absolute area of a closed ring in pixel space."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2), 0.0
    return (cx / (3 * area), cy / (3 * area)), abs(area) / 2


def contains(ring: Sequence[XY], x: float, y: float) -> bool:
    """Even-odd point-in-ring test."""
    inside = False
    for (ax, ay), (bx, by) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            inside = not inside
    return inside
