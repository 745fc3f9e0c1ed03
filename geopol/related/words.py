"""The distinctive words of an article's text, for a "more like this" search: pure."""

from __future__ import annotations

import re
from collections import Counter

from geopol.core.text import fold

WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
# words too common in analyses to say what one is about
STOPWORDS = frozenset(
    """
    about above after again against along also although among another around away back
    because been before being below between both came cannot could days does doing down
    during each even every first from further have having here hers himself into itself
    just last later least less like made make many more most much must near never next
    once only other others ours over same says said shall should since some still such
    than that their theirs them themselves then there these they this those though three
    through thus under until upon very want week weeks were what when where whether which
    while whom whose will with within without would year years your
    according already analysis country countries government groups including major months
    officials percent president reported several state states told toward towards whose
    likely probably possible today forces support political military security people
    region regional national international however
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def distinctive_words(text: str, limit: int = 12) -> list[str]:
    """The words that best say what `text` is about: frequent in it, not common words, names
    (capitalised) counted double; as written, most telling first."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for match in WORD.finditer(text):
        word = match.group()
        folded = fold(word)
        if folded in STOPWORDS:
            continue
        counts[folded] += 2 if word[0].isupper() else 1
        shown.setdefault(folded, word if word[0].isupper() else folded)
    ranked = sorted(counts, key=lambda w: (-counts[w] * min(len(w), 10), w))
    return [shown[w] for w in ranked[:limit]]
