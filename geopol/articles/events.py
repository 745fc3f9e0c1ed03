"""Signals the articles app sends for the apps above it (geoparsing, members...)."""

from django.dispatch import Signal

# Sent after an article's text, figures or tags changed (import, admin, restore), inside the
# same transaction. Keyword arguments: article; created (True for a new article).
content_changed = Signal()

# Sent once per imported file, after all its articles were written and inside the same
# transaction, instead of content_changed for each of them, so that a receiver can write
# what it derives for the whole file at once. Keyword argument: changes, a list of
# (article, created) in input order. A receiver of content_changed must handle this too.
content_changed_in_bulk = Signal()

# Sent after an import wrote articles that were created or updated (once per file, at its
# end, inside the same transaction), with what the file said about each. Keyword argument:
# items, a list of (article, ArticleData) in input order. For the parts of an import that
# belong to apps above articles, such as key judgments (the forecasts app).
articles_imported = Signal()
