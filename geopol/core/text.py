"""Plain-text helpers: word counts, reading time, slugs."""

from __future__ import annotations

import math
import unicodedata

from django.utils.text import slugify


def count_words(text: str) -> int:
    """Words as a word processor counts them: whitespace-separated tokens."""
    return len(text.split())


def reading_minutes(words: int, words_per_minute: int = 200) -> int:
    """Minutes to read `words` at `words_per_minute`, rounded up, never below 1.

    The rule behind every "N mins read" on the site: 530 words at 200 wpm -> 3.
    """
    return max(1, math.ceil(words / words_per_minute))


def reading_label(minutes: int) -> str:
    return "1 min read" if minutes == 1 else f"{minutes} mins read"


def fold(text: str) -> str:
    """Lower-case and strip diacritics: 'Sévaré' -> 'sevare'."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def make_slug(text: str, max_length: int = 80) -> str:
    slug = slugify(fold(text))[:max_length].strip("-")
    return slug or "untitled"
