"""What both backends' plans share: the date-ordered document key, the recency boost, how
many older title matches are ranked, and how matches are marked in highlighted text."""

from __future__ import annotations

import datetime as dt
import html
import math

# Documents published in the same second are told apart by 10 bits hashed from the id, which
# also give facet estimates an even sample of any match set.
KEY_SHIFT = 1024
# A gentle recency boost: a document published today scores up to 25% above an old one.
RECENCY_BOOST, RECENCY_SECONDS = 0.25, 2 * 365 * 86400.0
# Titles holding a query of two or more words as a phrase, ranked even when older than the
# ranked window: the newest TITLE_WINDOW of them (each costs a lookup of its own).
TITLE_WINDOW = 20
MIN_SPELL_WORD = 4  # shorter words are not offered by "did you mean"
# Private-use characters mark matches, so escaping the text never touches our markers.
OPEN, CLOSE = "\ue000", "\ue001"


def marked_html(text: str) -> str:
    return html.escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


def document_key(doc_id: int, published: dt.datetime) -> int:
    spread = ((doc_id * 2654435761) & 0xFFFFFFFF) >> 22  # Knuth's multiplicative hash
    return int(published.timestamp()) * KEY_SHIFT + spread


def key_bound(moment: dt.datetime) -> int:
    """The smallest key of anything published at or after `moment`."""
    return math.ceil(moment.timestamp()) * KEY_SHIFT
