"""The actor registry as the matcher sees it: canonical names, aliases, acronyms. Pure."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from geopol.geo.gazetteer import name_keys

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
)


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
    if not REGISTRY_FILE.exists():
        return ()
    return tuple(parse_registry(yaml.safe_load(REGISTRY_FILE.read_text()) or []))
