"""Key judgments through imports, the article page, resolution (command and admin), the
scorecard and the email to followers."""

import io
import json
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from geopol.articles.models import Article
from geopol.follows.tests.conftest import run_tasks
from geopol.forecasts.models import ForecastFollow, Judgment
from geopol.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "The junta in Bamako has again delayed the transition it promised.\n\n"
    "The election will probably slip past the end of the year."
)
JUDGMENTS = [
    {
        "statement": "Mali will not hold a presidential election before 2027.",
        "likelihood": "likely",
        "probability": 0.8,
        "confidence": "moderate",
        "resolves_by": "2026-12-31",
        "criteria": "No first round of a presidential vote is held.",
        "countries": ["ML"],
    },
    {
        "statement": "ECOWAS will lift its remaining sanctions on Mali within a year.",
        "likelihood": "unlikely",
        "resolves_by": "2027-06-30",
    },
]


def front_matter(judgments, title="Mali: The Transition Slips Again", **extra) -> str:
    meta = {
        "title": title,
        "published": "2026-03-02T10:00:00Z",
        "authors": ["Ada Analyst"],
        "topics": ["Elections"],
        "countries": ["ML", "BF"],
        "source_url": "https://example.org/mali-transition",
        "judgments": judgments,
        **extra,
    }
    return "---\n" + json.dumps(meta, indent=1) + "\n---\n\n" + BODY + "\n"


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code)
    return status, out.getvalue(), err.getvalue()


def test_markdown_judgments_are_stored_with_bands_and_countries(tmp_path):
    path = tmp_path / "mali.md"
    path.write_text(front_matter(JUDGMENTS))
    status, _, err = run("import_articles", path, "--json")
    assert status == 0, err
    first, second = Judgment.objects.order_by("position")
    assert (first.likelihood, first.probability, first.confidence) == ("likely", 0.8, "moderate")
    assert [c.code for c in first.countries.all()] == ["ML"]
    assert str(first.resolves_by) == "2026-12-31"
    # no probability: the band's midpoint; no countries: the article's primary country
    assert (second.probability, second.probability_given) == (0.325, False)
    assert [c.code for c in second.countries.all()] == ["ML"]


def test_a_file_of_new_articles_stores_actors_resolutions_and_names_a_bad_country(tmp_path):
    """New articles' judgments are written for the whole file at once: the same rows as one
    at a time, and the same error naming the judgment and the line."""
    from geopol.extraction.models import Actor

    actor = Actor.objects.create(slug="vardel-front", name="Vardel Front", kind="armed-group")
    given = [
        {**JUDGMENTS[1], "actors": ["Vardel Front", "Nobody We Know"]},
        {
            **JUDGMENTS[0],
            "resolution": {"outcome": "true", "note": "No vote.", "resolved_on": "2027-01-02"},
        },
    ]
    path = tmp_path / "mali.md"
    path.write_text(front_matter(given))
    status, _, err = run("import_articles", path)
    assert status == 0, err
    first, second = Judgment.objects.order_by("position")
    assert list(first.actors.all()) == [actor]
    assert [c.code for c in first.countries.all()] == ["ML"]  # the article's primary country
    assert (second.outcome, second.resolution_note) == ("true", "No vote.")
    assert second.resolved_at.date().isoformat() == "2027-01-02"

    bad = tmp_path / "bad.md"
    bad.write_text(
        front_matter([{**JUDGMENTS[0], "countries": ["XX"]}], source_url="https://example.org/b")
    )
    status, _, err = run("import_articles", bad)
    assert status == 1
    assert "judgments[1].countries: XX not ISO 3166-1 alpha-2" in err
    assert Article.objects.count() == 1


def test_reimport_keeps_ids_and_resolutions_and_drops_removed_open_judgments(tmp_path):
    path = tmp_path / "mali.md"
    path.write_text(front_matter(JUDGMENTS))
    run("import_articles", path)
    first, second = Judgment.objects.order_by("position")
    run("forecasts", "resolve", first.pk, "false", "--note", "An election was called.")
    path.write_text(front_matter([{**JUDGMENTS[0], "probability": 0.75}]))
    status, _, err = run("import_articles", path)
    assert status == 0, err
    kept = Judgment.objects.get()
    assert kept.pk == first.pk and kept.probability == 0.75
    assert (kept.outcome, kept.resolution_note) == ("false", "An election was called.")
    assert not Judgment.objects.filter(pk=second.pk).exists()


