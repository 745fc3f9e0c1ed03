"""Label placement for server-side maps: estimated text sizes and a greedy placer.

No font metrics are available on the server, so widths come from a table of average
Helvetica/Arial advance widths; being a few percent off only changes how much room a
label keeps around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels

_NARROW = set("ijlftrI.,;:'|!() ")
_WIDE = set("mwMW@")


def text_width(text: str, size: float, *, bold: bool = False, spacing: float = 0.0) -> float:
    """Approximate advance width of `text` at font `size` in a Helvetica-like face."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.3
        elif char in _WIDE:
            em += 0.86
        elif char.isupper():
            em += 0.68
        elif char.isdigit():
            em += 0.56
        else:
            em += 0.53
    return em * size * (1.07 if bold else 1.0) + spacing * max(len(text) - 1, 0)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass
class Placer:
    """Greedy placement: the first candidate box that fits the frame and hits nothing."""

    width: float
    height: float
    margin: float = 4.0
    taken: list[Box] = field(default_factory=list)

    def block(self, box: Box) -> None:
        self.taken.append(box)

    def fits(self, box: Box) -> bool:
        m = self.margin
        if box[0] < m or box[1] < m or box[2] > self.width - m or box[3] > self.height - m:
            return False
        return not any(overlaps(box, other) for other in self.taken)

    def place(self, candidates: Iterable[tuple[Box, str]]) -> tuple[Box, str] | None:
        """Claim the first free candidate; returns it (box, anchor) or None."""
        for box, anchor in candidates:
            if self.fits(box):
                self.taken.append(box)
                return box, anchor
        return None


Candidate = tuple[Box, str]  # a label box and its text-anchor


def place_in_order(placer: Placer, jobs: list[list[Candidate]]) -> list[Candidate | None]:
    """Place each job's label in turn (callers sort by importance), taking of its free
    candidates the one that overlaps fewest candidates of the jobs still to come, then the
    most preferred. One step of look-ahead keeps a label from boxing in its neighbour."""
    results: list[Candidate | None] = []
    reach = [_hull(candidates) for candidates in jobs]
    for i, candidates in enumerate(jobs):
        free = [(rank, c) for rank, c in enumerate(candidates) if placer.fits(c[0])]
        if not free:
            results.append(None)
            continue
        later = [
            box
            for j in range(i + 1, len(jobs))
            if overlaps(reach[i], reach[j])
            for box, _ in jobs[j]
        ]
        _, best = min(free, key=lambda rc: (sum(overlaps(rc[1][0], b) for b in later), rc[0]))
        placer.block(best[0])
        results.append(best)
    return results


def _hull(candidates: list[Candidate]) -> Box:
    return (
        min(b[0] for b, _ in candidates),
        min(b[1] for b, _ in candidates),
        max(b[2] for b, _ in candidates),
        max(b[3] for b, _ in candidates),
    )


def around_marker(
    x: float, y: float, radius: float, text_w: float, size: float
) -> list[tuple[Box, str]]:
    """Candidate label boxes around a marker, in order of cartographic preference:
    right, left, above-right, below-right, above-left, below-left, above, below."""
    gap = radius + 4
    half = size * 0.62
    h = size * 1.2
    right = x + gap
    left = x - gap - text_w
    up = y - gap - h * 0.55
    down = y + gap - h * 0.45
    centred = x - text_w / 2
    boxes = [
        ((right, y - half, right + text_w, y - half + h), "start"),
        ((left, y - half, left + text_w, y - half + h), "end"),
        ((right - 2, up - h * 0.35, right - 2 + text_w, up + h * 0.65), "start"),
        ((right - 2, down - h * 0.1, right - 2 + text_w, down + h * 0.9), "start"),
        ((left + 2, up - h * 0.35, left + 2 + text_w, up + h * 0.65), "end"),
        ((left + 2, down - h * 0.1, left + 2 + text_w, down + h * 0.9), "end"),
        ((centred, y - gap - h, centred + text_w, y - gap), "middle"),
        ((centred, y + gap, centred + text_w, y + gap + h), "middle"),
    ]
    return boxes


def centred_candidates(
    x: float, y: float, text_w: float, h: float, steps: Iterable[tuple[float, float]]
) -> list[tuple[Box, str]]:
    """Boxes centred on (x, y) shifted by each (dx, dy)."""
    return [
        ((x + dx - text_w / 2, y + dy - h / 2, x + dx + text_w / 2, y + dy + h / 2), "middle")
        for dx, dy in steps
    ]


def baseline(box: Box, size: float) -> float:
    """Text baseline that vertically centres a line of `size` in `box`."""
    return (box[1] + box[3]) / 2 + size * 0.35


def anchor_x(box: Box, anchor: str) -> float:
    if anchor == "start":
        return box[0]
    if anchor == "end":
        return box[2]
    return (box[0] + box[2]) / 2
