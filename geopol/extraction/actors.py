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
    # folded names every country's institution or party may be written as ("the Senate",
    # "Parliament", "the Socialists"): only the one at home in a country the text names
    generic: frozenset[str] = frozenset()
    # (home country, generic name) -> the first actor of that name: "Georgia's parliament"
    institutions: dict[tuple[str, str], str] = field(default_factory=dict)

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
        index.generic = add_generic_names(actors, aliases)
        index.institutions = institution_table(actors, aliases, index.generic)
        add_country_tails(actors, aliases, index.generic)
        index.aliases = {k: tuple(v) for k, v in aliases.items()}
        index.acronyms = {k: tuple(v) for k, v in acronyms.items()}
        index.first_words = longest_by_first_word(index.aliases)
        index.tail_lengths = {word: n for word, n in index.first_words.items() if n >= 2}
        index.acronym_first_words = longest_by_first_word(index.acronyms, fold_first=False)
        return index


# What a country's own institutions are called when the text needs no country to say whose
# ("the Senate", "Congress", "Parliament", "the foreign ministry"): folded, as `fold_name`.
GENERIC_INSTITUTIONS = frozenset(
    (
        "senate",
        "congress",
        "national congress",
        "national assembly",
        "parliament",
        "chamber of deputies",
        "house of representatives",
        "supreme court",
        "constitutional court",
        "constitutional council",
        "foreign ministry",
        "defence ministry",
        "defense ministry",
        "interior ministry",
        "ministry of defence",
        "ministry of defense",
        "ministry of foreign affairs",
        "ministry of the interior",
        "central bank",
        "election commission",
        "electoral commission",
        "national electoral council",
        "department of defense",
        "department of national defence",
    )
)
# the institution nouns written after a country's name or demonym ("Georgia's parliament",
# "the Russian defence ministry", "Canada's defense department"), to the generic names
# that institution may have in the registry, tried in order
INSTITUTION_NOUNS = {
    "parliament": ("parliament", "national assembly", "congress", "national congress"),
    "legislature": ("parliament", "national assembly", "congress", "national congress"),
    "national assembly": ("national assembly", "parliament"),
    "congress": ("congress", "national congress"),
    "senate": ("senate",),
    "lower house": ("chamber of deputies", "house of representatives", "national assembly"),
    "supreme court": ("supreme court",),
    "constitutional court": ("constitutional court", "constitutional council"),
    "central bank": ("central bank",),
    "foreign ministry": ("foreign ministry", "ministry of foreign affairs"),
    "ministry of foreign affairs": ("ministry of foreign affairs", "foreign ministry"),
    "interior ministry": ("interior ministry", "ministry of the interior"),
    "election commission": ("election commission", "electoral commission"),
    "electoral commission": ("electoral commission", "election commission"),
}
_DEFENCE = (
    "defence ministry",
    "defense ministry",
    "ministry of defence",
    "ministry of defense",
    "department of defense",
    "department of national defence",
)
INSTITUTION_NOUNS.update(
    {noun: _DEFENCE for noun in (*_DEFENCE, "defence department", "defense department")}
)
# "X Party" whose members are written "the Xs" ("Socialists", "Conservatives"): an optional
# leading word (a demonym, "Spanish Socialist Workers' Party") and the ideology
PARTY_RE = re.compile(
    r"^(?:([A-Z][\w'’.-]*) )?(Social Democratic|Christian Democratic|Socialist|Communist"
    r"|Conservative|Liberal|Green|Republican|Democratic)(?: Workers['’])? Party$"
)
PARTY_MEMBERS = {
    "Social Democratic": "social democrats",
    "Christian Democratic": "christian democrats",
    "Socialist": "socialists",
    "Communist": "communists",
    "Conservative": "conservatives",
    "Liberal": "liberals",
    "Green": "greens",
    "Republican": "republicans",
    "Democratic": "democrats",
}
OF_RE = re.compile(r" of ")


def generic_names(name: str, home: str) -> set[str]:
    """The generic names (GENERIC_INSTITUTIONS, PARTY_MEMBERS) a registry name is once its
    home country is left out: "United States Senate" -> "senate", "Parliament of Georgia"
    -> "parliament", "Spanish Socialist Workers' Party" -> "socialists"; "All Progressives
    Congress" is no "congress" (what goes before is no country's name)."""
    base = QUALIFIER_RE.sub("", name).strip()
    found = set()
    party = PARTY_RE.match(base)
    if party and (not party.group(1) or _names_country(party.group(1), home)):
        found.add(PARTY_MEMBERS[party.group(2)])
    forms = [base]
    for m in OF_RE.finditer(base):  # "National Congress of Chile"
        if _names_country(base[m.end() :], home):
            forms.append(base[: m.start()])
    for form in forms:
        words = fold_name(form).split()
        for i in range(len(words)):
            rest = " ".join(words[i:])
            if rest in GENERIC_INSTITUTIONS and (
                i == 0 or _names_country(" ".join(words[:i]), home)
            ):
                found.add(rest)
    return found


@functools.cache
def _country_words() -> dict[str, frozenset[str]]:
    """Folded country names and demonyms -> the codes they name."""
    from geopol.geo.gazetteer import load_country_names

    names = load_country_names()
    words: dict[str, set[str]] = {}
    for table in (names.names, names.demonyms):
        for key, codes in table.items():
            words.setdefault(key, set()).update(codes)
    return {k: frozenset(v) for k, v in words.items()}


def _names_country(words: str, home: str) -> bool:
    key = fold_name(words)
    key = key[4:] if key.startswith("the ") else key
    return home in _country_words().get(key, ()) or home in _country_words().get(
        key.replace(".", "").replace(" ", ""), ()
    )


def add_generic_names(actors: list[ActorDef], aliases: dict[str, list[str]]) -> frozenset[str]:
    """Register each home-country actor under the generic names its names contain; return
    those names (matched only for an actor at home in a country the text names)."""
    generic: set[str] = set()
    for actor in actors:
        if not actor.home or actor.kind == "person":
            continue
        for name in (actor.name, *actor.aliases):
            for key in generic_names(name, actor.home):
                generic.add(key)
                if actor.id not in aliases.setdefault(key, []):
                    aliases[key].append(actor.id)
    return frozenset(generic)


def institution_table(
    actors: list[ActorDef], aliases: dict[str, list[str]], generic: frozenset[str]
) -> dict[tuple[str, str], str]:
    """(home country, generic name) -> the registry's first actor of it at that home."""
    by_id = {a.id: a for a in actors}
    table: dict[tuple[str, str], str] = {}
    for key in generic:
        for actor_id in aliases.get(key, ()):
            home = by_id[actor_id].home
            if home:
                table.setdefault((home, key), actor_id)
    return table


def add_country_tails(
    actors: list[ActorDef], aliases: dict[str, list[str]], generic: frozenset[str]
) -> None:
    """ "Gaitanista Self-Defense Forces of Colombia" is also written without its country:
    a name of three words or more before "of <its home country>" is an alias too, unless
    another actor already has it or it is a generic name ("Armed Forces")."""
    for actor in actors:
        if not actor.home or actor.kind == "person":
            continue
        for name in (actor.name, *actor.aliases):
            for m in OF_RE.finditer(name):
                if not _names_country(name[m.end() :], actor.home):
                    continue
                key = fold_name(name[: m.start()])
                if len(key.split()) >= 3 and key not in generic and key not in aliases:
                    aliases[key] = [actor.id]


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