def test_jsonl_judgment_errors_name_the_line_and_field_and_store_nothing(tmp_path):
    good = {"title": "A good one", "published": "2026-01-01", "body": BODY}
    bad = {
        "title": "A bad one",
        "published": "2026-01-02",
        "body": BODY,
        "judgments": [{"statement": "Something happens.", "likelihood": "probable"}],
    }
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    status, out, _ = run("import_articles", path, "--json")
    assert status == 1
    [error] = json.loads(out)["errors"]
    assert error["line"] == 2
    assert "judgments[1].likelihood 'probable' is not an ICD 203 term" in error["reason"]
    assert Article.objects.count() == 0


def test_a_probability_outside_its_band_refuses_the_file(tmp_path):
    path = tmp_path / "mali.md"
    path.write_text(front_matter([{**JUDGMENTS[0], "probability": 0.9}]))
    status, out, _ = run("import_articles", path, "--json")
    assert status == 1
    reason = json.loads(out)["errors"][0]["reason"]
    assert "judgments[1].probability" in reason and "55–80%" in reason
    assert Article.objects.count() == Judgment.objects.count() == 0


def test_article_page_shows_the_key_judgments_box_with_ids(tmp_path):
    path = tmp_path / "mali.md"
    path.write_text(front_matter(JUDGMENTS))
    run("import_articles", path)
    article = Article.objects.get()
    page = Client().get(article.get_absolute_url()).content.decode()
    box = page[page.index('class="key-judgments"') :]
    assert "Key judgments" in page
    ids = [int(i) for i in re.findall(r'data-judgment-id="(\d+)"', box)]
    assert ids == list(Judgment.objects.order_by("position").values_list("pk", flat=True))
    assert "Likely <span" in box and "80%" in box and "Moderate confidence" in box
    assert "Resolves by" in box and "Dec 31, 2026" in box


def test_members_only_judgments_stay_behind_the_paywall(tmp_path):
    path = tmp_path / "mali.md"
    path.write_text(front_matter(JUDGMENTS, access="members", teaser="The transition slips."))
    run("import_articles", path)
    article = Article.objects.get()
    for url in (article.get_absolute_url(), "/forecasts/"):
        page = Client().get(url).content.decode()
        assert JUDGMENTS[0]["statement"] not in page, url
    assert "makes 2 key judgments" in Client().get(article.get_absolute_url()).content.decode()


def test_resolve_command_records_outcome_note_and_link(tmp_path):
    path = tmp_path / "mali.md"
    path.write_text(front_matter(JUDGMENTS))
    run("import_articles", path)
    judgment = Judgment.objects.order_by("position").first()
    status, out, _ = run(
        "forecasts",
        "resolve",
        judgment.pk,
        "true",
        "--note",
        "No vote held.",
        "--link",
        "https://example.org/news",
    )
    assert status == 0 and f"judgment {judgment.pk} resolved true" in out
    judgment.refresh_from_db()
    assert (judgment.outcome, judgment.resolution_note) == ("true", "No vote held.")
    assert judgment.resolution_link == "https://example.org/news"
    assert judgment.resolved_at is not None
    with pytest.raises(CommandError, match="no key judgment 999999"):
        call_command("forecasts", "resolve", "999999", "true")


def _scored_article(tmp_path):
    judgments = [
        {**JUDGMENTS[0], "probability": 0.8, "resolution": {"outcome": "true"}},
        {
            "statement": "The junta will hand power to civilians in 2026.",
            "likelihood": "unlikely",
            "probability": 0.4,
            "resolves_by": "2026-12-31",
            "resolution": {"outcome": "false"},
        },
        {
            "statement": "The transition charter will be amended again.",
            "likelihood": "very likely",
            "probability": 0.9,
            "resolves_by": "2026-09-30",
            "resolution": {"outcome": "annulled", "note": "The charter was suspended."},
        },
        {**JUDGMENTS[1], "statement": "Open one, later.", "resolves_by": "2028-01-01"},
        {**JUDGMENTS[1], "statement": "Open one, sooner.", "resolves_by": "2027-01-01"},
    ]
    path = tmp_path / "mali.md"
    path.write_text(front_matter(judgments))
    status, _, err = run("import_articles", path)
    assert status == 0, err


