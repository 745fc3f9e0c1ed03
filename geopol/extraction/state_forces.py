"""Pass 2b of the geoparser, state forces (issue 10 item 7): "<demonym or country> army /
troops / forces / soldiers / military / navy / air force / police / coast guard / government
forces" is that country's state force: the registry's when it has one of that kind, else the
one derived from the country (`actors.derived_state_forces`). The demonym or country stays
a mention of the country. Pure."""

from __future__ import annotations

import re

from geopol.extraction.actors import FORCE_FALLBACK, FORCE_NOUNS
from geopol.extraction.evidence import ActorMatches
from geopol.extraction.matching import Candidate
from geopol.extraction.reading import Document
from geopol.extraction.results import Mention
from geopol.geo.gazetteer import fold_name

# the force noun right after the country word, possessive allowed ("Russia's forces"), in
# lower case or as a name ("Ugandan Army" not in the registry)
_NOUNS = "|".join(sorted((re.escape(n) for n in FORCE_NOUNS), key=len, reverse=True))
# the country word a force's name opens with: "U.S.", "Russia's", "South Korean"
COUNTRY_WORD_RE = re.compile(r"((?:[A-Z]\.){2,}|[A-Z][\w]+(?: [A-Z][\w]+)?)(?=['’]s |\s|$)")
FORCE_AFTER_RE = re.compile(rf"(?:['’]s)?[ \t]+({_NOUNS})\b(?![ \t]+(?:of|base|bases)\b)", re.I)


def match_state_forces(
    doc: Document, country_mentions: list[Mention], matches: ActorMatches
) -> None:
    """For each country mention followed by a force noun, the country's force of that
    kind, written as the two words together ("Nigerien troops")."""
    table = doc.actors.state_forces
    for mention in country_mentions:
        found = FORCE_AFTER_RE.match(doc.text, mention.end)
        if found is None:
            continue
        cls = FORCE_NOUNS[found.group(1).lower()]
        force = next(
            (table[(mention.key, c)] for c in FORCE_FALLBACK[cls] if (mention.key, c) in table),
            None,
        )
        if force is None or force not in doc.actors.by_id:
            continue
        end = found.end(1)
        matches.add(
            force,
            Candidate(mention.start, end, doc.text[mention.start : end], "", 0, False, {"actor"}),
        )


def named_force_countries(doc: Document, matches: ActorMatches) -> list[Mention]:
    """A registry state force written with its country's name or demonym ("Russian forces",
    "Malian army") names that country too: a mention of it, on the country word."""
    countries = doc.gazetteer.countries
    by_id = doc.actors.by_id
    found: list[Mention] = []
    for mention in matches.mentions:
        actor = by_id.get(mention.key)
        if actor is None or actor.kind != "state-force" or not actor.home:
            continue
        first = COUNTRY_WORD_RE.match(mention.text)
        if first is None:
            continue
        word = first.group(1)
        key = fold_name(word)
        codes = countries.names.get(key) or countries.demonyms.get(key) or ()
        if actor.home in codes:
            start = mention.start
            found.append(Mention("country", actor.home, word, start, start + len(word)))
    return found
