"""geopol demo : load the demo corpus shipped with Geopol (idempotent)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from django.core.management import call_command
from django.core.management.base import BaseCommand

from geopol.articles.search import refresh_suggestions

# What apps above run before the corpus is imported (extraction: bring the actor registry up
# to date) and after it (related: thread the storylines), registered from their
# AppConfig.ready with `before_demo(step)` / `after_demo(step)`.
_steps: list[Callable[[TextIO], None]] = []
_after: list[Callable[[TextIO], None]] = []


def before_demo(step: Callable[[TextIO], None]) -> None:
    """Run `step(stdout)` at the start of `geopol demo`."""
    if step not in _steps:
        _steps.append(step)


def after_demo(step: Callable[[TextIO], None]) -> None:
    """Run `step(stdout)` at the end of `geopol demo`, once the corpus is in."""
    if step not in _after:
        _after.append(step)


DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load the demo corpus: original analyses across every region, 2013-2025."

    def handle(self, *args, **options):
        for step in _steps:
            step(self.stdout)
        folders = [str(p) for p in sorted(DEMO_DIR.iterdir()) if p.is_dir()]
        call_command("import_articles", *folders, stdout=self.stdout, stderr=self.stderr)
        refresh_suggestions()  # actors and authors new since the last migration
        for step in _after:
            step(self.stdout)
