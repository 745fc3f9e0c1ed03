"""The paywall holds on every surface: a crawl of every URL the site exposes.

URLs come from three places: the URLconf (every route, its parameters filled with the slugs,
codes and ids of the articles below), the sitemap, and the API's OpenAPI schema (path and
query parameters, search queries made of the hidden words themselves). Same-site links found
in the pages are followed too. Each URL is fetched as an anonymous reader and as a free
(registered) member; the crawl fails if any run of six words of a members-only body beyond
its teaser appears in any response, HTML, JSON, XML feed, sitemap or SVG alike. Bodies of
registered-only articles are checked for the anonymous reader, drafts for both.

Surfaces this crawl cannot reach are listed in docs/members.md.
"""

from __future__ import annotations

import html
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from geopol.articles.models import Article, Figure, Topic
from geopol.articles.services import record_revision, render_article
from geopol.articles.tests.factories import ArticleFactory, AuthorFactory
from geopol.extraction.models import ArticleEntity, EntityKind
from geopol.forecasts.models import Judgment
from geopol.geo.models import Country
from geopol.members.tests.factories import MembershipFactory, SeatFactory, UserFactory

pytestmark = pytest.mark.django_db

SHINGLE = 6  # words in a row that make a leak
# per reader and phase (the desk added ~15 routes per article, the admin API keys a few);
# the crawl asserts it did not stop early
MAX_FETCHES = 2800

