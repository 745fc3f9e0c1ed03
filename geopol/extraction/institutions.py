"""Pass 2c of the geoparser, a country's institutions written with its name or demonym
("Georgia's parliament", "the Russian defence ministry", "Canada's defense department"):
the registry's institution of that country with a generic name the noun may stand for
(`actors.INSTITUTION_NOUNS`), else one of this text named after the country ("Foreign
ministry (Japan)", id "text:foreign-ministry-jp"), as `actors.derived_state_forces` does for
forces. The country word stays a mention of the country. Pure."""

from __future__ import annotations

import re

from geopol.extraction.actors import INSTITUTION_NOUNS, ActorDef
from geopol.extraction.evidence import ActorMatches
from geopol.extraction.matching import Candidate
from geopol.extraction.reading import Document
from geopol.extraction.results import Mention

_NOUNS = "|".join(sorted((re.escape(n) for n in INSTITUTION_NOUNS), key=len, reverse=True))
# right after the country word, possessive allowed, in lower case or as a name
NOUN_AFTER_RE = re.compile(rf"(?:['’]s)?[ \t]+({_NOUNS})\b", re.I)


def match_institutions(
    doc: Document, country_mentions: list[Mention], matches: ActorMatches
) -> dict[str, ActorDef]:
    """For each country mention followed by an institution noun, that country's
    institution, written as the words together; returns those the registry lacks, by id."""
    table = doc.actors.institutions
    derived: dict[str, ActorDef] = {}
    taken = {(m.start, m.end) for m in matches.mentions}
    for mention in country_mentions:
        found = NOUN_AFTER_RE.match(doc.text, mention.end)
        if found is None:
            continue
        end = found.end(1)
        if any(start <= mention.start < stop for start, stop in taken):
            continue  # already inside a registry name ("Russian Foreign Ministry")
        noun = " ".join(found.group(1).lower().split())
        generics = INSTITUTION_NOUNS[noun]
        code = mention.key
        actor_id = next((table[(code, g)] for g in generics if (code, g) in table), None)
        if actor_id is None:
            actor_id = f"text:{generics[0].replace(' ', '-')}-{code.lower()}"
            country = doc.gazetteer.countries.display.get(code, code)
            derived.setdefault(
                actor_id,
                ActorDef(
                    actor_id,
                    f"{generics[0].capitalize()} ({country})",
                    "state-institution",
                    home=code,
                    countries=(code,),
                    note=f"{country}'s {generics[0]} (named in the text by its country).",
                ),
            )
        text = doc.text[mention.start : end]
        matches.add(actor_id, Candidate(mention.start, end, text, "", 0, False, {"actor"}))
    return derived
