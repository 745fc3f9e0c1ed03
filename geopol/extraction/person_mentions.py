"""Pass 2a of the geoparser, persons: registry persons named in full, then by their second
mention's form ("Assad", "Erdogan") after a full mention in the same text. Pure.

Two more readings of a full mention: a name with a middle initial ("George W. Bush",
"Vladimir V. Putin") is the registry's "George Bush" / "Vladimir Putin"; and a title before a
second mention's form ("President Erdogan", "Chancellor Scholz", "Mr. Sunak") names the one
registry person with that form whose offices fit the title, with no full mention needed.

Full names are found by the matcher like any actor alias (they are aliases of actors of kind
"person"). This pass adds the second mentions, and puts every person's span into
`Document.person_spans`, the spans the later passes already treat as persons' names (no place
or country inside one: "John Kerry" is not County Kerry, "Theresa May" no month)."""

from __future__ import annotations

import bisect
import re

from geopol.extraction.evidence import ActorMatches, Sorted
from geopol.extraction.matching import Candidate, Token
from geopol.extraction.reading import Document
from geopol.extraction.rules import WORDS
from geopol.geo.gazetteer import fold_name

# a first name, then a middle initial or a nickname in quotes, then a last name
_NAME = r"[A-Z\u00c0-\u00de][\w'’-]+"
INSERTED_NAME_RE = re.compile(
    rf"(?<![\w.])(?P<first>{_NAME}) (?:[A-Z]\.? |[\"“][^\"“”\n]{{1,30}}[\"”] )(?P<last>{_NAME})"
)
# what must stand between the names for INSERTED_NAME_RE to match: found first, and the names
# read only around it (a scan of every capitalised word cost 5% of extract)
MIDDLE_HINT_RE = re.compile(r" [A-Z]\.? [A-Z]| [\"“]")
WORD_BEFORE_RE = re.compile(r"[\w'’-]+$")
OFFICE_WORD_RE = re.compile(r"[\s\-]+")  # "UN secretary-general": secretary, general
# titles as written ("President", "PRESIDENT", "president"): no lower() per token
TITLE_FORMS = frozenset(f for t in WORDS.titles for f in (t, t.capitalize(), t.upper()))
# titles that fit anyone: the one registry person with the form, or nobody
COURTESY_TITLES = frozenset(("mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "prof"))
# abbreviated titles, as the word a person's office says
TITLE_ALIASES = {
    "pres": "president",
    "gen": "general",
    "sen": "senator",
    "gov": "governor",
    "adm": "admiral",
    "col": "colonel",
    "premier": "premier",
}

MAX_SHORT_WORDS = 3  # "López Obrador", "bin Laden", "Ben-Gvir" (hyphens split words)


def full_mentions(doc: Document, parts: Sorted) -> list[tuple[Candidate, str]]:
    """The registry persons named in full, in text order."""
    by_id = doc.actors.by_id
    return [(c, a) for c, a in parts.actors if by_id[a].kind == "person"]


def second_mentions(doc: Document, parts: Sorted) -> list[tuple[Candidate, str]]:
    """Persons' second mentions, in text order. Puts every person's span into
    `doc.person_spans` and takes the candidates inside a second mention out of `parts` (a
    surname that is also a place or an actor: "Kerry", "Sharon")."""
    parts.actors = sorted(
        [*parts.actors, *initialled_names(doc, parts)], key=lambda pair: pair[0].start
    )
    named = full_mentions(doc, parts)
    spans = [(c.start, c.end) for c, _ in named]
    shorts = doc.actors.short_forms
    # short form -> [(start of the full mention, person id)], for the persons named in full
    wanted: dict[str, list[tuple[int, str]]] = {}
    for cand, person_id in named:
        for short in doc.actors.by_id[person_id].short:
            key = fold_name(short)
            if person_id in shorts.get(key, ()):
                wanted.setdefault(key, []).append((cand.start, person_id))
    longest = {len(k.split()) for k in wanted}
    taken: list[tuple[Candidate, str]] = []
    toks = doc.toks
    full_starts = sorted(s for s, _ in spans)
    # only tokens that can start a form are looked at closer: the first word of a wanted
    # form, or a word after a title (a pass over every token cost a quarter of extract)
    leads = {key.split()[0] for key in wanted}
    titles = TITLE_FORMS
    starts = sorted(
        {
            *(i for i, t in enumerate(toks) if leads and _quick_fold(t.text) in leads),
            *(i for i in range(1, len(toks)) if toks[i - 1].text in titles),
        }
    )
    after = 0  # the first token a new mention may start at
    for i in starts:
        if i < after:
            continue
        hit = None
        if leads and _quick_fold(toks[i].text) in leads:
            hit = _short_at(doc, toks, i, wanted, longest, spans, full_starts)
        if hit is None and i and toks[i - 1].text in titles:
            hit = _titled_at(doc, toks, i, spans)
        if hit is None:
            continue
        end_token, person_id = hit
        first, last = toks[i], toks[end_token]
        cand = Candidate(
            first.start, last.end, doc.text[first.start : last.end], "", i, False, {"actor"}
        )
        taken.append((cand, person_id))
        spans.append((first.start, last.end))
        after = end_token + 1
    doc.person_spans = sorted({*doc.person_spans, *spans})
    if taken:
        _drop_inside(parts, [c for c, _ in taken])
    return taken


def _quick_fold(word: str) -> str:
    """`fold_name` of one token, without its work for the plain ASCII words most are."""
    if word.isascii() and "'" not in word:
        return word.lower()
    return fold_name(word)


def add_second_mentions(matches: ActorMatches, found: list[tuple[Candidate, str]]) -> None:
    for cand, person_id in found:
        matches.add(person_id, cand)


def _short_at(
    doc: Document,
    toks: list[Token],
    i: int,
    wanted: dict[str, list[tuple[int, str]]],
    longest: set[int],
    spans: list[tuple[int, int]],
    full_starts: list[int],
) -> tuple[int, str] | None:
    """The second mention starting at token `i`, if any: its last token and the person."""
    token = toks[i]
    if not (token.capitalised or token.text in WORDS.particles):
        return None  # "von der Leyen", "bin Laden" start with a particle
    for n in sorted(longest, reverse=True):
        last = i + n - 1
        if last >= len(toks) or not _joined(doc.text, toks, i, last):
            continue
        key = " ".join(fold_name(t.text) for t in toks[i : last + 1])
        readings = wanted.get(key)
        if not readings:
            continue
        start, end = token.start, toks[last].end
        if any(s <= start and end <= e for s, e in spans):
            return None  # inside a full name
        if not _stands_alone(doc, toks, i, last):
            return None  # part of another name ("Lyndon Johnson", "Johnson County")
        # the person named in full most recently before it
        before = [(s, p) for s, p in readings if s < start]
        if not before:
            return None
        return last, max(before)[1]
    return None


def _titled_at(
    doc: Document, toks: list[Token], i: int, spans: list[tuple[int, int]]
) -> tuple[int, str] | None:
    """A second mention's form after a title, with or without a full mention before it:
    "President Erdogan" is the registry's one person written "Erdogan" whose offices include
    a president; "Mr. Sunak" the one person written "Sunak" at all."""
    if i == 0 or not _joined_or_dotted(doc.text, toks, i - 1, i):
        return None
    title = TITLE_ALIASES.get(toks[i - 1].text.lower(), toks[i - 1].text.lower())
    if title not in WORDS.titles or not toks[i].capitalised:
        return None
    shorts = doc.actors.short_forms
    for n in range(MAX_SHORT_WORDS, 0, -1):
        last = i + n - 1
        if last >= len(toks) or not _joined(doc.text, toks, i, last):
            continue
        ids = shorts.get(" ".join(fold_name(t.text) for t in toks[i : last + 1]))
        if not ids:
            continue
        start, end = toks[i].start, toks[last].end
        if any(s <= start and end <= e for s, e in spans) or not _stands_alone(doc, toks, i, last):
            return None
        person_id = _fitting_title(doc, ids, title)
        return (last, person_id) if person_id else None
    return None


def _fitting_title(doc: Document, ids: tuple[str, ...], title: str) -> str | None:
    """The one person among `ids` a title fits: any one for a courtesy title ("Mr."),
    otherwise the one whose offices name the title's word."""
    if title in COURTESY_TITLES:
        return ids[0] if len(ids) == 1 else None
    roles = {
        p: [r for r in doc.actors.by_id[p].roles if title in OFFICE_WORD_RE.split(r.office.lower())]
        for p in ids
    }
    fitting = [p for p in ids if roles[p]]
    if len(fitting) > 1:
        # the registry is of 2000-2026: "President Bush" is the one in office after 2000
        fitting = [p for p in fitting if any(r.end is None or r.end > 2000 for r in roles[p])]
    return fitting[0] if len(fitting) == 1 else None


def initialled_names(doc: Document, parts: Sorted) -> list[tuple[Candidate, str]]:
    """Registry persons written with a middle initial or a quoted nickname between their
    first and last names ("George W. Bush", 'Ismael "El Mayo" Zambada'), as full mentions."""
    text, aliases, by_id = doc.text, doc.actors.aliases, doc.actors.by_id
    taken = {c.start for c, _ in parts.actors}
    starts = [t.start for t in doc.toks]
    found = []
    for hint in MIDDLE_HINT_RE.finditer(text):
        # the first name ends right before the space of the initial or the nickname
        first_name = WORD_BEFORE_RE.search(text, max(0, hint.start() - 40), hint.start())
        match = first_name and INSERTED_NAME_RE.match(text, first_name.start())
        if not match:
            continue
        first, last, end = match["first"], match["last"], match.end()
        if last[-2:] in ("'s", "’s"):  # possessive: "George W. Bush's"
            last, end = last[:-2], end - 2
        if match.start() in taken:
            continue
        written = text[match.start() : end]
        # the registry may write the initial ("George W. Bush") or leave it out
        ids = aliases.get(fold_name(written)) or aliases.get(
            f"{fold_name(first)} {fold_name(last)}", ()
        )
        persons = [p for p in ids if by_id[p].kind == "person"]
        k = bisect.bisect_left(starts, match.start())
        if len(persons) == 1 and k < len(starts) and starts[k] == match.start():
            cand = Candidate(match.start(), end, written, "", k, False, {"actor"})
            found.append((cand, persons[0]))
    if found:
        _drop_inside(parts, [c for c, _ in found])
    return found


def _joined_or_dotted(text: str, toks: list[Token], first: int, last: int) -> bool:
    """Like `_joined`, and an abbreviated title's dot may stand between: "Mr. Sunak"."""
    return text[toks[first].end : toks[last].start] in (" ", "-", ". ")


def _joined(text: str, toks: list[Token], first: int, last: int) -> bool:
    """Whether tokens first..last are one written name (only spaces or hyphens between)."""
    return all(text[toks[j].end : toks[j + 1].start] in (" ", "-") for j in range(first, last))


def _stands_alone(doc: Document, toks: list[Token], first: int, last: int) -> bool:
    """No capitalised word joined to the form on either side, titles and particles aside
    ("President Assad", "al-Assad" stand alone; "Hafez Assad" does not), nor a sentence's
    first word the text also writes in lower case ("Later Assad")."""
    text = doc.text
    if first > 0 and _joined(text, toks, first - 1, first):
        word = toks[first - 1].text.lower().rstrip(".")
        if (
            word not in WORDS.titles
            and word not in WORDS.particles
            and not (
                doc.facts.initial[first - 1]
                and (word in WORDS.sentence_words or doc.facts.writes_lowercase(word))
            )
        ):
            return False
    if last + 1 < len(toks) and _joined(text, toks, last, last + 1):
        word = toks[last + 1].text
        if word[:1].isupper():
            return False
    return True


def _drop_inside(parts: Sorted, taken: list[Candidate]) -> None:
    starts = sorted((c.start, c.end) for c in taken)

    def inside(cand: Candidate) -> bool:
        k = bisect.bisect_right(starts, (cand.start, float("inf"))) - 1
        return k >= 0 and starts[k][0] <= cand.start and cand.end <= starts[k][1]

    parts.actors = [(c, a) for c, a in parts.actors if not inside(c)]
    parts.shared_names = [(c, a) for c, a in parts.shared_names if not inside(c)]
    parts.countries = [c for c in parts.countries if not inside(c)]
    parts.places = [c for c in parts.places if not inside(c)]