def test_scorecard_shows_hand_computed_brier_calibration_and_open_forecasts(tmp_path):
    _scored_article(tmp_path)
    page = Client().get("/forecasts/").content.decode()
    # (0.8 - 1)^2 = 0.04 and (0.4 - 0)^2 = 0.16: mean 0.10; the annulled one is not scored
    assert 'data-brier="0.10"' in page
    assert re.search(r"<th scope=\"row\">Ada Analyst</th><td>2</td><td[^>]*>0\.10</td>", page)
    assert re.search(r"<th scope=\"row\">2026</th><td>2</td>", page)
    assert '<svg class="reliability"' in page
    assert page.count('class="count-bar"') == 2 and page.count('<circle class="bin"') == 2
    # bins 40-50% and 80-90% hold one forecast each
    assert re.search(r"<th scope=\"row\">40–50%</th><td>1</td><td>40%</td><td>0%</td>", page)
    assert re.search(r"<th scope=\"row\">80–90%</th><td>1</td><td>80%</td><td>100%</td>", page)
    assert page.index("Open one, sooner.") < page.index("Open one, later.")


def test_score_command_json_matches_the_page(tmp_path):
    _scored_article(tmp_path)
    _, out, _ = run("forecasts", "score", "--json")
    data = json.loads(out)
    assert data["overall"]["count"] == 2
    assert data["overall"]["brier"] == pytest.approx(0.10)
    assert data["counts"] == {"open": 2, "true": 1, "false": 1, "annulled": 1}


def test_followers_of_a_country_get_one_email_when_a_forecast_resolves(
    tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "mali.md"
    path.write_text(front_matter(JUDGMENTS))
    run("import_articles", path)
    follower, other = UserFactory(), UserFactory()
    client = Client()
    client.force_login(follower)
    client.post("/forecasts/follow/", {"country": "ML"})
    ForecastFollow.objects.create(user=other, country_id="FR")
    judgment = Judgment.objects.order_by("position").first()
    with django_capture_on_commit_callbacks(execute=True):
        run("forecasts", "resolve", judgment.pk, "false", "--note", "A vote was held.")
    assert run_tasks() == 1
    [message] = mail.outbox
    assert message.to == [follower.email]
    assert "Forecast resolved (false)" in message.subject
    assert JUDGMENTS[0]["statement"] in message.body and "A vote was held." in message.body
    run_tasks()
    from geopol.forecasts.tasks import send_resolution_emails

    assert send_resolution_emails.call(judgment.pk) == 0  # already sent: nothing twice
    assert len(mail.outbox) == 1


def test_an_import_of_resolved_forecasts_emails_nobody(
    tmp_path, django_capture_on_commit_callbacks
):
    """Like an archive import for follows: outcomes recorded by an import (the demo's are
    years old) are not news to the followers."""
    ForecastFollow.objects.create(user=UserFactory(), country_id="ML")
    with django_capture_on_commit_callbacks(execute=True):
        _scored_article(tmp_path)  # three resolutions of Mali's forecasts
    assert Judgment.objects.exclude(outcome="open").count() == 3
    emails = DBTaskResult.objects.filter(task_path__startswith="geopol.forecasts.")
    assert not emails.exists()  # (the import's storylines are queued; no email is)


def test_resolving_a_forecast_nobody_follows_queues_no_email_task(
    tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "mali.md"
    path.write_text(front_matter(JUDGMENTS))
    run("import_articles", path)
    judgment = Judgment.objects.order_by("position").first()
    with django_capture_on_commit_callbacks(execute=True):
        run("forecasts", "resolve", judgment.pk, "true")
    assert Judgment.objects.get(pk=judgment.pk).outcome == "true"
    assert DBTaskResult.objects.count() == 0


def test_api_serves_the_ledger_and_the_scorecard_behind_the_paywall(tmp_path):
    _scored_article(tmp_path)
    client = Client()
    page = client.get("/api/v1/forecasts?outcome=open").json()
    assert page["count"] == 2
    assert [j["statement"] for j in page["items"]] == ["Open one, sooner.", "Open one, later."]
    first = page["items"][0]
    assert (first["likelihood"], first["band"], first["outcome"]) == (
        "unlikely",
        [0.2, 0.45],
        "open",
    )
    one = client.get(f"/api/v1/forecasts/{first['id']}").json()
    assert one["url"].endswith(f"#judgment-{first['id']}")
    card = client.get("/api/v1/forecasts/scorecard").json()
    assert card["overall"]["brier"] == pytest.approx(0.10)
    assert [b["count"] for b in card["overall"]["calibration"]] == [0, 0, 0, 0, 1, 0, 0, 0, 1, 0]
    assert card["analyst"][0]["label"] == "Ada Analyst"

    Article.objects.update(access="members")
    hidden = client.get("/api/v1/forecasts").json()["items"]
    assert hidden and all(j["statement"] is None and not j["readable"] for j in hidden)
