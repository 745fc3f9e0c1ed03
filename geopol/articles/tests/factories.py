import datetime as dt

import factory
from django.utils import timezone

from geopol.articles.models import Article, Author, Status
from geopol.articles.services import render_article, set_countries


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Analyst {n}")
    slug = factory.Sequence(lambda n: f"analyst-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published public analysis, rendered and indexed as an import would leave it.

    `countries=["ML", "FR"]` tags countries in order (the first is primary).
    """

    class Meta:
        model = Article
        skip_postgeneration_save = True

    source_key = factory.Sequence(lambda n: f"test:{n}")
    title = factory.Sequence(lambda n: f"Test Analysis Number {n}")
    slug = factory.Sequence(lambda n: f"test-analysis-{n}")
    body = (
        "Ministers met in the capital to weigh a new deployment.\n\n"
        "Officials said the decision would probably come within weeks."
    )
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            set_countries(self, list(extracted))

    @factory.post_generation
    def rendered(self, create, extracted, **kwargs):
        if create:
            render_article(self)