# Original text in the seed's style. Every sentence carries invented names, so six words in a
# row cannot turn up anywhere by chance.
TEASER = "Fighting spread south in central Mali as the Quorvane column advanced."
MEMBERS_BODY = """Fighting spread south in central Mali as the Quorvane column advanced.

Commanders of Ansar Dine told the Veltrassi council on Monday that Konna would fall within days.

The garrison at Sevare expects the Quorvane column to reach Mopti before the Brellmoor convoy
arrives from Bamako.

{{figure front}}

France will probably commit Zantherine aircraft once the Ozzaric airstrip near Sevare is
threatened, and Germany could send trainers later.

The estimate is that Ghevlin mediators from Niger will fail to hold the Pellucar truce."""
FIGURE_CAPTION = "Quorvane advance toward the Ozzaric airstrip"
FIGURE_LAYER_NAME = "Brellmoor convoy route south of Timbuktu"
REGISTERED_BODY = """Registered readers follow the Tassavel talks closely.

Diplomats in Nouakchott said the Tassavel envoy carried a Marrowind proposal to Bamako.

The Marrowind proposal will likely stall until the Karnossa elections in Mauritania."""
DRAFT_BODY = """A draft about the Yelborne plan.

Editors have not yet approved the Yelborne plan for Timbuktu and its Dravessi annex."""
PUBLIC_BODY = """Public readers get the whole of this piece about Mali.

The Brindlewood survey counted markets reopening in Bamako and Segou."""
SWITCHED_BODY = """A public analysis that editors later moved behind the paywall.

Officials in Gao described the Fennimore corridor as the key to the Lantrevi supply line.

The Fennimore corridor will almost certainly close if the Lantrevi depots in Kidal fall."""


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingles(text: str) -> set[str]:
    tokens = words(text)
    return {" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def hidden_shingles(article: Article, *extra: str) -> set[str]:
    """Runs of words of the body (and its figures) that are not in the title or teaser."""
    allowed = shingles(article.title) | shingles(article.summary)
    body = article.body.replace("{{figure front}}", "")
    return (shingles(body) | set().union(*map(shingles, extra))) - allowed


TAG = re.compile(r"<[^>]+>")


def response_text(response) -> str:
    """Everything a reader's software could show: JSON strings, or markup with its tags
    dropped and entities decoded (twice, for HTML escaped inside feed XML)."""
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return "\n".join(_strings(json.loads(body)))
        except ValueError:
            return body
    text = html.unescape(html.unescape(body))
    return TAG.sub(" ", text)


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        # a string may itself be HTML (body_html, snippets)
        yield TAG.sub(" ", html.unescape(value))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@dataclass
class Site:
    """The demo data: what to fill URL parameters with, and what must stay hidden."""

    members: Article
    registered: Article
    draft: Article
    public: Article
    switched: Article
    slugs: dict[str, list[str]] = field(default_factory=dict)
    hidden_words: list[str] = field(default_factory=list)


@pytest.fixture
def site(settings, django_capture_on_commit_callbacks) -> Site:
    settings.GEOPOL_METERED_ARTICLES = 0
    # as if committed: article pages are then cached and shared, as in production
    with django_capture_on_commit_callbacks(execute=True):
        return make_site()


def make_site() -> Site:
    analyst = AuthorFactory(name="Imane Draveur", slug="imane-draveur")
    topic = Topic.objects.create(name="Sahel security", slug="sahel-security")

    def make(title, body, access, teaser="", **kw) -> Article:
        article = ArticleFactory(
            title=title, body=body, access=access, teaser=teaser, countries=["ML"], **kw
        )
        article.authors.add(analyst)
        article.topics.add(topic)
        return article

    members = make("Mali: The Quorvane Push South", MEMBERS_BODY, "members", teaser=TEASER)
    Figure.objects.create(
        article=members,
        key="front",
        kind="map",
        caption=FIGURE_CAPTION,
        layers={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": FIGURE_LAYER_NAME},
                    "geometry": {"type": "LineString", "coordinates": [[-3.0, 16.7], [-4.2, 14.5]]},
                }
            ],
        },
    )
    render_article(members)
    members.refresh_from_db()
    registered = make("Mauritania: The Tassavel Talks", REGISTERED_BODY, "registered")
    draft = make("Mali: The Yelborne Plan", DRAFT_BODY, "members", status="draft")
    public = make("Mali: Markets Reopen", PUBLIC_BODY, "public")
    switched = make("Mali: The Fennimore Corridor", SWITCHED_BODY, "public")
    org_seat = SeatFactory(is_admin=True)

    # key judgments whose statement and resolution note are sentences of the hidden bodies
    judgments = [
        Judgment.objects.create(
            article=article,
            statement=statement,
            likelihood="likely",
            probability=0.7,
            criteria=criteria,
            outcome=outcome,
            resolution_note=note,
        )
        for article, statement, criteria, outcome, note in (
            (
                members,
                "France will probably commit Zantherine aircraft once the Ozzaric airstrip "
                "near Sevare is threatened",
                "The garrison at Sevare expects the Quorvane column to reach Mopti",
                "open",
                "",
            ),
            (
                members,
                "Konna will fall within days",
                "",
                "false",
                "The estimate is that Ghevlin mediators from Niger will fail to hold the "
                "Pellucar truce.",
            ),
            (draft, "Editors have not yet approved the Yelborne plan", "", "open", ""),
        )
    ]
    for judgment in judgments:
        judgment.countries.add("ML")

    articles = [members, registered, draft, public, switched]
    countries = list(Country.objects.filter(articles__in=articles).distinct())
    actors = sorted(
        set(
            ArticleEntity.objects.filter(kind=EntityKind.ACTOR, article__in=articles).values_list(
                "key", flat=True
            )
        )
    )
    assert "ansar-dine" in actors, "the geoparser should tag the actor in the members body"
    slugs = {
        "article": [a.slug for a in articles],
        "region": sorted({c.region.slug for c in countries}),
        "country": [c.slug for c in countries],
        "code": [c.code for c in countries],
        "topic": [topic.slug],
        "author": [analyst.slug],
        "actor": actors,
        "organization": [org_seat.organization.slug],
        "pk": [str(a.pk) for a in articles],
        "seat_id": [str(org_seat.pk)],
        "judgment_id": [str(j.pk) for j in judgments],
    }
    hidden_words = ["Quorvane", "Veltrassi", "Konna", "Zantherine", "Ozzaric", "Brellmoor"]
    return Site(members, registered, draft, public, switched, slugs, hidden_words)


