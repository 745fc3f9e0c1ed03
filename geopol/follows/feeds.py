"""A member's private feed: what My Geopol shows, at a secret address a feed reader can poll
without logging in. Full text for what the member may read, the teaser for the rest."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed

from geopol.articles.access import can_read, readable_tiers
from geopol.articles.models import Article
from geopol.follows.models import Follow, PrivateFeed
from geopol.follows.targets import articles_q


class PrivateFeedView(Feed):
    feed_type = Atom1Feed
    link = "/my/"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request: HttpRequest, token: str) -> PrivateFeed:
        # 256 random bits: an unknown or revoked token is simply not in the table
        feed = PrivateFeed.objects.select_related("user").filter(token=token).first()
        if feed is None or not feed.user.is_active:
            raise Http404("No such feed")
        return feed

    def title(self, obj: PrivateFeed) -> str:
        return f"My Geopol: {obj.user.get_username()}"

    def subtitle(self, obj: PrivateFeed) -> str:
        return "Analyses about what you follow."

    def items(self, obj: PrivateFeed):
        pairs = list(Follow.objects.filter(user=obj.user).values_list("kind", "key"))
        if not pairs:
            return []
        tiers = readable_tiers(obj.user)
        articles = list(
            Article.objects.published()
            .filter(articles_q(pairs, tiers))
            .newest()
            .prefetch_related("authors")[:50]
        )
        for article in articles:
            article.readable = can_read(obj.user, article)  # type: ignore[attr-defined]
        return articles

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.body_html if item.readable else item.summary  # type: ignore[attr-defined]

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(a.name for a in item.authors.all())
