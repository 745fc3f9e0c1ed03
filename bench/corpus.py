"""Large, realistic search corpora as geopol search Documents, deterministic from a seed.

Text: bodies are runs of consecutive sentences from the UN General Debate speeches
(../shared/data/ungdc, real world-affairs prose nobody here wrote; most runs from speeches of
the document's own country) and from the demo corpus; body lengths are demo body lengths
spread by a log-normal factor, since a real archive mixes short situation reports and long
analyses. Titles read like the demo's ("Country: Words and Words"), from demo title words and
the speeches' vocabulary; teasers are one or two sentences.

Metadata spread like a real archive: a few countries dominate and the rest form a long tail
(Zipf over a fixed ranking), one to five countries per document, more documents every year
from 1995 to 2026 (about 9% growth a year), skewed types and topics, and a share of
registered and members-only documents.

Documents are generated one at a time (`documents(n, seed)`), so a million of them stream
without being held in memory; only the sentence pool (~240,000 sentences) is.

    .venv/bin/python bench/corpus.py --docs 5 --seed 1      # print a few as JSON
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import math
import os
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geopol.search.backends.base import Document  # noqa: E402

SPEECHES = "data/ungdc/speeches-2010-2024.jsonl"
DEMO = ROOT / "geopol" / "articles" / "demo"
FIRST_YEAR, NOW = 1995, dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
YEARLY_GROWTH = 0.09
# Countries an archive of geopolitical analysis writes about most, in order; the rest of the
# UN members follow in a seeded order as the long tail.
HEAD_COUNTRIES = (
    "US CN RU UA IR IL SY IQ TR SA KP IN PK AF FR DE GB JP TW VE EG ML LY YE ET SD NG MX BR KR"
).split()
ZIPF_EXPONENT = 1.1
TYPES = {
    "analysis": 50,
    "situation-report": 22,
    "assessment": 12,
    "forecast": 8,
    "column": 8,
}
TOPICS = (
    "security politics diplomacy economy conflict energy trade terrorism elections sanctions "
    "nuclear maritime migration governance climate technology health cyber food-security "
    "human-rights"
).split()
TIERS = {"public": 45, "registered": 15, "members": 40}
COUNTRIES_PER_DOC = {1: 50, 2: 30, 3: 14, 4: 4, 5: 2}
BODY_SPREAD = 0.45  # sigma of the log-normal factor on demo body lengths
OWN_COUNTRY_SHARE = 0.6  # runs of a body taken from speeches of its primary country
DEMO_SHARE = 0.03  # runs taken from the demo corpus
TITLE_LINKS = ("and", "and the", "after", "in", "over", "of", "for", "beyond", "against", "as")
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves us mr ms may must shall upon within without among one two also""".split()
)

SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
PAGE_NOISE_RE = re.compile(r"\b\d{2}-\d{5}\b|\(spoke in [^)]*\)")
SPACE_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def shared(relative: str) -> Path | None:
    """A file under the shared data folder beside the checkout, if it is there."""
    for base in (os.environ.get("GEOPOL_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if base and (Path(base) / relative).exists():
            return Path(base) / relative
    return None


class CorpusUnavailable(RuntimeError):
    pass


def _sentences(text: str) -> list[str]:
    text = SPACE_RE.sub(" ", PAGE_NOISE_RE.sub(" ", text)).strip()
    out = []
    for sentence in SENTENCE_END_RE.split(text):
        n = sentence.count(" ") + 1
        if 5 <= n <= 70 and sentence[0].isupper():
            out.append(sentence)
    return out


def _weighted(rng: random.Random, weights: dict) -> list:
    """A pool of 1,000 draws to pick from uniformly: fast and deterministic."""
    keys, values = list(weights), list(weights.values())
    return rng.choices(keys, weights=values, k=1000)


@dataclass
class Country:
    code: str
    alpha3: str
    name: str
    region: str


class Sources:
    """The sentence pool, titles' words and country facts, loaded once."""

    def __init__(self, speeches: Path | None = None) -> None:
        path = speeches or shared(SPEECHES)
        if path is None:
            raise CorpusUnavailable(
                f"the UN General Debate speeches are not at ../shared/{SPEECHES}; "
                "set GEOPOL_SHARED_DIR to the folder that holds data/ungdc"
            )
        from geopol.articles.importers import read_file
        from geopol.geo.loaders import iso_countries

        by_alpha3 = {row["alpha3"]: row for row in iso_countries()}
        self.sentences: list[str] = []
        self.lengths: list[int] = []
        self.by_country: dict[str, list[tuple[int, int]]] = {}  # ISO2 -> sentence ranges
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                speech = json.loads(line)
                row = by_alpha3.get(speech["country_iso3"])
                start = len(self.sentences)
                self._add(_sentences(speech["text"]))
                if row and len(self.sentences) > start:
                    ranges = self.by_country.setdefault(row["code"], [])
                    ranges.append((start, len(self.sentences)))
        self.speech_sentences = len(self.sentences)
        demo = [
            a
            for p in sorted(DEMO.rglob("*"))
            if p.is_file() and p.name != "README.md"
            for a in read_file(p, 10_000_000)
        ]
        self.demo_start = len(self.sentences)
        for article in demo:
            self._add(_sentences(re.sub(r"^#+ .*$", "", article.body, flags=re.M)))
        self.body_lengths = sorted(len(a.body.split()) for a in demo)
        self.demo_titles = [a.title for a in demo]
        self.countries = {
            code: Country(code, by_alpha3[a3]["alpha3"], by_alpha3[a3]["name"], row_region)
            for a3 in by_alpha3
            for code, row_region in [(by_alpha3[a3]["code"], by_alpha3[a3]["region"])]
            if by_alpha3[a3]["code"] in self.by_country or by_alpha3[a3]["code"] in HEAD_COUNTRIES
        }

    def _add(self, sentences: list[str]) -> None:
        self.sentences.extend(sentences)
        self.lengths.extend(s.count(" ") + 1 for s in sentences)

    @cached_property
    def word_counts(self) -> Counter[str]:
        """Lower-case word frequencies over the pool (documents are drawn from it, so a word's
        document frequency follows its count)."""
        counts: Counter[str] = Counter()
        for sentence in self.sentences:
            counts.update(w.lower() for w in WORD_RE.findall(sentence))
        return counts

    @cached_property
    def content_words(self) -> list[str]:
        """Words worth searching for, most frequent first (no stop words, 4+ letters)."""
        return [
            w
            for w, _ in self.word_counts.most_common()
            if len(w) >= 4 and w not in STOP_WORDS and w.isalpha() and w.isascii()
        ]

    @cached_property
    def title_words(self) -> list[str]:
        demo = [
            w
            for t in self.demo_titles
            for w in WORD_RE.findall(t)
            if len(w) >= 4 and w.lower() not in STOP_WORDS
        ]
        return demo + [w.capitalize() for w in self.content_words[60:6000]]


class CorpusGenerator:
    def __init__(self, seed: int = 1, sources: Sources | None = None) -> None:
        self.seed = seed
        self.sources = sources or Sources()
        rng = random.Random(seed)
        tail = sorted(set(self.sources.countries) - set(HEAD_COUNTRIES))
        rng.shuffle(tail)
        ranking = [c for c in HEAD_COUNTRIES if c in self.sources.countries] + tail
        self.country_ranking = ranking
        self.country_weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(ranking))]
        self._country_cum = list(itertools.accumulate(self.country_weights))
        years = range(FIRST_YEAR, NOW.year + 1)
        year_weights = {y: math.exp(YEARLY_GROWTH * (y - FIRST_YEAR)) for y in years}
        year_weights[NOW.year] *= (NOW.timetuple().tm_yday - 1) / 365  # the year so far
        self._year_cum = list(itertools.accumulate(year_weights.values()))
        self._years = list(years)
        self._types = _weighted(rng, TYPES)
        self._tiers = _weighted(rng, TIERS)
        self._countries_per_doc = _weighted(rng, COUNTRIES_PER_DOC)
        topic_weights = {t: 1 / (i + 1) for i, t in enumerate(TOPICS)}
        self._topics = _weighted(rng, topic_weights)

    def country(self, rng: random.Random) -> str:
        x = rng.random() * self._country_cum[-1]
        return self.country_ranking[bisect.bisect_left(self._country_cum, x)]

    def published(self, rng: random.Random) -> dt.datetime:
        year = self._years[bisect.bisect_left(self._year_cum, rng.random() * self._year_cum[-1])]
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
        end = min(NOW, dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC))
        seconds = rng.randrange(int((end - start).total_seconds()))
        return start + dt.timedelta(seconds=seconds)

    def _run(self, rng: random.Random, country: str) -> tuple[int, int]:
        """A run of 2-8 consecutive sentences: from a speech of `country`, any speech or the
        demo corpus."""
        s = self.sources
        x = rng.random()
        if x < DEMO_SHARE:
            lo, hi = s.demo_start, len(s.sentences)
        elif x < DEMO_SHARE + OWN_COUNTRY_SHARE and country in s.by_country:
            lo, hi = rng.choice(s.by_country[country])
        else:
            lo, hi = 0, s.speech_sentences
        start = rng.randrange(lo, hi)
        return start, min(hi, start + rng.randint(2, 8))

    def body(self, rng: random.Random, country: str) -> str:
        s = self.sources
        target = rng.choice(s.body_lengths) * rng.lognormvariate(0.0, BODY_SPREAD)
        target = min(3000, max(80, target))
        paragraphs, words = [], 0
        while words < target:
            start, end = self._run(rng, country)
            paragraphs.append(" ".join(s.sentences[start:end]))
            words += sum(s.lengths[start:end])
        return "\n\n".join(paragraphs)

    def _title_words(self, rng: random.Random) -> str:
        """One to three words: a demo title word or a span of a speech sentence."""
        if rng.random() < 0.15:
            return rng.choice(self.sources.title_words)
        s = self.sources
        words = WORD_RE.findall(s.sentences[rng.randrange(s.speech_sentences)])
        n = rng.randint(1, 3)
        start = rng.randrange(max(1, len(words) - n))
        span = [w for w in words[start : start + n] if w.lower() not in STOP_WORDS]
        return " ".join(w.capitalize() for w in span) or rng.choice(s.title_words)

    def title(self, rng: random.Random, country: Country) -> str:
        first, second = self._title_words(rng), self._title_words(rng)
        link = rng.choice(TITLE_LINKS)
        if rng.random() < 0.7:
            return f"{country.name}: {first} {link} {second}"
        return f"{first} in {country.name}: {second}"

    def document(self, doc_id: int) -> Document:
        """Document `doc_id`, the same for a given seed whatever else was generated."""
        rng = random.Random(self.seed * 1_000_003 + doc_id)
        codes: list[str] = []
        for _ in range(rng.choice(self._countries_per_doc)):
            code = self.country(rng)
            if code not in codes:
                codes.append(code)
        primary = self.sources.countries[codes[0]]
        published = self.published(rng)
        s = self.sources
        teaser_start = rng.randrange(s.speech_sentences - 2)
        teaser = " ".join(s.sentences[teaser_start : teaser_start + rng.randint(1, 2)])
        title = self.title(rng, primary)
        topics = list(dict.fromkeys(rng.choice(self._topics) for _ in range(rng.randint(1, 3))))
        slug = "-".join(w.lower() for w in WORD_RE.findall(title)[:8])
        return Document(
            id=doc_id,
            title=title,
            teaser=teaser,
            body=self.body(rng, primary.code),
            published=published,
            tier=rng.choice(self._tiers),
            facets={
                "country": codes,
                "region": [primary.region],
                "type": [rng.choice(self._types)],
                "topic": topics,
                "year": [str(published.year)],
            },
            url=f"/analysis/{doc_id}-{slug}",
        )

    def documents(self, n: int, start: int = 1) -> Iterator[Document]:
        for doc_id in range(start, start + n):
            yield self.document(doc_id)


def batches(documents: Iterator[Document], size: int) -> Iterator[list[Document]]:
    while batch := list(itertools.islice(documents, size)):
        yield batch


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    try:
        generator = CorpusGenerator(args.seed)
    except CorpusUnavailable as error:
        sys.exit(f"corpus: {error}")
    for doc in generator.documents(args.docs):
        row = {**doc.__dict__, "published": doc.published.isoformat(), "facets": doc.facets}
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
