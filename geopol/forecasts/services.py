"""Writes of the forecasts app: storing an article's key judgments (imports, the admin, the
editor's desk), resolving them, and following a country's forecasts.

The editor's desk calls `set_judgments` with what the editor entered (JudgmentData, the
importers' shape) and `resolve_judgment`; both keep a judgment's id, so links and
`geopol forecasts resolve ID` keep working across edits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from geopol.articles.importers import InputError
from geopol.articles.importers.judgments import OUTCOMES, JudgmentData
from geopol.articles.models import Article, ArticleCountry
from geopol.core import estimative
from geopol.extraction.models import Actor
from geopol.forecasts.models import ForecastFollow, Judgment, Outcome
from geopol.geo.models import Country


def _key(statement: str) -> str:
    return " ".join(statement.casefold().split())


def _actor_labels(names: Iterable[str]) -> dict[str, Actor]:
    """The registry actors named by these names (slug, name, alias or acronym), by key."""
    wanted = {_key(n) for n in names}
    found: dict[str, Actor] = {}
    if wanted:
        for actor in Actor.objects.only("slug", "name", "aliases", "acronyms"):
            for label in (actor.slug, actor.name, *actor.aliases, *actor.acronyms):
                if _key(str(label)) in wanted:
                    found.setdefault(_key(str(label)), actor)
    return found


def _actors(names: Iterable[str], labels: dict[str, Actor] | None = None) -> list[Actor]:
    """Registry actors named by slug, name, alias or acronym; unknown names are left out."""
    names = list(names)
    found = _actor_labels(names) if labels is None else labels
    result: list[Actor] = []
    for key in dict.fromkeys(_key(n) for n in names):
        if key in found and found[key] not in result:
            result.append(found[key])
    return result


def _fill(judgment: Judgment, data: JudgmentData, position: int) -> None:
    term = estimative.term(data.likelihood)
    if term is None:
        raise ValueError(f"{data.likelihood!r} is not an ICD 203 term")
    judgment.position = position
    judgment.statement = data.statement
    judgment.likelihood = term.key
    judgment.probability_given = data.probability is not None
    judgment.probability = term.midpoint if data.probability is None else data.probability
    judgment.confidence = data.confidence
    judgment.resolves_by = data.resolves_by
    judgment.criteria = data.criteria


def _countries(
    data: JudgmentData, default: list[str], number: int, known: set[str] | None = None
) -> list[str]:
    codes = list(dict.fromkeys(data.countries or default))
    if known is None:
        known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown and data.countries:
        raise InputError(
            f"judgments[{number}].countries: {', '.join(unknown)} not ISO 3166-1 alpha-2 "
            "(use codes such as ML, FR, US)"
        )
    return [c for c in codes if c in known]


@transaction.atomic
def set_judgments(
    article: Article,
    judgments: list[JudgmentData],
    default_countries: list[str] | None = None,
    editor: Any = None,
    notify: bool = True,
) -> list[Judgment]:
    """Make the article's key judgments these, in this order. A judgment whose statement is
    unchanged keeps its id and resolution; an open one no longer given is deleted; a resolved
    one is kept (the ledger does not forget a scored forecast). A resolution given in
    `judgments` is applied, emailing followers only when `notify`. Raises InputError for an
    unknown country code."""
    existing = {_key(j.statement): j for j in article.judgments.all()}
    kept: list[Judgment] = []
    # a judgment that names no country is about the article's primary country
    default = list(default_countries or [])[:1]
    if not default:
        default = list(article.country_links.values_list("country_id", flat=True)[:1])
    for number, data in enumerate(judgments, 1):
        judgment = existing.pop(_key(data.statement), None) or Judgment(article=article)
        _fill(judgment, data, number)
        judgment.save()
        judgment.countries.set(Country.objects.filter(code__in=_countries(data, default, number)))
        judgment.actors.set(_actors(data.actors))
        if data.resolution is not None and (
            data.resolution.outcome != judgment.outcome
            or data.resolution.note != judgment.resolution_note
        ):
            on = data.resolution.resolved_on
            resolve_judgment(
                judgment,
                data.resolution.outcome,
                note=data.resolution.note,
                link=data.resolution.link,
                editor=editor,
                resolved_at=dt.datetime.combine(on, dt.time(12), dt.UTC) if on else None,
                notify=notify,
            )
        kept.append(judgment)
    for position, left in enumerate(existing.values(), len(judgments) + 1):
        if left.is_open:
            left.delete()
        else:
            Judgment.objects.filter(pk=left.pk).update(position=position)
    return kept


def store_new_judgments(
    batch: list[tuple[Article, list[JudgmentData], list[str], int | None]],
) -> None:
    """`set_judgments` for articles that have none yet (what an import creates), in a few
    statements for the whole batch: one judgment row at a time was half the CPU time of
    importing the demo corpus with its judgments. Resolutions are recorded as given and
    email nobody, as for any import."""
    if not batch:
        return
    labels = _actor_labels(
        name for _, given, _, _ in batch for data in given for name in data.actors
    )
    primary: dict[int, str] = {}
    for article_id, code in (
        ArticleCountry.objects.filter(
            article_id__in=[
                article.pk for article, _, given_countries, _ in batch if not given_countries
            ]
        )
        .order_by("-position")
        .values_list("article_id", "country_id")
    ):
        primary[article_id] = code  # ordered last to first: the first position stays
    known = set(Country.objects.values_list("code", flat=True))
    rows, countries, actors = [], [], []
    for article, given, given_countries, line in batch:
        default = list(given_countries)[:1] or (
            [primary[article.pk]] if article.pk in primary else []
        )
        for number, data in enumerate(given, 1):
            judgment = Judgment(article=article)
            _fill(judgment, data, number)
            if data.resolution is not None:
                on = data.resolution.resolved_on
                judgment.outcome = data.resolution.outcome
                judgment.resolution_note = data.resolution.note.strip()
                judgment.resolution_link = data.resolution.link.strip()
                judgment.resolved_at = (
                    dt.datetime.combine(on, dt.time(12), dt.UTC) if on else timezone.now()
                )
            try:
                codes = _countries(data, default, number, known)
            except InputError as error:
                raise InputError(error.reason, line=line) from None
            rows.append(judgment)
            countries.append(codes)
            actors.append(_actors(data.actors, labels))
    Judgment.objects.bulk_create(rows)
    Judgment.countries.through.objects.bulk_create(
        Judgment.countries.through(judgment_id=j.pk, country_id=code)
        for j, codes in zip(rows, countries, strict=True)
        for code in codes
    )
    Judgment.actors.through.objects.bulk_create(
        Judgment.actors.through(judgment_id=j.pk, actor_id=actor.pk)
        for j, found in zip(rows, actors, strict=True)
        for actor in found
    )


def store_imported_judgments(
    article: Article,
    judgments: list[JudgmentData],
    default_countries: list[str],
    line: int | None = None,
) -> None:
    """What an import gave under `judgments`; an article imported without the key keeps the
    judgments editors entered."""
    if judgments or article.judgments.exists():
        try:
            # an import records outcomes (often long past): like an archive import for
            # follows, it emails nobody; editors resolving a forecast do
            set_judgments(article, judgments, default_countries, notify=False)
        except InputError as error:
            raise InputError(error.reason, line=line) from None


@transaction.atomic
def resolve_judgment(
    judgment: Judgment,
    outcome: str,
    note: str = "",
    link: str = "",
    editor: Any = None,
    resolved_at: dt.datetime | None = None,
    notify: bool = True,
) -> Judgment:
    """Record how a judgment turned out (true, false or annulled; or back to open). Followers
    of its countries get an email once the transaction commits (unless not `notify`)."""
    if outcome not in (*OUTCOMES, Outcome.OPEN):
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)} (or open), not {outcome!r}")
    changed = outcome != judgment.outcome
    judgment.outcome = outcome
    judgment.resolution_note = note.strip()
    judgment.resolution_link = link.strip()
    if outcome == Outcome.OPEN:
        judgment.resolved_at, judgment.resolved_by = None, None
    else:
        judgment.resolved_at = resolved_at or timezone.now()
        judgment.resolved_by = editor if getattr(editor, "pk", None) else None
    judgment.save()
    if notify and changed and outcome != Outcome.OPEN and _followed(judgment):
        # no task for a country nobody follows (an import of resolved judgments queued one each)
        from geopol.forecasts.tasks import send_resolution_emails

        pk = judgment.pk
        transaction.on_commit(lambda: send_resolution_emails.enqueue(pk))
    return judgment


def _followed(judgment: Judgment) -> bool:
    return ForecastFollow.objects.filter(country__in=judgment.countries.all()).exists()


def follow_forecasts(user: Any, country: Country) -> ForecastFollow:
    follow, _ = ForecastFollow.objects.get_or_create(user=user, country=country)
    return follow


def unfollow_forecasts(user: Any, country: Country) -> None:
    ForecastFollow.objects.filter(user=user, country=country).delete()
