"""Signals the articles app sends for the apps above it (geoparsing, members...)."""

from django.dispatch import Signal

# Sent after an article's text, figures or tags changed (import, admin, restore), inside the
# same transaction. Keyword arguments: article; created (True for a new article).
content_changed = Signal()
