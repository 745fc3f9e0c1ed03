"""Background work (`geopol worker`): the email to followers of a country's forecasts when
one of its judgments resolves. Each email is a ResolutionEmail row, so a task run twice, or
after a restart, sends nothing twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from geopol.articles.access import can_read
from geopol.articles.models import Article
from geopol.forecasts.models import ForecastFollow, Judgment, ResolutionEmail


@task()
def send_resolution_emails(judgment_id: int) -> int:
    """Email each follower of the judgment's countries once about its resolution."""
    judgment = Judgment.objects.select_related("article").filter(pk=judgment_id).first()
    if judgment is None or judgment.is_open:
        return 0
    if not Article.objects.published().filter(pk=judgment.article_id).exists():
        return 0  # nobody may read about a draft's forecasts
    follows = (
        ForecastFollow.objects.filter(country__in=judgment.countries.all(), user__is_active=True)
        .select_related("user", "country")
        .order_by("user_id", "country_id")
    )
    sent = 0
    seen: set[int] = set()
    for follow in follows:
        if follow.user_id in seen or not follow.user.email:
            continue
        seen.add(follow.user_id)
        record, _ = ResolutionEmail.objects.get_or_create(
            judgment=judgment, user=follow.user, outcome=judgment.outcome
        )
        if record.sent_at is not None:
            continue
        _send(judgment, follow)
        ResolutionEmail.objects.filter(pk=record.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _send(judgment: Judgment, follow: ForecastFollow) -> None:
    article = judgment.article
    context = {
        "judgment": judgment,
        "article": article,
        "readable": can_read(follow.user, article),
        "country": follow.country,
        "article_url": settings.SITE_URL + article.get_absolute_url() + f"#judgment-{judgment.pk}",
        "scorecard_url": settings.SITE_URL + reverse("forecasts:scorecard"),
    }
    subject = f"Forecast resolved ({judgment.get_outcome_display().lower()}): {article.title}"
    body = render_to_string("forecasts/resolution_email.txt", context)
    EmailMessage(subject[:200], body, to=[follow.user.email]).send()
