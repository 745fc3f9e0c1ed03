"""Load and check the labelled relatedness set (issue 11): queries and graded judgments.

    from bench.relatedset.load import load, corpus_paths, ndcg_at_k   # ROOT on sys.path

    related = load()                 # checks that every referenced article exists
    for query in related.queries:    # article keys (see `article_key`)
        grades = related.grades[query]           # {article key: 0..3}, query itself excluded
        ranked = [...]                           # keys your system lists for the query
        score = ndcg_at_k(ranked, grades, k=5)

The corpus is the demo corpus (geopol/articles/demo) plus the pieces in pieces/ here: import
both (`corpus_paths()`) before asking the system for related articles. An article's key is
its `source_url`, or "title:<title>" for the few demo files without one (the page dumps);
`article_key(source_url, title)` computes it from an imported Article.

Run `.venv/bin/python bench/relatedset/load.py` to validate the set and print its counts
(exit status 1 on any error).
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEMO = ROOT / "geopol" / "articles" / "demo"
PIECES = HERE / "pieces"
JUDGMENTS = HERE / "judgments.yaml"
PREFIXES = {
    "demo:": "https://demo.geopol.example/analysis/",
    "set:": "https://relatedset.geopol.example/",
}
GRADES = (0, 1, 2, 3)
PIECE_WORDS = (150, 300)


@dataclass(frozen=True)
class ArticleRef:
    key: str
    title: str
    published: datetime
    countries: tuple[str, ...]
    path: Path


@dataclass
class RelatedSet:
    queries: list[str]
    grades: dict[str, dict[str, int]]
    articles: dict[str, ArticleRef]
    storylines: dict[str, dict] = field(default_factory=dict)
    why: dict[tuple[str, str], str] = field(default_factory=dict)


def article_key(source_url: str | None, title: str) -> str:
    """The key judgments use for an article: its source URL, else its title."""
    return source_url or f"title:{title}"


def corpus_paths() -> list[Path]:
    """What to import: the demo corpus folder and this set's pieces folder."""
    return [DEMO, PIECES]


def expand(reference: str) -> str:
    for prefix, base in PREFIXES.items():
        if reference.startswith(prefix):
            return base + reference.removeprefix(prefix)
    if reference.startswith("title:"):
        return reference
    raise ValueError(f"{JUDGMENTS.name}: unknown reference {reference!r} (use demo:, set:, title:)")


def read_corpus() -> dict[str, ArticleRef]:
    """Every article of the demo corpus and of pieces/, by key (the importers read them)."""
    sys.path.insert(0, str(ROOT))
    from geopol.articles.importers import read_file

    articles: dict[str, ArticleRef] = {}
    for folder in corpus_paths():
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name == "README.md" or path.name.startswith("."):
                continue
            for data in read_file(path, 10_000_000):
                key = article_key(data.source_url, data.title)
                if key in articles:
                    raise ValueError(f"{path}: key {key!r} already used by {articles[key].path}")
                articles[key] = ArticleRef(
                    key, data.title, data.published, tuple(data.countries), path
                )
    return articles


def members(reference: str, storylines: dict[str, dict]) -> list[str]:
    if reference.startswith("story:"):
        name = reference.removeprefix("story:")
        if name not in storylines:
            raise ValueError(f"{JUDGMENTS.name}: unknown storyline {name!r}")
        return [expand(m) for m in storylines[name]["members"]]
    return [expand(reference)]


def pair_grades(raw: dict) -> tuple[dict[frozenset, int], dict[tuple[str, str], str], list[str]]:
    """Symmetric grades from storylines (3) and links; the highest grade of a pair wins."""
    storylines = raw.get("storylines") or {}
    grades: dict[frozenset, int] = {}
    why: dict[tuple[str, str], str] = {}
    conflicts = []

    def put(a: str, b: str, grade: int, reason: str) -> None:
        if a == b:
            return
        pair = frozenset((a, b))
        old = grades.get(pair)
        if old is not None and (old == 0) != (grade == 0):
            conflicts.append(f"{a} / {b}: graded both {old} and {grade}")
        if old is None or grade > old:
            grades[pair] = grade
            why[(a, b)] = why[(b, a)] = reason

    for name, story in storylines.items():
        keys = members(f"story:{name}", storylines)
        for a in keys:
            for b in keys:
                put(a, b, 3, f"Same storyline: {story['name']}")
    for link in raw.get("links") or []:
        grade = link.get("grade")
        if grade not in GRADES:
            raise ValueError(f"{JUDGMENTS.name}: link {link} has grade {grade!r} (want 0-3)")
        for a in members(link["a"], storylines):
            for b in members(link["b"], storylines):
                put(a, b, grade, link.get("why", ""))
    return grades, why, conflicts