# URL parameters by route name, then by parameter name; anything unknown gets every value.
ROUTE_SLUGS = {
    "article": "article",
    "get_article": "article",
    "article_map": "article",
    "region": "region",
    "country": "country",
    "topic": "topic",
    "author": "author",
    "actor": "actor",
    "organization": "organization",
    "seat-remove": "organization",
}
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def _routes(patterns, prefix="") -> Iterator[tuple[str, str | None]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def urlconf_urls(site: Site) -> set[str]:
    everything = sorted({v for values in site.slugs.values() for v in values})
    urls: set[str] = set()
    for route, name in _routes(get_resolver().url_patterns):
        route = route.replace("^", "").replace("$", "").replace("\\", "")
        params = [m.group(2) or m.group(3) for m in PARAM.finditer(route)]
        if not params:
            urls.add("/" + route)
            continue
        choices = []
        for param in params:
            if param == "slug":
                choices.append(site.slugs.get(ROUTE_SLUGS.get(name or "", ""), everything))
            elif param in site.slugs:
                choices.append(site.slugs[param])
            elif param in ("object_id", "id"):
                choices.append(site.slugs["pk"])
            elif param == "app_label":
                choices.append(["articles", "members"])
            else:
                choices.append(["x"])
        for combo in _product(choices):
            values = iter(combo)
            urls.add("/" + PARAM.sub(lambda m, v=values: next(v), route))
    # the admin's pages for each article (the editors' preview links start there)
    for pk in site.slugs["pk"]:
        urls.add(f"/admin/articles/article/{pk}/change/")
        urls.add(f"/admin/articles/article/{pk}/history/")
    return urls


def _product(choices: list[list[str]]) -> Iterator[tuple[str, ...]]:
    if not choices:
        yield ()
        return
    for first in choices[0]:
        for rest in _product(choices[1:]):
            yield (first, *rest)


def sitemap_urls(client: Client) -> set[str]:
    """The sitemap index, its files and every URL they list."""
    index = client.get("/sitemap.xml").content.decode()
    files = [urlsplit(html.unescape(loc)) for loc in re.findall(r"<loc>([^<]+)</loc>", index)]
    urls = {f"{f.path}?{f.query}" if f.query else f.path for f in files}
    for part in files:
        xml = client.get(part.path, dict(parse_qsl(part.query))).content.decode()
        locs = re.findall(r"<loc>([^<]+)</loc>", xml)
        urls |= {urlsplit(html.unescape(loc)).path for loc in locs}
    assert len(urls) > len(files), "the sitemap lists nothing"
    return urls


def openapi_urls(client: Client, site: Site) -> set[str]:
    schema = client.get("/api/v1/openapi.json").json()
    queries = [
        *site.hidden_words,
        '"Quorvane column"',
        "Tassavel",
        "Marrowind",
        "Yelborne",
        "Fennimore",
        "Lantrevi",
        "Mali",
        "Sevare",
        "Quorv*",
    ]
    query_values = {
        "q": queries,
        "country": site.slugs["code"],
        "region": site.slugs["region"],
        "type": ["analysis"],
        "figure": ["front"],
        "limit": ["100"],
    }
    urls: set[str] = set()
    base = schema.get("servers", [{}])[0].get("url", "") if schema.get("servers") else ""
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        path_choices = []
        names = re.findall(r"\{(\w+)\}", path)
        for name in names:
            path_choices.append(site.slugs["article" if name == "slug" else name])
        for combo in _product(path_choices):
            filled = path
            for name, value in zip(names, combo, strict=True):
                filled = filled.replace("{" + name + "}", value)
            urls.add(base + filled)
            for param in get.get("parameters", []):
                if param.get("in") != "query":
                    continue
                for value in query_values.get(param["name"], []):
                    urls.add(base + filled + "?" + urlencode({param["name"]: value}))
    return urls


def extra_urls(site: Site) -> set[str]:
    """The site's own search page with the same probing queries as the API's."""
    queries = [*site.hidden_words, '"Quorvane column"', "Tassavel", "Fennimore", "Quorv*"]
    return {"/search/?" + urlencode({"q": q}) for q in queries}


HREF = re.compile(r"""(?:href|src|data-map)=["']([^"'#]+)""")
SKIP = ("/static/", "/media/", "/accounts/logout/")


@dataclass
class Crawl:
    fetched: dict[str, int] = field(default_factory=dict)  # url -> status
    leaks: list[str] = field(default_factory=list)


def crawl(
    client: Client, seeds: Iterable[str], hidden: dict[str, set[str]], known: set[str]
) -> Crawl:
    """Fetch every seed and every same-site link found, checking each response. Links to a
    route with parameters are followed when the parameters are `known` values (our articles,
    their countries, actors...): the regions index alone links to every ISO country."""
    result = Crawl()
    queue = deque(sorted(set(seeds)))
    seen = set(queue)
    while queue:
        url = queue.popleft()
        if len(result.fetched) >= MAX_FETCHES:
            raise AssertionError(f"crawl stopped at {MAX_FETCHES} URLs; raise MAX_FETCHES")
        response = client.get(url, follow=True)
        result.fetched[url] = response.status_code
        text = response_text(response)
        found = shingles(text)
        for what, runs in hidden.items():
            leaked = runs & found
            if leaked:
                result.leaks.append(f"{url}: {what}: {sorted(leaked)[0]!r}")
        if "html" in response.get("Content-Type", "") or "xml" in response.get("Content-Type", ""):
            raw = html.unescape(response.content.decode("utf-8", "replace"))
            for link in HREF.findall(raw):
                parts = urlsplit(link)
                if parts.netloc and parts.netloc not in urlsplit(settings.SITE_URL).netloc:
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if _refines_a_refined_search(url, parts):
                    continue  # facet links multiply: one refinement of each search is enough
                if target.startswith("/") and not target.startswith(SKIP) and target not in seen:
                    seen.add(target)
                    if _follow(parts.path, known):
                        queue.append(target)
    return result


def _refines_a_refined_search(source: str, target) -> bool:
    here = urlsplit(source)
    if here.path != target.path or resolve(target.path).url_name != "search":
        return False
    return any(key not in ("q", "page") for key, _ in parse_qsl(here.query))


def _follow(path: str, known: set[str]) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return True  # fetch it: a 404 is cheap and proves nothing is there
    return all(str(v) in known for v in match.kwargs.values())


def known_values(site: Site) -> set[str]:
    return {v for values in site.slugs.values() for v in values}


def seeds_for(client: Client, site: Site) -> set[str]:
    return urlconf_urls(site) | sitemap_urls(client) | openapi_urls(client, site) | extra_urls(site)


def readers() -> dict[str, Client]:
    anonymous = Client()
    free = Client()
    free.force_login(UserFactory())
    return {"anonymous": anonymous, "free member": free}


def _hidden(site: Site, reader: str) -> dict[str, set[str]]:
    hidden = {
        "members-only body": hidden_shingles(site.members, FIGURE_CAPTION, FIGURE_LAYER_NAME),
        "draft body": hidden_shingles(site.draft),
    }
    if reader == "anonymous":
        hidden["registered-only body"] = hidden_shingles(site.registered)
    return hidden


def test_no_members_only_text_leaks_anywhere(site):
    # a member reads every article first: their pages are in the cache before the crawl
    member = Client()
    member.force_login(MembershipFactory().user)
    for slug in site.slugs["article"]:
        member.get(f"/articles/{slug}/")
    for reader, client in readers().items():
        result = crawl(client, seeds_for(client, site), _hidden(site, reader), known_values(site))
        assert not result.leaks, f"{reader} reads hidden text:\n" + "\n".join(result.leaks)
        _assert_coverage(result, site)


def _assert_coverage(result: Crawl, site: Site) -> None:
    """The crawl reached every kind of surface (so a quiet crawl means something)."""
    ok = {url for url, status in result.fetched.items() if status == 200}
    expected = [
        site.members.get_absolute_url(),
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/sitemap.xml",
        f"/api/v1/articles/{site.members.slug}",
        f"/api/v1/articles/{site.members.slug}/map?figure=front",
        "/api/v1/search?q=Quorvane",
        "/search/?q=Quorvane",
        "/actors/ansar-dine/",
        "/api/v1/articles",
    ]
    missing = [url for url in expected if url not in ok]
    assert not missing, f"the crawl did not reach {missing}"
    assert result.fetched[f"/preview/{site.draft.pk}/"] == 404
    assert len(ok) > 100, f"only {len(ok)} pages answered 200"


def test_the_crawl_sees_text_that_is_readable(site):
    """The detector works: a member reads the members body, and the crawl notices it."""
    member = Client()
    member.force_login(MembershipFactory().user)
    result = crawl(
        member,
        [site.members.get_absolute_url(), f"/api/v1/articles/{site.members.slug}"],
        {"members-only body": hidden_shingles(site.members)},
        known_values(site),
    )
    assert len(result.leaks) >= 2


def test_an_article_moved_behind_the_paywall_leaks_nowhere(
    site, django_capture_on_commit_callbacks
):
    """Public first (its text is everywhere, as it should be), then members-only: no
    surface keeps the old full text, search index included."""
    switched = hidden_shingles(site.switched)
    anonymous = Client()
    before = crawl(
        anonymous, seeds_for(anonymous, site), {"switched": switched}, known_values(site)
    )
    assert before.leaks, "a public article's text should be found while it is public"
    assert any("/api/v1/search" in leak for leak in before.leaks)

    # the editor changes its access, as the back office saves it (save, render, revision),
    # and the transaction commits (cached pages are replaced)
    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=site.switched.pk)
        article.access = "members"
        article.teaser = "Editors moved this analysis behind the paywall."
        article.save()
        render_article(article)
        record_revision(article, source="admin", note="edited")
    article.refresh_from_db()

    site.hidden_words.extend(["Fennimore", "Lantrevi"])
    for reader, client in readers().items():
        after = crawl(
            client,
            seeds_for(client, site),
            {"switched": hidden_shingles(article)},
            known_values(site),
        )
        assert not after.leaks, f"{reader} still reads it:\n" + "\n".join(after.leaks)


