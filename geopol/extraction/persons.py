"""The persons registry (data/persons/*.yaml, one file per region): political and security
figures with their name variants, second-mention forms and roles. Pure; loaded once per process.

Each entry becomes an `ActorDef` of kind "person", so persons match, tag, page, follow and
filter search exactly as the other actors do; what is theirs alone is `short` (a surname
matched only after a full mention, see `person_mentions`) and `roles`."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from geopol.extraction.actors import ActorDef, Role
from geopol.geo.gazetteer import fold_name

PERSONS_DIR = Path(__file__).resolve().parent / "data" / "persons"
# libyaml's parser when installed: 2,000 entries in 0.07 s instead of 0.6 s (measured)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FIELDS = frozenset(("id", "name", "also", "short", "roles"))
ROLE_RE = re.compile(r"^(?P<office>\S.*?) (?P<country>[A-Z]{2}) (?P<start>\d{4})-(?P<end>\d{4})?$")
FIRST_YEAR, LAST_YEAR = 1940, 2026
# words a default second-mention form never is: "Mohammed VI" is not "VI" later on
NOT_SHORT = frozenset(("i", "ii", "iii", "iv", "v", "vi", "vii", "jr", "sr"))
# lowercase words that belong to a surname ("Ursula von der Leyen" is "von der Leyen" later)
SURNAME_PARTICLES = frozenset(("von", "van", "der", "den", "de", "du", "da", "dos", "bin", "ter"))


class RegistryError(ValueError):
    """A mistake in the registry file, naming the file, the line and the entry."""


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_name(name)).strip("-")


def default_short(name: str) -> tuple[str, ...]:
    """A second mention's form when the entry gives none: the last word ("Erdoğan"), without
    a leading Arabic article ("al-Assad" -> "Assad"), with the particles before it ("von der
    Leyen", "de Gaulle") and before a generational suffix ("Marcos" in "Ferdinand Marcos Jr.")."""
    words = [w for w in re.split(r"[\s]+", name) if w]
    while len(words) > 2 and fold_name(words[-1]).rstrip(".") in NOT_SHORT:
        words.pop()
    if len(words) < 2:
        return ()
    last = re.sub(r"^(?:al|el|ad|ash|as|az|ar)-", "", words[-1])
    if fold_name(last).rstrip(".") in NOT_SHORT:
        return ()
    k = len(words) - 1
    while k > 1 and words[k - 1] in SURNAME_PARTICLES:
        k -= 1
    return (" ".join([*words[k:-1], last]),)


ARTICLE_RE = re.compile(r"(?<=\s)(?:al|el)[- ](?=[A-Z])")


def with_article_variants(name: str, also: tuple[str, ...]) -> tuple[str, ...]:
    """The entry's other names, and each full name with the Arabic article written the
    other way or left out, as news write them: "Abdel Fattah al-Burhan" is also "... el-Burhan"
    and "... Burhan"."""
    names = [*also]
    for written in (name, *also):
        if ARTICLE_RE.search(written):
            for variant in (
                ARTICLE_RE.sub(lambda m: "el-" if m.group()[0] == "a" else "al-", written),
                ARTICLE_RE.sub("", written),
            ):
                if variant != name and variant not in names:
                    names.append(variant)
    return tuple(names)


def parse_role(text: str, where: str) -> Role:
    match = ROLE_RE.match(text.strip())
    if match is None:
        raise RegistryError(
            f"{where}: role {text!r} is not '<office> <CC> <first year>-<last year>' "
            "(leave the last year out while in office)"
        )
    start = int(match["start"])
    end = int(match["end"]) if match["end"] else None
    if not FIRST_YEAR <= start <= LAST_YEAR or (end is not None and not start <= end <= LAST_YEAR):
        raise RegistryError(f"{where}: role {text!r} has years outside {FIRST_YEAR}-{LAST_YEAR}")
    return Role(match["office"], match["country"], start, end)


def _strings(value: Any, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: '{field}' must be a list of names")
    return tuple(v.strip() for v in value)


def parse_persons(
    text: str, source: str = "persons.yaml", countries: frozenset[str] | None = None
) -> list[ActorDef]:
    """Check the registry's entries; an error names the file, the line and the entry.
    `countries`: the ISO codes a role may name (all two-letter codes when None)."""
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return []
        if not isinstance(root, yaml.SequenceNode):
            raise RegistryError(f"{source}: line {root.start_mark.line + 1}: expected a list")
        persons: list[ActorDef] = []
        seen: dict[str, int] = {}
        for node in root.value:
            line = node.start_mark.line + 1
            entry = loader.construct_object(node, deep=True)
            where = f"{source}: line {line}"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise RegistryError(f"{where}: every person needs a 'name'")
            where += f" ({entry['name']})"
            person = _person(entry, where, countries)
            if person.id in seen:
                raise RegistryError(
                    f"{where}: id {person.id!r} is already used on line {seen[person.id]}; "
                    "give one of them an 'id'"
                )
            seen[person.id] = line
            persons.append(person)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise RegistryError(f"{source}: {line}not valid YAML ({error})") from error
    finally:
        loader.dispose()
    return persons


def _person(entry: dict, where: str, countries: frozenset[str] | None) -> ActorDef:
    """One checked registry entry as an actor definition."""
    unknown = set(entry) - FIELDS
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(FIELDS)}")
    roles_text = entry.get("roles")
    if not isinstance(roles_text, str) or not roles_text.strip():
        raise RegistryError(f"{where}: 'roles' is missing")
    roles = tuple(parse_role(r, where) for r in roles_text.split(";") if r.strip())
    for role in roles:
        if countries is not None and role.country not in countries:
            raise RegistryError(f"{where}: {role.country!r} is no ISO 3166-1 country code")
    short = _strings(entry.get("short"), "short", where) or default_short(entry["name"])
    codes = tuple(dict.fromkeys(r.country for r in roles))
    return ActorDef(
        id=str(entry.get("id") or slug(entry["name"])),
        name=entry["name"].strip(),
        kind="person",
        aliases=with_article_variants(entry["name"], _strings(entry.get("also"), "also", where)),
        home=codes[0],
        countries=codes,
        note=describe(roles),
        short=short,
        roles=roles,
    )


def describe(roles: tuple[Role, ...]) -> str:
    """One line for the actor's note: the latest role first."""
    latest = sorted(roles, key=lambda r: (r.end or 9999, r.start), reverse=True)
    return "; ".join(r.label() for r in latest)[:300]


def registry_files() -> list[Path]:
    return sorted(PERSONS_DIR.glob("*.yaml")) if PERSONS_DIR.is_dir() else []


@functools.cache
def persons_from_file() -> tuple[ActorDef, ...]:
    """Every person of every region's file; an id used in two files is an error."""
    files = registry_files()
    if not files:
        return ()
    import pycountry

    codes = frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}
    persons: list[ActorDef] = []
    where: dict[str, str] = {}
    for path in files:
        for person in parse_persons(path.read_text(), path.name, codes):
            if person.id in where:
                raise RegistryError(
                    f"{path.name}: id {person.id!r} ({person.name}) is already used in "
                    f"{where[person.id]}; give one of them an 'id'"
                )
            where[person.id] = path.name
            persons.append(person)
    return tuple(persons)


def shared_names() -> frozenset[str]:
    """Full names two registry persons may share (data/persons/shared-names.txt)."""
    path = PERSONS_DIR / "shared-names.txt"
    if not path.exists():
        return frozenset()
    lines = (line.strip() for line in path.read_text().splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))
