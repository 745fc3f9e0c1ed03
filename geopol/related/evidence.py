"""What an article shares with the rest of the archive, gathered for every kind of reader at
once: a few queries, whatever the archive's size (candidates come from indexes on the tags and
from the search backend)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q

from geopol.articles.access import TIERS_BY_READER
from geopol.articles.models import Article, ArticleCountry, visible_q
from geopol.articles.rendering import plain_text_of_html
from geopol.extraction.models import ArticleEntity, Decision, EntityKind, Mention
from geopol.extraction.visibility import head_text, named_in, public_entity_ids
from geopol.related.models import READERS
from geopol.related.scoring import WEIGHTS, Evidence, Shared, idf
from geopol.related.words import distinctive_words
from geopol.search.backends import get_backend
from geopol.search.backends.base import SearchRequest
from geopol.search.query import ParsedQuery, Term

# a tag shared by more articles than this says too little to find candidates by (its IDF is
# low anyway); it still counts for candidates found otherwise
MAX_DF = 500
TEXT_HITS = 30  # "more like this" hits per reader
TEXT_WORDS = 8  # distinctive words OR'd in the "more like this" query
TAG_KINDS = (EntityKind.ACTOR, EntityKind.PLACE)
PRESELECT = 150  # candidates found through tags scored in full, per kind of reader


@dataclass
class Tag:
    """One tag (actor, place or primary country) of a candidate, with who may see it."""

    kind: str
    key: str
    name: str
    readers: frozenset[str]
    primary: bool = True  # countries: the primary one (a country merely mentioned counts half)


@dataclass
class _Candidate:
    pk: int
    access: str
    published: object
    tags: list[Tag] = field(default_factory=list)
    text: dict[str, float] = field(default_factory=dict)  # reader -> 0..1


SIZE_KEY = "related:archive-size"


def archive_size() -> int:
    """Published articles (the IDF's N), counted again after a change (forget_size) and at
    least once a minute (scheduled articles fall due by themselves)."""
    total = cache.get(SIZE_KEY)
    if total is None:
        total = Article.objects.published().count()
        cache.set(SIZE_KEY, total, 60)
    return max(int(total), 1)


def forget_size() -> None:
    cache.delete(SIZE_KEY)


def forget_frequencies(article_ids: list[int]) -> None:
    """The kept document frequencies of these articles' tags are out of date."""
    tags = ArticleEntity.objects.filter(article_id__in=article_ids, kind__in=TAG_KINDS)
    keys = [_df_key(kind, key) for kind, key in tags.values_list("kind", "key")]
    keys += [
        _df_key("country", code)
        for code in ArticleCountry.objects.filter(article_id__in=article_ids).values_list(
            "country_id", flat=True
        )
    ]
    cache.delete_many(keys)


def _readers_of(access: str) -> frozenset[str]:
    return frozenset(r for r in READERS if access in TIERS_BY_READER[r])


def _source_tags(article: Article) -> list[Tag]:
    """The article's own actor and place tags and primary countries, each with the readers who
    may see it (visibility.public_entity_ids: an entity found only in a restricted body is
    not seen by readers of lower tiers)."""
    full = _readers_of(article.access)
    public = public_entity_ids([article])
    tags = [
        Tag(kind, key, name, frozenset(READERS) if pk in public else full)
        for pk, kind, key, name in ArticleEntity.objects.kept()
        .filter(article=article, kind__in=TAG_KINDS)
        .values_list("pk", "kind", "key", "name")
    ]
    tags += [
        Tag("country", code, name, frozenset(READERS), primary)
        for code, name, primary in ArticleCountry.objects.filter(article=article).values_list(
            "country_id", "country__name", "primary"
        )
    ]
    return [t for t in tags if t.readers]


def _df_key(kind: str, key: str) -> str:
    # hashed: tag keys hold spaces and colons ("feature:niger river:13.50,2.10")
    return "related:df:" + hashlib.sha1(f"{kind}\0{key}".encode()).hexdigest()  # noqa: S324 - a cache key, not security


DF_SECONDS = 600  # how stale a tag's document frequency may be (its IDF barely moves)


def frequencies(tags: list[Tag]) -> dict[tuple[str, str], int]:
    """How many articles carry each of these tags (removed ones too: counted from the
    (kind, key) index alone), kept in the cache for DF_SECONDS."""
    keys = {_df_key(t.kind, t.key): (t.kind, t.key) for t in tags}
    cached = cache.get_many(list(keys))
    counts = {keys[k]: n for k, n in cached.items()}
    missing = [keys[k] for k in keys if k not in cached]
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, key in missing:
        by_kind[kind].add(key)
    entity_q = Q(pk__in=[])
    for kind in TAG_KINDS:
        if by_kind[kind]:
            entity_q |= Q(kind=kind, key__in=by_kind[kind])
    fresh: dict[tuple[str, str], int] = dict.fromkeys(missing, 0)
    if any(by_kind[kind] for kind in TAG_KINDS):
        for kind, key, n in (
            ArticleEntity.objects.filter(entity_q)
            .values("kind", "key")
            .annotate(n=Count("*"))
            .values_list("kind", "key", "n")
        ):
            fresh[(kind, key)] = n
    if by_kind["country"]:
        for code, n in (
            ArticleCountry.objects.filter(country_id__in=by_kind["country"])
            .values("country_id")
            .annotate(n=Count("*"))
            .values_list("country_id", "n")
        ):
            fresh[("country", code)] = n
    if fresh:
        cache.set_many({_df_key(*k): n for k, n in fresh.items()}, DF_SECONDS)
    return {**counts, **fresh}


def _tag_filter(tags: list[Tag], counts: dict[tuple[str, str], int], rare_only: bool) -> Q:
    by_kind: dict[str, set[str]] = defaultdict(set)
    for tag in tags:
        if tag.kind != "country" and (
            not rare_only or counts.get((tag.kind, tag.key), 0) <= MAX_DF
        ):
            by_kind[tag.kind].add(tag.key)
    entity_q = Q(pk__in=[])
    for kind, keys in by_kind.items():
        entity_q |= Q(kind=kind, key__in=keys)
    return entity_q


def _candidate_ids(
    article: Article, tags: list[Tag], counts: dict[tuple[str, str], int], total: int
) -> set[int]:
    """Articles sharing a rare enough actor, place or country with `article`: for each kind
    of reader, the PRESELECT best by what that reader surely sees of them (tags of articles
    they may read, tags an editor gave or confirmed), so that scoring the few in full stays
    cheap at any archive size and nothing hidden from the reader picks them."""
    rows = list(
        ArticleEntity.objects.kept()
        .filter(_tag_filter(tags, counts, rare_only=True), visible_q(prefix="article__"))
        .exclude(article_id=article.pk)
        .values_list("article_id", "kind", "key", "by_editor", "decision", "article__access")
    )
    rare_countries = [
        t.key for t in tags if t.kind == "country" and counts.get(("country", t.key), 0) <= MAX_DF
    ]
    if rare_countries:
        rows += [
            (pk, "country", code, True, "", access)
            for pk, code, access in ArticleCountry.objects.filter(
                visible_q(prefix="article__"), country_id__in=rare_countries
            )
            .exclude(article_id=article.pk)
            .values_list("article_id", "country_id", "article__access")
        ]
    ids: set[int] = set()
    for reader in READERS:
        weight = {
            (t.kind, t.key): idf(total, counts.get((t.kind, t.key), 1)) * WEIGHTS[t.kind]
            for t in tags
            if reader in t.readers
        }
        bound: dict[int, float] = defaultdict(float)
        tiers = TIERS_BY_READER[reader]
        for pk, kind, key, by_editor, decision, access in rows:
            if (kind, key) in weight and (
                access in tiers or by_editor or decision == Decision.CONFIRMED
            ):
                bound[pk] += weight[(kind, key)]
        ids.update(sorted(bound, key=lambda pk: -bound[pk])[:PRESELECT])
    return ids


def _text_hits(article: Article, reader: str) -> dict[int, float]:
    """BM25 "more like this": the article's distinctive words, in the text `reader` may read
    (the title and teaser when not the body), searched OR'd with `reader`'s tiers; scores
    relative to the best hit."""
    tiers = TIERS_BY_READER[reader]
    text = head_text(article)
    if article.access in tiers:
        text += "\n" + plain_text_of_html(article.body_html)
    words = distinctive_words(text, limit=TEXT_WORDS)
    if not words:
        return {}
    query = ParsedQuery(clauses=[[Term((w,)) for w in words]])
    request = SearchRequest(
        query=query, limit=TEXT_HITS + 1, tiers=frozenset(str(t) for t in tiers)
    )
    found = get_backend().search(request).hits
    hits = [h for h in found if h.id != article.pk]
    if not hits:
        return {}
    # relative to the article matching its own words (else to the best hit): a weak best hit
    # stays weak
    own = [h.score for h in found if h.id == article.pk]
    best = max(own + [h.score for h in hits]) or 1.0
    return {h.id: max(h.score, 0.0) / best for h in hits[:TEXT_HITS]}


def _candidates(
    article: Article, tags: list[Tag], counts: dict[tuple[str, str], int], ids: set[int]
) -> dict[int, _Candidate]:
    """The candidates' tags shared with `article`, each with the readers who may see it on the
    candidate: all of them if they may read its body, else only if an editor gave or
    confirmed it or its title or teaser names it (visibility's rule)."""
    rows = list(
        Article.objects.filter(pk__in=ids).values_list("pk", "access", "published_at", "title")
    )
    found = {pk: _Candidate(pk, access, published) for pk, access, published, _ in rows}
    entity_rows = list(
        ArticleEntity.objects.kept()
        .filter(_tag_filter(tags, counts, rare_only=False), article_id__in=ids)
        .values_list(
            "pk", "article_id", "kind", "key", "name", "written_as", "by_editor", "decision"
        )
    )
    restricted = {pk for pk, c in found.items() if _readers_of(c.access) != frozenset(READERS)}
    public = _public_rows([r for r in entity_rows if r[1] in restricted])
    for pk, article_id, kind, key, name, _, _, _ in entity_rows:
        readers = frozenset(READERS) if pk in public else _readers_of(found[article_id].access)
        found[article_id].tags.append(Tag(kind, key, name, readers))
    codes = [t.key for t in tags if t.kind == "country"]
    for article_id, code, name, primary in ArticleCountry.objects.filter(
        article_id__in=ids, country_id__in=codes
    ).values_list("article_id", "country_id", "country__name", "primary"):
        found[article_id].tags.append(Tag("country", code, name, frozenset(READERS), primary))
    return found


def _public_rows(rows: list[tuple]) -> set[int]:
    """Of these entity rows of restricted articles, the ones anyone may see (as
    visibility.public_entity_ids decides, for these rows only)."""
    ids = [r[0] for r in rows if not (r[6] or r[7] == Decision.CONFIRMED)]
    public = {r[0] for r in rows if r[6] or r[7] == Decision.CONFIRMED}
    if not ids:
        return public
    heads = {
        a.pk: head_text(a)
        for a in Article.objects.filter(pk__in={r[1] for r in rows}).only(
            "title", "summary", "teaser"
        )
    }
    spans: dict[int, set[str]] = defaultdict(set)
    for entity_id, text in Mention.objects.filter(entity_id__in=ids).values_list(
        "entity_id", "text"
    ):
        spans[entity_id].add(text)
    for pk, article_id, _, _, name, written_as, _, _ in rows:
        if pk in ids and named_in(heads[article_id], {name, written_as, *spans[pk]}):
            public.add(pk)
    return public


def gather(
    article: Article, readers: tuple[str, ...] = READERS, with_text: bool = True
) -> dict[str, dict[int, Evidence]]:
    """For each kind of reader, the evidence of every candidate, from what that reader may see
    of both articles only (`with_text`: with the "more like this" searches)."""
    tags = _source_tags(article)
    counts = frequencies(tags)
    total = archive_size()
    ids = _candidate_ids(article, tags, counts, total)
    text = {reader: _text_hits(article, reader) if with_text else {} for reader in READERS}
    ids.update(pk for hits in text.values() for pk in hits)
    ids.discard(article.pk)
    candidates = _candidates(article, tags, counts, ids)
    mine = {(t.kind, t.key): t for t in tags}
    out: dict[str, dict[int, Evidence]] = {}
    for reader in readers:
        out[reader] = {}
        for pk, candidate in candidates.items():
            evidence = _evidence(article, candidate, mine, counts, total, reader)
            evidence.text = text[reader].get(pk, 0.0)
            if not evidence.empty:
                out[reader][pk] = evidence
    return out


def _evidence(
    article: Article,
    candidate: _Candidate,
    mine: dict[tuple[str, str], Tag],
    counts: dict[tuple[str, str], int],
    total: int,
    reader: str,
) -> Evidence:
    evidence = Evidence(days=(candidate.published - article.published_at).total_seconds() / 86400)  # type: ignore[operator]
    lists = {"actor": evidence.actors, "place": evidence.places, "country": evidence.countries}
    for tag in candidate.tags:
        own = mine.get((tag.kind, tag.key))
        if own is None or reader not in tag.readers or reader not in own.readers:
            continue
        rarity = idf(total, counts.get((tag.kind, tag.key), 1))
        if not (own.primary and tag.primary):
            rarity /= 2
        lists[tag.kind].append(Shared(own.name, rarity))
    return evidence


def visible_ids(ids: Iterable[int]) -> set[int]:
    return set(Article.objects.published().filter(pk__in=list(ids)).values_list("pk", flat=True))