def test_counts_and_indexes_show_its_countries_but_not_its_body_only_actors(site):
    """Germany and Ansar Dine appear only in the members-only body (found by the machine).
    Countries are public metadata: every reader counts the piece under Germany and finds
    Germany in the sitemap. Actors are not: no actor tally shows Ansar Dine to readers who
    may not read the body."""
    germany = Country.objects.get(code="DE")
    assert site.members.country_links.filter(country=germany, by_editor=False).exists()
    member = Client()
    from geopol.members.tests.factories import MembershipFactory

    member.force_login(MembershipFactory().user)
    for reader, client in [*readers().items(), ("member", member)]:
        visible = reader == "member"
        listing = client.get("/regions/").context["listing"]
        counts = {c.code: n for group in listing for c, n in group["countries"]}
        assert counts["DE"] > 0, reader
        region = client.get(germany.region.get_absolute_url()).context["active_countries"]
        assert "DE" in {c.code for c in region}, reader
        actors = client.get("/actors/?q=ansar").context["page"]
        tally = {a.slug: a.n for a in actors}
        assert (tally.get("ansar-dine", 0) > 0) == visible, reader
    assert "/countries/germany/" in sitemap_urls(client)


def test_a_restricted_piece_shows_what_it_is_about_to_every_reader(site):
    """The paywall's public metadata: for readers who may not read the members-only body,
    its title, dateline, teaser, regions and countries (the machine's Germany included) on
    its page, its countries shaded on the map; it is listed on its country (Germany, found by
    the machine), region and topic pages, in their feeds and in the API's filters."""
    members = site.members
    germany = Country.objects.get(code="DE")
    for reader, client in readers().items():
        page = client.get(members.get_absolute_url()).content.decode()
        assert members.title in page and members.dateline in page and TEASER in page, reader
        assert 'href="/countries/mali/"' in page and 'href="/countries/germany/"' in page
        mali = Country.objects.get(code="ML")
        assert f'href="{mali.region.get_absolute_url()}"' in page, f"{reader}: its region"
        assert "Not tagged with a country yet" not in page
        assert "Nothing connected yet" not in page, "connected through its countries"
        assert "No places resolved" not in page, reader
        geo = client.get(f"/api/v1/articles/{members.slug}/map").json()
        shaded = json.dumps(geo)
        assert '"ML"' in shaded, f"{reader}: Mali shaded on the map"
        for url in (
            germany.get_absolute_url(),
            f"{germany.get_absolute_url()}feed.atom",
            f"{germany.region.get_absolute_url()}feed.rss",
            "/topics/sahel-security/",
            "/topics/sahel-security/feed.atom",
        ):
            assert members.title in response_text(client.get(url)), f"{reader}: {url}"
        listed = client.get("/api/v1/articles", {"country": "DE"}).json()
        assert members.slug in json.dumps(listed), reader
        detail = client.get(f"/api/v1/articles/{members.slug}").json()
        assert {c["code"] for c in detail["countries"]} >= {"ML", "DE"}
        assert detail["body_html"] is None and detail["readable"] is False
        found = client.get("/api/v1/search", {"q": "country:DE"}).json()
        assert members.slug in json.dumps(found), f"{reader}: the API search filter"


