"""The editor's desk in headless Chromium against a real `geopol serve` over the demo corpus:
an analyst writes a piece with the live preview and the place picker and submits it; an
editor sends it back with a reason, approves and publishes it. At 1366 and 390 px wide;
screenshots of the list, the editor and the review page land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_browser import (  # the same server and browser fixtures as the reader's walk
    REPO,
    _server_env,
    browser,
    chromium_path,
    data_dir,
    screenshots,
    site,
)

pytestmark = pytest.mark.browser
__all__ = ["browser", "chromium_path", "data_dir", "screenshots", "site"]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "a long night at the desk 42"
BODY = (
    "Iraqi forces moved north from Kirkuk on Monday, toward the district around the town "
    "the machine may not know by its English name.\n\n"
    "The offensive will probably succeed before the rains, officials said."
)

USERS = (
    f"PASSWORD = {PASSWORD!r}\n"
    """
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User
for name, group in (("ana", "Analysts"), ("eddie", "Editors")):
    for suffix in ("desktop", "phone"):
        email = f"{name}.{suffix}@example.org"
        user = User.objects.create_user(f"{name}-{suffix}", email, PASSWORD)
        user.first_name = name.title()
        user.save()
        user.groups.add(Group.objects.get(name=group))
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
"""
)


@pytest.fixture(scope="module")
def desk_site(site: str, data_dir: Path) -> str:
    cli = [sys.executable, "-m", "geopol.cli", "--data-dir", str(data_dir)]
    made = subprocess.run(
        [*cli, "manage", "shell", "-c", USERS],
        cwd=REPO,
        env=_server_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    return site


class Desk:
    def __init__(self, browser, base: str, width: str, shots: Path):
        self.base, self.width, self.shots = base, width, shots
        self.context = browser.new_context(viewport=WIDTHS[width], locale="en-US")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.broken: list[str] = []
        self.page.on(
            "response",
            lambda r: self.broken.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        self.page.on(
            "console",
            lambda m: self.broken.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def sign_in(self, who: str) -> None:
        page = self.page
        page.goto(self.base + "/accounts/login/?next=/desk/")
        page.get_by_placeholder("Email address").fill(f"{who}.{self.width}@example.org")
        page.get_by_placeholder("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url("**/desk/")

    def shot(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        assert not self.broken, f"{name}: {self.broken}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTHS[self.width]["width"], f"{name} scrolls sideways: {width}px"
        page.screenshot(path=self.shots / f"desk-{name}-{self.width}.png", full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_write_preview_pick_a_place_review_and_publish(browser, desk_site, screenshots, width):
    from playwright.sync_api import expect

    title = f"Kirkuk: The Road North ({width})"
    analyst = Desk(browser, desk_site, width, screenshots)
    editor = Desk(browser, desk_site, width, screenshots)
    try:
        page = analyst.page
        analyst.sign_in("ana")
        expect(page.get_by_role("heading", name="My drafts")).to_be_visible()
        analyst.shot("list")

        page.get_by_role("link", name="New piece").click()
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Start writing").click()
        page.wait_for_url("**/desk/*/")
        edit_url = page.url

        # the live preview: typed text appears, rendered, without saving or reloading
        body = page.get_by_label("Body (Markdown)")
        body.fill(BODY)
        preview = page.locator("#preview")
        expect(preview.locator(".article-body")).to_contain_text("probably succeed")
        expect(page.locator("[data-words]")).to_have_text("33 words")
        expect(page.locator("[data-saved]")).to_contain_text("Saved")  # autosave
        # the toolbar: bold the selected word, and the preview shows it bold
        body.evaluate(
            "el => { const i = el.value.indexOf('Monday'); el.setSelectionRange(i, i + 6); }"
        )
        with page.expect_response(lambda r: "/autosave/" in r.url and r.ok):
            page.get_by_role("toolbar").get_by_title("Bold").click()
            expect(body).to_have_value(re.compile(r"\*\*Monday\*\*"))
            expect(preview.locator(".article-body strong")).to_have_text("Monday")
        page.reload()  # autosaved: the text survives a reload
        expect(page.get_by_label("Body (Markdown)")).to_have_value(re.compile(r"\*\*Monday\*\*"))

        # the place picker: by name, country and population shown, one click to add
        reading = page.locator("#reading")
        expect(reading.locator('[data-entity="Kirkuk"]')).to_be_visible()
        places = reading.locator(".desk-entities-place")
        places.get_by_role("searchbox").fill("Hawija")
        choice = places.locator(".picker-choice", has_text="Ḩawījah")
        expect(choice).to_contain_text("Iraq")
        expect(choice).to_contain_text("population unknown")
        choice.click()
        added = page.locator("#reading").locator('[data-entity="Al Ḩawījah"]')
        expect(added).to_contain_text("added")
        expect(page.get_by_label("Body (Markdown)")).to_have_value(re.compile("Kirkuk on"))
        # a name the gazetteer does not know is refused, not stored without coordinates
        places = page.locator("#reading .desk-entities-place")
        places.get_by_role("searchbox").fill("Xqzzyville")
        expect(places.locator(".picker-results")).to_contain_text(
            "Nothing called “Xqzzyville” in the gazetteer"
        )
        # view as an anonymous reader: the switch re-renders the preview in place
        page.locator(".desk-preview .view-as").get_by_role("link", name="Anonymous").click()
        expect(
            page.locator(".desk-preview .view-as").get_by_role("link", name="Anonymous")
        ).to_have_attribute("aria-current", "page")
        analyst.shot("editor")

        # the analyst submits; no publish button is theirs
        page.get_by_role("button", name="Submit for review").click()
        expect(page.locator(".messages")).to_contain_text("now in review")
        expect(page.get_by_role("button", name="Publish now")).to_have_count(0)

        # the editor sends it back with a reason, the analyst is told
        page2 = editor.page
        editor.sign_in("eddie")
        page2.goto(edit_url + "review/")
        page2.get_by_label("Reason (the author is told)").fill("Source the casualty figure.")
        page2.get_by_role("button", name="Send back").click()
        expect(page2.locator(".messages")).to_contain_text("now draft")
        page.goto(desk_site + "/desk/")
        expect(page.locator(".desk-notices")).to_contain_text("Source the casualty figure.")
        page.goto(edit_url + "review/")
        page.get_by_role("button", name="Submit for review").click()
        page2.goto(edit_url + "review/")
        page2.get_by_role("button", name="Approve").click()
        expect(page2.locator(".desk-workflow h2 .stage")).to_have_text("Approved")
        editor.shot("review")
        page2.get_by_role("button", name="Publish now").click()
        expect(page2.locator(".desk-workflow h2 .stage")).to_have_text("Published")
        record = page2.locator(".desk-record")
        expect(record).to_contain_text("Approved → Published")
        expect(record).to_contain_text("In review → Draft")
        # readers see it
        slug_link = page2.evaluate("location.pathname")
        assert slug_link.endswith("/review/")
        page2.goto(desk_site + "/desk/?stage=published&q=" + width)
        expect(page2.get_by_role("link", name=title)).to_be_visible()
    finally:
        analyst.close()
        editor.close()


MAP_LAYERS = """{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "Held by the militants", "fill": "#b5651d"},
   "geometry": {"type": "Polygon", "coordinates": [[[43.4, 35.3], [44.1, 35.3], [44.1, 35.8],
   [43.4, 35.8], [43.4, 35.3]]]}},
  {"type": "Feature", "properties": {"name": "Advance from Kirkuk", "arrow": true},
   "geometry": {"type": "LineString", "coordinates": [[44.39, 35.47], [43.75, 35.55]]}}
]}"""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_build_a_map_figure_with_its_layers_checked_as_typed(
    browser, desk_site, screenshots, width
):
    from playwright.sync_api import expect

    analyst = Desk(browser, desk_site, width, screenshots)
    try:
        page = analyst.page
        analyst.sign_in("ana")
        page.get_by_role("link", name="New piece").click()
        page.get_by_label("Title").fill(f"Kirkuk: Lines on the Map ({width})")
        page.get_by_role("button", name="Start writing").click()
        page.wait_for_url("**/desk/*/")
        edit_url = page.url
        page.get_by_label("Body (Markdown)").fill(BODY)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".messages")).to_contain_text("Saved")

        page.get_by_role("link", name="Upload an image or build a map").click()
        page.wait_for_url("**/figures/")
        form = page.locator("#map-form")
        expect(form.get_by_role("button", name="Check and preview")).to_be_hidden()  # live
        form.get_by_label("Caption").fill("The push toward Hawija")
        layers = form.get_by_label("Layers (GeoJSON)")
        # a line with one position: the problem is named with its line, as it is typed
        layers.fill(MAP_LAYERS.replace("[[44.39, 35.47], [43.75, 35.55]]", "[[44.39, 35.47]]"))
        problem = form.locator("[data-problems] li")
        expect(problem).to_have_count(1)
        expect(problem).to_contain_text("line 5: feature 2 ('Advance from Kirkuk')")
        problem.get_by_role("button", name="line 5").click()  # the caret goes to that line
        caret = layers.evaluate("el => el.value.slice(0, el.selectionStart).split('\\n').length")
        assert caret == 5
        # the usable area is drawn meanwhile; fixed, the arrow is drawn too
        preview = form.locator("[data-map-preview] svg:visible")  # wide or phone drawing
        expect(preview).to_contain_text("Held by the militants")
        analyst.shot("figures-problem")
        form.screenshot(path=screenshots / f"desk-map-form-problem-{width}.png")
        layers.fill(MAP_LAYERS)
        expect(problem).to_have_count(0)
        expect(form.locator("[data-ok]")).to_contain_text("No problems")
        expect(preview).to_contain_text("Advance from Kirkuk")
        analyst.shot("figures")
        form.get_by_role("button", name="Save map figure").click()
        expect(page.locator(".messages")).to_contain_text(
            "Map the-push-toward-hawija saved and placed in the text"
        )
        page.goto(edit_url)
        expect(page.get_by_label("Body (Markdown)")).to_have_value(
            re.compile(r"\{\{figure the-push-toward-hawija\}\}\s*$")
        )
        figure = page.locator("#preview figure.figure-map")
        expect(figure.locator("svg:visible")).to_contain_text("Held by the militants")
        expect(figure.locator("figcaption")).to_contain_text("The push toward Hawija")
        analyst.shot("editor-with-map")
    finally:
        analyst.close()
