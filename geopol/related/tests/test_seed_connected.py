"""The seed page imported beside the demo's Konna piece: its Connected Content names what is
shared (issue 11's "done when"). Reads ../shared/seed; skipped when it is absent."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from geopol.articles.models import Article

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT.parent / "shared" / "seed" / "000_4b2a77ebaa4c6e4f.txt"
KONNA = (
    ROOT
    / "geopol/articles/demo/markdown/2013-01-mali-jihadist-push-on-konna-draws-french-firepower.md"
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SEED.exists(), reason=f"seed page not found at {SEED}"),
]


def test_the_seed_is_connected_to_the_konna_piece_by_what_they_share(client):
    call_command("import_articles", str(KONNA), str(SEED), stdout=io.StringIO())
    seed = Article.objects.get(title="Mali: A Possible Prelude to Western Intervention")
    page = client.get(seed.get_absolute_url()).text
    section = page.split('id="connected-h"', 1)[1].split("</section>", 1)[0]
    first = re.search(r'<a href="[^"]+">([^<]+)</a>.*?connected-reason">([^<]+)', section, re.S)
    assert first and first[1].startswith("Mali: Jihadist Push on Konna")
    reason = first[2]
    assert reason.endswith("· 1 day later"), reason
    assert re.match(r"(Same storyline: Mali 2013: |Also about )\w", reason), reason
    assert "shared" not in reason