def load(check: bool = True) -> RelatedSet:
    """The queries, their grades by article key and the articles; raises on a bad reference."""
    raw = yaml.safe_load(JUDGMENTS.read_text(encoding="utf-8"))
    pairs, why, conflicts = pair_grades(raw)
    queries = [expand(q) for q in raw.get("queries") or []]
    grades: dict[str, dict[str, int]] = {q: {} for q in queries}
    for pair, grade in pairs.items():
        a, b = sorted(pair)
        for query, other in ((a, b), (b, a)):
            if query in grades:
                grades[query][other] = grade
    related = RelatedSet(queries, grades, {}, raw.get("storylines") or {}, why)
    if check:
        related.articles = read_corpus()
        problems = conflicts + problems_in(related, pairs)
        if problems:
            raise ValueError("relatedness set: " + "; ".join(problems))
    return related


def problems_in(related: RelatedSet, pairs: dict[frozenset, int]) -> list[str]:
    problems = []
    referenced = {key for pair in pairs for key in pair} | set(related.queries)
    for key in sorted(referenced - set(related.articles)):
        problems.append(f"{key} is referenced but no article in the corpus has that key")
    if len(set(related.queries)) != len(related.queries):
        problems.append("a query is listed twice")
    for query, grades in related.grades.items():
        if not any(g > 0 for g in grades.values()):
            problems.append(f"query {query} has no related article")
        if 0 not in grades.values():
            problems.append(f"query {query} has no explicit 0-graded distractor")
    return problems


def piece_problems() -> list[str]:
    """The new pieces: front matter with a matching source_url, 150-300 words."""
    problems = []
    for path in sorted(PIECES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))
        if meta.get("source_url") != PREFIXES["set:"] + path.stem:
            problems.append(f"{path.name}: source_url should be {PREFIXES['set:']}{path.stem}")
        body = text.split("\n---\n", 1)[1]
        words = len(re.findall(r"\b[\w'’-]+\b", body))
        if not PIECE_WORDS[0] <= words <= PIECE_WORDS[1]:
            problems.append(f"{path.name}: body has {words} words (want 150-300)")
        if not meta.get("countries"):
            problems.append(f"{path.name}: no countries in the front matter")
    return problems


def ndcg_at_k(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    """nDCG@k with gains 2^grade - 1; unjudged articles count as grade 0."""
    gains = [2 ** grades.get(key, 0) - 1 for key in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def summary(related: RelatedSet) -> dict:
    from_pieces = sum(1 for q in related.queries if q.startswith(PREFIXES["set:"]))
    by_grade: Counter = Counter()
    distractors_sharing_country = 0
    for query, grades in related.grades.items():
        by_grade.update(grades.values())
        mine = set(related.articles[query].countries) if related.articles else set()
        for key, grade in grades.items():
            theirs = set(related.articles[key].countries) if related.articles else set()
            if grade == 0 and mine & theirs:
                distractors_sharing_country += 1
    return {
        "queries": len(related.queries),
        "queries_from_demo": len(related.queries) - from_pieces,
        "queries_from_pieces": from_pieces,
        "pieces": len(list(PIECES.glob("*.md"))),
        "storylines": len(related.storylines),
        "judgments_by_grade": {g: by_grade[g] for g in GRADES},
        "zero_graded_sharing_a_tagged_country": distractors_sharing_country,
    }


def main() -> int:
    import json

    problems = piece_problems()
    try:
        related = load()
    except ValueError as error:
        problems.append(str(error))
        related = None
    if related is not None:
        print(json.dumps(summary(related), indent=1))
    for problem in problems:
        print("ERROR:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
