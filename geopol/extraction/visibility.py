"""Which of an article's tags a reader who may not read its body is shown (the paywall's
public metadata; docs/members.md). Countries, and so regions, say what a piece is about and
are shown to everyone, the machine's included. A place or an actor is shown only when an
editor gave or confirmed it, or when the title or teaser, which everyone reads, names it:
one found only in the body stays with the body."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from geopol.core.text import fold
from geopol.extraction.models import ArticleEntity, Decision, Mention


def _folded_words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold(text))) + " "


def named_in(head: str, names: Iterable[str]) -> bool:
    """True when any of `names` appears in `head` as whole words (case and accents aside)."""
    words = _folded_words(head)
    for name in names:
        folded = _folded_words(name)
        if folded.strip() and folded in words:
            return True
    return False


def head_text(article: Any) -> str:
    """What every reader is shown of an article's words: its title and teaser."""
    return f"{article.title}\n{article.summary or article.teaser}"


def public_entity_ids(articles: Sequence[Any]) -> set[int]:
    """The ids of the kept place and actor tags of `articles` that anyone may see: given or
    confirmed by an editor, or named in the title or teaser (as written in the text, or by
    their name). Two queries for any number of articles."""
    heads = {a.pk: head_text(a) for a in articles}
    entities = list(
        ArticleEntity.objects.kept()
        .filter(article_id__in=list(heads))
        .exclude(kind="country")
        .values_list("pk", "article_id", "name", "written_as", "by_editor", "decision")
    )
    spans: dict[int, set[str]] = defaultdict(set)
    for entity_id, text in Mention.objects.filter(
        entity_id__in=[e[0] for e in entities]
    ).values_list("entity_id", "text"):
        spans[entity_id].add(text)
    public = set()
    for pk, article_id, name, written_as, by_editor, decision in entities:
        editors = by_editor or decision == Decision.CONFIRMED
        if editors or named_in(heads[article_id], {name, written_as, *spans[pk]}):
            public.add(pk)
    return public
