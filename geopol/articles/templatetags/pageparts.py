"""`{% part "slot" key=value %}`: a part of the page an app above contributed (see
articles/parts.py); `{% article_body article readable %}`: the body with its figures drawn."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from geopol.articles import parts
from geopol.articles.models import Article

register = template.Library()


@register.simple_tag(takes_context=True)
def part(context: Any, slot: str, **values: Any) -> SafeString:
    return parts.draw(slot, context, **values)


@register.simple_tag
def article_body(article: Article, readable: bool) -> SafeString:
    return parts.body_html(article, readable)
