"""Storylines: analyses threaded automatically by the actors and places they share within a
time window, curated by editors (rename, merge, split, pin).

An article joins a storyline when it is linked to one of its analyses: both share rare enough
actors and places (`tag_score` >= LINK_SCORE, countries and wording aside) and lie within
WINDOW_DAYS of each other. Links use only what every reader may see of both pieces (the
anonymous reader's evidence), so a storyline, its page and the "Same storyline" reason
reveal nothing of a members-only body. Linked to analyses in no storyline, it starts one with
them; linked to several storylines, it joins the one it has most links to (merging is the
editors' call). What an editor decided stays: a renamed storyline keeps its name, an article
taken out is not put back."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable

from django.db import router, transaction

from geopol.articles.models import Article, ArticleCountry
from geopol.core.text import make_slug
from geopol.related import evidence as gathering
from geopol.related.models import Storyline, StorylineArticle
from geopol.related.scoring import Evidence, joined


def _atomic(fn):  # type: ignore[no-untyped-def]
    """One transaction on the database StorylineArticle rows go to (a router may send them elsewhere
    than "default")."""

    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        with transaction.atomic(using=router.db_for_write(StorylineArticle)):
            return fn(*args, **kwargs)

    return functools.wraps(fn)(run)


WINDOW_DAYS = 120
LINK_SCORE = 7.0  # the IDF of the shared actors and places, places at 0.7


def tag_score(evidence: Evidence) -> float:
    return sum(s.idf for s in evidence.actors) + 0.7 * sum(s.idf for s in evidence.places)


def links_of(article: Article) -> dict[int, Evidence]:
    """The analyses `article` is linked to, with what they share."""
    found = gathering.gather(article, readers=("anonymous",), with_text=False)["anonymous"]
    return {
        pk: ev
        for pk, ev in found.items()
        if abs(ev.days) <= WINDOW_DAYS and tag_score(ev) >= LINK_SCORE
    }


def storyline_of(article_ids: Iterable[int]) -> dict[int, Storyline]:
    links = StorylineArticle.objects.filter(
        article_id__in=list(article_ids), removed=False
    ).select_related("storyline")
    return {link.article_id: link.storyline for link in links}


def _name(article: Article, links: dict[int, Evidence]) -> str:
    """A name until an editor gives a better one: the article's primary country, the year and
    the places most shared ("Mali 2013: Douentza and Gao"), else the actors."""
    places: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    for ev in links.values():
        places.update({s.name: s.idf for s in ev.places})
        actors.update({s.name: s.idf for s in ev.actors})
    names = [name for name, _ in (places or actors).most_common(2)]
    country = (
        ArticleCountry.objects.filter(article=article, primary=True)
        .values_list("country__name", flat=True)
        .first()
    )
    head = f"{country} {article.published_at.year}" if country else str(article.published_at.year)
    return f"{head}: {joined(names)}"


def _unique_slug(name: str) -> str:
    base = make_slug(name, 90)
    slug, n = base, 2
    while Storyline.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@_atomic
def assign(article: Article) -> Storyline | None:
    """Put `article` in its storyline (found, started or kept); None when it has none."""
    mine = StorylineArticle.objects.filter(article=article).first()
    if mine is not None and (mine.removed or mine.by_editor):
        return None if mine.removed else mine.storyline
    links = links_of(article) if article.is_visible else {}
    theirs = storyline_of(links)
    if theirs:
        votes = Counter(s.pk for s in theirs.values())
        storyline = next(s for s in theirs.values() if s.pk == votes.most_common(1)[0][0])
    elif links:
        name = _name(article, links)
        storyline = Storyline.objects.create(name=name, slug=_unique_slug(name))
        taken = set(
            StorylineArticle.objects.filter(article_id__in=links).values_list(
                "article_id", flat=True
            )
        )
        StorylineArticle.objects.bulk_create(
            StorylineArticle(storyline=storyline, article_id=pk) for pk in links if pk not in taken
        )
    else:
        storyline = None
    if storyline is None:
        if mine is not None:
            mine.delete()
        return None
    if mine is None:
        StorylineArticle.objects.create(storyline=storyline, article=article)
    elif mine.storyline_id != storyline.pk:
        mine.storyline = storyline
        mine.save(update_fields=["storyline"])
    return storyline


def assign_all(articles: Iterable[Article]) -> int:
    """`assign` each of `articles`, oldest first (how an archive grows); returns how many
    are in a storyline afterwards."""
    ordered = sorted(articles, key=lambda a: (a.published_at, a.pk))
    return sum(1 for article in ordered if assign(article) is not None)


@_atomic
def thread_by_editor(name: str, slug: str, articles: Iterable[Article]) -> Storyline:
    """An editor's storyline of `articles` (found by `slug`, else made): its name and its
    analyses are the editor's, so the machine keeps both. An article in another storyline
    moves here."""
    storyline, _ = Storyline.objects.update_or_create(
        slug=slug, defaults={"name": name, "named_by_editor": True}
    )
    for article in articles:
        link = StorylineArticle.objects.filter(article=article, removed=False).first()
        if link is None:
            link = StorylineArticle(article=article)
        link.storyline, link.by_editor = storyline, True
        link.save()
    return storyline


@_atomic
def merge(storylines: list[Storyline]) -> Storyline:
    """Merge into the first of `storylines` (an editor's action): its name stays."""
    into, rest = storylines[0], storylines[1:]
    for other in rest:
        StorylineArticle.objects.filter(storyline=other).update(storyline=into)
        other.delete()
    return into
