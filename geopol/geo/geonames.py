"""Read GeoNames dumps in their standard tab-separated format (19 columns). Pure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COLUMNS = 19
# populated places, administrative areas, hydrographic, area, spot (airports), terrain
KEPT_CLASSES = {"P", "A", "H", "L", "S", "T", "V"}


class DumpError(ValueError):
    def __init__(self, reason: str, line: int) -> None:
        super().__init__(f"line {line}: {reason}")
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class GeoNamesRow:
    geonames_id: int
    name: str
    ascii_name: str
    alternate_names: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country: str
    admin1: str
    population: int


def read_dump(path: Path) -> Iterator[GeoNamesRow]:
    """Rows of a GeoNames dump (e.g. ML.txt); DumpError names the first bad line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != COLUMNS:
                raise DumpError(
                    f"expected {COLUMNS} tab-separated columns, found {len(fields)}; "
                    "is this a GeoNames dump (e.g. ML.txt from download.geonames.org)?",
                    number,
                )
            try:
                row = GeoNamesRow(
                    geonames_id=int(fields[0]),
                    name=fields[1],
                    ascii_name=fields[2],
                    alternate_names=tuple(n for n in fields[3].split(",") if n),
                    lat=float(fields[4]),
                    lon=float(fields[5]),
                    feature_class=fields[6],
                    feature_code=fields[7],
                    country=fields[8],
                    admin1=fields[10],
                    population=int(fields[14] or 0),
                )
            except ValueError as error:
                raise DumpError(f"unreadable number ({error})", number) from None
            if not -90 <= row.lat <= 90 or not -180 <= row.lon <= 180:
                raise DumpError(f"coordinates out of range: {row.lat}, {row.lon}", number)
            if row.feature_class in KEPT_CLASSES:
                yield row
