from django.dispatch import receiver

from geopol.articles.events import content_changed
from geopol.articles.models import Article
from geopol.extraction.services import tag_article


@receiver(content_changed, sender=Article)
def tag_changed_article(sender, article: Article, **kwargs) -> None:
    tag_article(article)
