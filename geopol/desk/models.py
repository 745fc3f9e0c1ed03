"""The desk's records beside each article: who owns it and reviews it, its approval, every
workflow move, the comments on it, and the on-site notices sent about it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from geopol.articles.models import Article
from geopol.desk import workflow


class Piece(models.Model):
    """An article as the desk knows it (created on first use for an imported article)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="desk_piece")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desk_pieces",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desk_reviews",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [
            ("write_pieces", "Can write and submit analyses on the desk"),
            ("edit_pieces", "Can review, schedule, publish and retract on the desk"),
        ]

    def __str__(self) -> str:
        return f"desk: {self.article_id}"


class Transition(models.Model):
    """One workflow move: from which stage to which, by whom, when, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="desk_moves")
    action = models.CharField(max_length=20)
    source = models.CharField(max_length=12, choices=list(workflow.LABELS.items()))
    target = models.CharField(max_length=12, choices=list(workflow.LABELS.items()))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.source} -> {self.target}"


class Comment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="desk_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Notice(models.Model):
    """An on-site notice to one user about a piece (also sent by email when they have one)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_notices"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text
