"""The actor registry as the matcher sees it: canonical names, aliases, acronyms. Pure."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geopol.geo.gazetteer import fold_name, name_keys

SPLIT_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w'’]*|\d[\d,.]*")
QUALIFIER_RE = re.compile(r"\s*\([^)]*\)\s*$")
REGISTRY_FILE = Path(__file__).resolve().parent / "data" / "actors.yaml"
KINDS = (
    "armed-group",
    "state-force",
    "mission",
    "igo",
    "alliance",
    "political-movement",
    "political-party",
    "state-institution",
    "person",
)


@dataclass(frozen=True)
class Role:
    """An office a person held: "president SY 2000-2024" (`end` None while in office)."""

    office: str
    country: str
    start: int
    end: int | None = None

    def label(self) -> str:
        return f"{self.office} ({self.country}) {self.start}-{self.end or ''}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "office": self.office,
            "country": self.country,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class ActorDef:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    home: str | None = None
    countries: tuple[str, ...] = ()
    note: str = ""
    short: tuple[str, ...] = ()  # persons: second-mention forms ("Assad"), see person_mentions
    roles: tuple[Role, ...] = ()


@dataclass
class ActorIndex:
    """Folded aliases (matched when capitalised as a name) and acronyms (matched exactly)."""

    by_id: dict[str, ActorDef] = field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded name -> ids
    acronyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # exact text -> ids
    first_words: dict[str, int] = field(default_factory=dict)  # folded first word -> max words
    # multi-word aliases: first word -> most words, for "Haqqani network", "Malian army"
    tail_lengths: dict[str, int] = field(default_factory=dict)
    pks: dict[str, int] = field(default_factory=dict)  # actor slug -> database id, if any
    acronym_first_words: dict[str, int] = field(default_factory=dict)
    # persons' second-mention forms, folded -> person ids; matched only after a full mention
    short_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (country code, force noun) -> state-force id: "Nigerien troops", "Greek coast guard"
    state_forces: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def build(cls, actors: list[ActorDef]) -> ActorIndex:
        index = cls()
        aliases: dict[str, list[str]] = {}
        acronyms: dict[str, list[str]] = {}
        for actor in actors:
            index.by_id[actor.id] = actor
            for name in (actor.name, *actor.aliases):
                for key in name_keys(name):
                    if actor.id not in aliases.setdefault(key, []):
                        aliases[key].append(actor.id)
            # "National Assembly (France)" is written "National Assembly": shared by many,
            # the text's country decides (see pipeline.extract)
            base = QUALIFIER_RE.sub("", actor.name).strip()
            if base != actor.name:
                for key in name_keys(base):
                    if actor.id not in aliases.setdefault(key, []):
                        aliases[key].append(actor.id)
            for acronym in actor.acronyms:
                if actor.id not in acronyms.setdefault(acronym, []):
                    acronyms[acronym].append(actor.id)
                dotted = ".".join(acronym) + "." if acronym.isalpha() and len(acronym) <= 4 else ""
                if dotted and actor.id not in acronyms.setdefault(dotted, []):
                    acronyms[dotted].append(actor.id)
        shorts: dict[str, list[str]] = {}
        for actor in actors:
            for short in actor.short:
                ids = shorts.setdefault(fold_name(short), [])
                if actor.id not in ids:
                    ids.append(actor.id)
        index.short_forms = {k: tuple(v) for k, v in shorts.items()}
        index.state_forces = state_force_table(actors)
        index.aliases = {k: tuple(v) for k, v in aliases.items()}
        index.acronyms = {k: tuple(v) for k, v in acronyms.items()}
        index.first_words = longest_by_first_word(index.aliases)
        index.tail_lengths = {word: n for word, n in index.first_words.items() if n >= 2}
        index.acronym_first_words = longest_by_first_word(index.acronyms, fold_first=False)
        return index


def longest_by_first_word(names: Iterable[str], fold_first: bool = True) -> dict[str, int]:
    """For each first word, the most words a name starting with it has (tokenised as the
    matcher tokenises: hyphens and dots split)."""
    longest: dict[str, int] = {}
    for name in names:
        words = name.split() if fold_first else SPLIT_RE.findall(name)
        if not words:
            continue
        first = words[0]
        if len(words) > longest.get(first, 0):
            longest[first] = len(words)
    return longest


def parse_registry(entries: list[dict[str, Any]], source: str = "actors.yaml") -> list[ActorDef]:
    """Check the registry's entries; errors name the entry and the field."""
    actors = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        where = f"{source}: entry {number}"
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("name"):
            raise ValueError(f"{where}: every actor needs an 'id' and a 'name'")
        if entry["id"] in seen:
            raise ValueError(f"{where}: id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        kind = entry.get("kind", "")
        if kind not in KINDS:
            raise ValueError(f"{where} ({entry['id']}): kind {kind!r} is not one of {KINDS}")
        actors.append(
            ActorDef(
                id=str(entry["id"]),
                name=str(entry["name"]),
                kind=kind,
                aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                acronyms=tuple(str(a) for a in entry.get("acronyms") or ()),
                home=entry.get("home") or None,
                countries=tuple(entry.get("countries") or ()),
                note=str(entry.get("note") or ""),
            )
        )
    return actors


@functools.cache
def registry_from_file() -> tuple[ActorDef, ...]:
    """data/actors.yaml, and the state forces derived for countries it gives none."""
    if not REGISTRY_FILE.exists():
        return ()
    actors = parse_registry(yaml.safe_load(REGISTRY_FILE.read_text()) or [])
    return (*actors, *derived_state_forces(actors, country_names()))


def country_names() -> dict[str, str]:
    """ISO 3166-1 code -> the short name news use ("DR Congo", "Bolivia")."""
    import pycountry

    from geopol.geo.regions import COMMON_NAMES

    names = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
    names.update({k: v for k, v in COMMON_NAMES.items() if k in names})
    return names


def full_registry() -> tuple[ActorDef, ...]:
    """Everything the geoparser matches without a database: the actors and the persons."""
    from geopol.extraction.persons import persons_from_file

    return (*registry_from_file(), *persons_from_file())


# -- state forces (issue 10 item 7): "<demonym or country> <force noun>" ---------------------

# the force nouns as written after a demonym or a country, to the class of force they name
FORCE_NOUNS = {
    "army": "army",
    "troops": "forces",
    "forces": "forces",
    "soldiers": "forces",
    "military": "forces",
    "armed forces": "forces",
    "government forces": "forces",
    "government troops": "forces",
    "navy": "navy",
    "air force": "air force",
    "police": "police",
    "coast guard": "coast guard",
    "coastguard": "coast guard",
}
# which force a class falls back to when the country has none of its own
FORCE_FALLBACK = {
    "army": ("army", "forces"),
    "forces": ("forces", "army"),
    "navy": ("navy", "forces", "army"),
    "air force": ("air force", "forces", "army"),
    "coast guard": ("coast guard", "navy", "forces", "army"),
    "police": ("police",),
}
# words in a registry state force's name or alias that say which class it is, in the order
# tried ("Nigerian Navy" is the navy even though the entry is the armed forces as a whole)
_CLASS_WORDS = (
    ("coast guard", ("coast guard", "coastguard")),
    ("navy", ("navy", "naval force")),
    ("air force", ("air force",)),
    ("police", ("police", "gendarmerie")),
    ("forces", ("armed forces", "defence force", "defense force", "military", "troops")),
    ("army", ("army",)),
)


def force_class(name: str) -> str:
    """The class of force a state force's name says it is; "" when it names none."""
    folded = fold_name(name)
    for cls, words in _CLASS_WORDS:
        if any(re.search(rf"\b{w}\b", folded) for w in words):
            return cls
    return ""


def state_force_table(actors: Iterable[ActorDef]) -> dict[tuple[str, str], str]:
    """(home country, class of force) -> the first state force of the registry that is it,
    judged by its name and then its aliases."""
    table: dict[tuple[str, str], str] = {}
    for actor in actors:
        if actor.kind != "state-force" or not actor.home:
            continue
        for name in (actor.name, *actor.aliases):
            cls = force_class(name)
            if cls:
                table.setdefault((actor.home, cls), actor.id)
    return table


def derived_state_forces(actors: list[ActorDef], names: dict[str, str]) -> list[ActorDef]:
    """A country's armed forces and police when the registry has none for it, so that
    "Kenyan troops" is always some country's state force. `names`: ISO code -> name."""
    table = state_force_table(actors)
    derived = []
    for code, name in sorted(names.items()):
        if (code, "forces") not in table and (code, "army") not in table:
            derived.append(
                ActorDef(
                    id=f"armed-forces-{code.lower()}",
                    name=f"Armed forces of {name}",
                    kind="state-force",
                    home=code,
                    countries=(code,),
                    note=f"{name}'s national armed forces (named in the text by their country).",
                )
            )
        if (code, "police") not in table:
            derived.append(
                ActorDef(
                    id=f"police-{code.lower()}",
                    name=f"Police of {name}",
                    kind="state-force",
                    home=code,
                    countries=(code,),
                    note=f"{name}'s national police (named in the text by their country).",
                )
            )
    return derived
