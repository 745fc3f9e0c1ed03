"""Connected Content: the computed lists (a cache, rebuilt from the articles and their tags)
and the editors' pins and hides (kept)."""

from __future__ import annotations

from django.db import models

from geopol.articles.models import Article

# the kinds of reader a list is computed for (geopol.articles.access.TIERS_BY_READER)
READERS = ("anonymous", "registered", "member")


class RelatedList(models.Model):
    """An article's computed Connected Content for one kind of reader. A missing row means
    "not computed yet or out of date": the next reader computes it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_lists")
    reader = models.CharField(max_length=12)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "reader"], name="one_list_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} for {self.reader}"


class RelatedItem(models.Model):
    """One entry of a computed list, with the reason shown to that kind of reader."""

    list = models.ForeignKey(RelatedList, on_delete=models.CASCADE, related_name="items")
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["rank"]
        # "which lists show this article?" when it changes
        indexes = [models.Index(fields=["target"], name="related_item_target")]

    def __str__(self) -> str:
        return f"{self.target_id}: {self.reason}"


class Curation(models.Model):
    """An editor's decision about one article in another's Connected Content."""

    class Action(models.TextChoices):
        PIN = "pin", "Pin (shown first)"
        HIDE = "hide", "Hide (never shown)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="curations")
    target = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The analysis to pin in, or hide from, this article's Connected Content.",
    )
    action = models.CharField(max_length=4, choices=Action, default=Action.PIN)
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Pins: the reason shown to readers (default: the computed one, or "
        "'Chosen by the editors').",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Pins: lower first.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="one_curation_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("target")), name="curation_not_self"
            ),
        ]
        verbose_name = "Connected Content choice"

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_id} on {self.article_id}"


class Storyline(models.Model):
    """A thread of analyses about one chain of events, found by the machine (shared actors and
    places within a time window) and curated by editors: rename, merge, split, pin."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    named_by_editor = models.BooleanField(
        default=False, help_text="Set when an editor renames it: the machine keeps the name."
    )
    pinned = models.BooleanField(default=False, help_text="Listed first on the storylines page.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pinned", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("storyline", args=[self.slug])


class StorylineArticle(models.Model):
    """An article's place in a storyline. `removed`: an editor took it out, and the machine
    does not put it back."""

    storyline = models.ForeignKey(Storyline, on_delete=models.CASCADE, related_name="links")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="storyline_links")
    by_editor = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(removed=False),
                name="one_storyline_per_article",
            ),
            models.UniqueConstraint(fields=["storyline", "article"], name="storyline_article_once"),
        ]
        verbose_name = "analysis in the storyline"
        verbose_name_plural = "analyses in the storyline"

    def __str__(self) -> str:
        return f"{self.article_id} in {self.storyline_id}"