def _names_found_in_body(article: Article) -> set[str]:
    """Places and actors the geoparser found in `article`'s body, minus what its title and
    teaser say anyway."""
    entities = ArticleEntity.objects.kept().filter(
        article=article, kind__in=[EntityKind.PLACE, EntityKind.ACTOR]
    )
    public = f"{article.title} {article.summary}"
    return {e.name for e in entities if e.name not in public}


def test_maps_and_tags_of_a_hidden_body_name_none_of_its_places_or_actors(site):
    """The place lists (SVG map, map JSON, figure layers) and actor chips come from the text:
    for a reader who may not read it, none of the names found in the body appear on the
    article's own surfaces."""
    names = _names_found_in_body(site.members)
    assert {"Mopti", "Ansar Dine"} <= names, names
    slug = site.members.slug
    surfaces = [
        site.members.get_absolute_url(),
        f"/api/v1/articles/{slug}",
        f"/api/v1/articles/{slug}/map",
        f"/api/v1/articles/{slug}/map?figure=front",
    ]
    for reader, client in readers().items():
        for url in surfaces:
            response = client.get(url)
            assert response.status_code == 200, url
            if url.endswith(slug):  # other articles' teasers may name anything
                data = response.json()
                data.pop("connected")
                text = "\n".join(_strings(data))
            else:
                text = response_text(response)
            shown = {n for n in names if re.search(rf"\b{re.escape(n)}\b", text)}
            assert not shown, f"{reader} sees {sorted(shown)} on {url}"
    member = Client()
    from geopol.members.tests.factories import MembershipFactory

    member.force_login(MembershipFactory().user)
    text = response_text(member.get(f"/api/v1/articles/{slug}/map"))
    assert "Mopti" in text, "a member sees the places on the map"


def _connected_reasons(client: Client, article: Article) -> dict[str, str]:
    """Connected Content of `article`'s page and API detail: title -> reason."""
    page = client.get(article.get_absolute_url()).content.decode()
    section = page.split('id="connected-h"', 1)[1].split("</section>", 1)[0]
    found = dict(
        re.findall(
            r'">([^<]+)</a> <span class="meta"><span class="connected-reason">([^<]+)', section
        )
    )
    detail = client.get(f"/api/v1/articles/{article.slug}").json()
    found.update({html.unescape(c["title"]): c["reason"] for c in detail["connected"]})
    return {html.unescape(k): html.unescape(v) for k, v in found.items()}


def test_connected_content_reasons_name_nothing_of_a_hidden_body(site):
    """A reason says what two pieces share. Where one of them is the members-only piece, a
    reader who may not read its body is never told a place or actor found only there: not on
    its own page, not on the pages it is connected from (as a member is)."""
    names = _names_found_in_body(site.members)
    articles = [site.members, site.registered, site.public, site.switched]

    def reasons_involving_members(client: Client) -> list[str]:
        out = []
        for article in articles:
            for title, reason in _connected_reasons(client, article).items():
                if article == site.members or title == site.members.title:
                    out.append(reason)
        return out

    for reader, client in readers().items():
        reasons = reasons_involving_members(client)
        assert reasons, f"{reader}: the members-only piece is connected through its countries"
        for reason in reasons:
            shown = {n for n in names if re.search(rf"\b{re.escape(n)}\b", reason)}
            assert not shown, f"{reader} is told {sorted(shown)}: {reason!r}"
    member = Client()
    from geopol.members.tests.factories import MembershipFactory

    member.force_login(MembershipFactory().user)
    told = " ".join(reasons_involving_members(member))
    assert any(re.search(rf"\b{re.escape(n)}\b", told) for n in names), told
