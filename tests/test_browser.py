"""A reader's walk through the real site in headless Chromium.

The server is the one operators run: `geopol demo` into a fresh data dir, then `geopol serve`
(granian + whitenoise, DEBUG off). The walk: home page, the lead story, a country chip,
the header search box, at a desktop and a phone viewport, and once with JavaScript off.
Full-page screenshots land in test-artifacts/screenshots/ for a human to look at.

No database fixtures here on purpose: Playwright's sync API runs an event loop, and the
site's data lives in the server's own data dir anyway.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# "Jan 11, 2013 | 18:09 GMT", the seed page's style.
DATELINE = re.compile(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4} \| \d{2}:\d{2} GMT\b")
READING_TIME = re.compile(r"\b(?:1 min|[2-9] mins|[1-9]\d+ mins) read\b")
SEARCH_QUERY = "Mali"
# A header that eats the top of a phone screen is what readers notice first.
MAX_HEADER = {"desktop": 90, "phone": 120}
STARTUP_SECONDS = 60


def _unavailable(reason: str) -> None:
    """Skip, unless GEOPOL_REQUIRE_BROWSER=1 says a missing browser is a failure (CI)."""
    if os.environ.get("GEOPOL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (GEOPOL_REQUIRE_BROWSER=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None
    path = path or shutil.which("chromium")
    if not path:
        _unavailable("Chromium not found at /usr/bin/chromium or as `chromium` on PATH")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(data_dir: Path) -> dict[str, str]:
    """The production settings on a throw-away SQLite data dir, whatever pytest set for itself."""
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "GEOPOL_TESTING", "DATABASE_URL", "GEOPOL_DEBUG"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="geopol.settings",
        GEOPOL_DATA_DIR=str(data_dir),
        GEOPOL_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_answering(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`geopol serve` exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # poll interval, not a wait for something specific
    pytest.fail(f"`geopol serve` did not answer {url} in {STARTUP_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("geopol-browser")


@pytest.fixture(scope="module")
def site(chromium_path: str, data_dir: Path) -> Iterator[str]:
    """Base URL of a real `geopol serve` over the demo corpus; stopped after the module."""
    env = _server_env(data_dir)
    cli = [sys.executable, "-m", "geopol.cli", "--data-dir", str(data_dir)]
    demo = subprocess.run(
        [*cli, "demo"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert demo.returncode == 0, f"`geopol demo` failed:\n{demo.stdout}\n{demo.stderr}"

    port = _free_port()
    log = data_dir / "serve.log"
    with log.open("w") as out:
        # A session of its own, so the server's main process and its workers die together.
        proc = subprocess.Popen(
            [*cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(base + "/", proc, log)
        yield base
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class Reader:
    """One browser context at one viewport; collects broken responses as it goes."""

    def __init__(self, browser, base: str, viewport: str, shots: Path, javascript: bool = True):
        self.base = base
        self.viewport = viewport
        self.shots = shots
        self.suffix = viewport if javascript else f"nojs-{viewport}"
        self.context = browser.new_context(
            viewport=VIEWPORTS[viewport], java_script_enabled=javascript, locale="en-US"
        )
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.broken: list[str] = []
        self.page.on("response", self._note_broken)
        self.page.on("console", self._note_csp)

    def _note_csp(self, message) -> None:
        # Chromium reports what the Content-Security-Policy blocked on the console
        if "Content Security Policy" in message.text:
            self.broken.append(f"CSP: {message.text}")

    def _note_broken(self, response) -> None:
        if response.status >= 400:
            self.broken.append(f"{response.status} {response.url}")

    def check_page(self, name: str) -> None:
        """What holds on every page: no broken requests, styled, no sideways scroll on a phone."""
        self.page.wait_for_load_state("load")
        assert not self.broken, f"{name}: failed requests {self.broken}"
        styled = self.page.evaluate(
            "[...document.styleSheets].some(sheet => sheet.cssRules.length > 0)"
        )
        assert styled, f"{name}: the stylesheet did not load"
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[self.viewport]["width"], (
            f"{name} scrolls sideways at {self.viewport}: content {width}px wide"
        )
        self.page.screenshot(path=self.shots / f"{name}-{self.suffix}.png", full_page=True)

    def close(self) -> None:
        self.context.close()


def _read_home_then_lead_article(reader: Reader) -> str:
    from playwright.sync_api import expect

    page = reader.page
    page.goto(reader.base + "/")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Geopol")).to_be_visible()
    expect(header.get_by_text("Regions & Countries")).to_be_visible()
    expect(header.get_by_role("searchbox")).to_be_visible()
    header_height = header.bounding_box()["height"]
    assert header_height <= MAX_HEADER[reader.viewport], (
        f"the header is {header_height}px tall at {reader.viewport}"
    )
    lead = page.get_by_role("heading", level=1).get_by_role("link")
    expect(lead).to_be_visible()
    title = lead.inner_text().strip()
    assert title
    reader.check_page("home")

    lead.click()
    page.wait_for_url("**/articles/**")
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_count(1)
    expect(h1).to_have_text(title)
    expect(page).to_have_title(re.compile(re.escape(title)))
    header_text = page.locator("main article > header").inner_text()
    assert DATELINE.search(header_text), (
        f"no 'Jan 11, 2013 | 18:09 GMT' dateline in {header_text!r}"
    )
    assert READING_TIME.search(header_text), f"no 'N mins read' label in {header_text!r}"
    connected = page.get_by_role("region", name="Connected Content")
    expect(connected.get_by_role("heading", name="Connected Content")).to_be_visible()
    expect(connected.get_by_role("link").first).to_be_visible()
    places = page.get_by_role("region", name="Regions & Countries")
    expect(places.get_by_role("heading", name="Regions & Countries")).to_be_visible()
    expect(places.locator("a[href*='/countries/']").first).to_be_visible()
    reader.check_page("article")
    return title


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_reader_walks_home_article_country_search(browser, site, screenshots, viewport):
    from playwright.sync_api import expect

    reader = Reader(browser, site, viewport, screenshots)
    page = reader.page
    try:
        title = _read_home_then_lead_article(reader)

        chip = page.get_by_role("region", name="Regions & Countries").locator(
            "a[href*='/countries/']"
        )
        country = chip.first.inner_text().strip()
        chip.first.click()
        page.wait_for_url("**/countries/**")
        expect(page.get_by_role("heading", level=1)).to_have_text(country)
        expect(page.locator("main article").first).to_be_visible()
        # The story we came from is tagged with this country, so it is listed here.
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
        reader.check_page("country")

        box = page.get_by_role("banner").get_by_role("searchbox")
        box.fill(SEARCH_QUERY)
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q=" + SEARCH_QUERY))
        expect(page.get_by_role("heading", level=1)).to_have_text("Article Search")
        expect(page.get_by_text(re.compile(r"\d+ results? for"))).to_be_visible()
        marks = page.locator("main mark")
        expect(marks.first).to_be_visible()
        assert marks.first.inner_text().lower().startswith(SEARCH_QUERY.lower())
        if "CSP" in " ".join(reader.broken):
            pytest.fail(f"the Content-Security-Policy blocked something: {reader.broken}")
        expect(page.locator("main").get_by_role("searchbox")).to_have_value(SEARCH_QUERY)
        reader.check_page("search")

        # The first hit is a public analysis with a map figure: the body is there to read.
        page.locator("main").get_by_role("heading", level=2).get_by_role("link").first.click()
        page.wait_for_url("**/articles/**")
        expect(page.get_by_role("heading", level=1)).to_contain_text(SEARCH_QUERY)
        expect(page.locator("main .article-body p").nth(3)).to_be_visible()
        figure = page.locator("main article figure").first
        expect(figure.locator("figcaption")).not_to_be_empty()
        height = figure.bounding_box()["height"]
        assert height < VIEWPORTS[viewport]["height"] * 0.5, (
            f"the map figure takes {height}px of a {viewport} screen"
        )
        reader.check_page("result")

        # The server drew the map as SVG; with JavaScript it becomes a pan-and-zoom map
        # over Geopol's own country outlines (no tile server).
        # (drawn twice, wide and for phones: one of the two is shown)
        expect(figure.locator(":scope > svg:visible")).to_have_count(1)
        figure.get_by_role("button", name="Explore this map").click()
        expect(figure.locator(".leaflet-container")).to_be_visible(timeout=15_000)
        assert figure.locator(".leaflet-overlay-pane path").count() > 20
        expect(figure.locator(":scope > svg:visible")).to_have_count(0)
        # Leaflet under the Content-Security-Policy: nothing blocked
        assert not [b for b in reader.broken if b.startswith("CSP")], reader.broken
        page.screenshot(path=screenshots / f"leaflet-{viewport}.png", full_page=False)
    finally:
        reader.close()


def test_reading_works_without_javascript(browser, site, screenshots):
    from playwright.sync_api import expect

    reader = Reader(browser, site, "phone", screenshots, javascript=False)
    page = reader.page
    try:
        _read_home_then_lead_article(reader)

        # The Regions & Countries menu is a <details>: it opens without a script.
        header = page.get_by_role("banner")
        menu_link = header.get_by_role("link", name="All countries")
        expect(menu_link).to_be_hidden()
        header.get_by_text("Regions & Countries").click()
        expect(menu_link).to_be_visible()
        expect(header.get_by_role("link", name="Sub-Saharan Africa")).to_be_visible()
        reader.check_page("menu")

        menu_link.click()
        page.wait_for_url("**/regions/")
        expect(page.get_by_role("link", name="Mali", exact=True)).to_be_visible()
        reader.check_page("regions")
    finally:
        reader.close()


def test_interactive_map_labels_are_text_not_html(browser, site):
    """Labels come from editors' layers and the geoparser: the Leaflet tooltip must show
    them as text. The map data is replaced in flight by a hostile label."""
    import json as json_module

    hostile = '<img src=x onerror="window.__pwned = true">'
    data = {
        "type": "FeatureCollection",
        "bbox": [-10.0, 10.0, 0.0, 20.0],
        "primary": ["ML"],
        "secondary": [],
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-4.1, 14.5]},
                "properties": {"role": "place", "label": hostile},
            }
        ],
    }
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    try:
        page.route(
            "**/api/v1/articles/*/map*",
            lambda route: route.fulfill(
                status=200, content_type="application/json", body=json_module.dumps(data)
            ),
        )
        page.goto(site + "/")
        page.get_by_role("heading", level=1).get_by_role("link").click()
        page.wait_for_url("**/articles/**")
        figure = page.locator("figure[data-map]").first
        figure.get_by_role("button", name="Explore this map").click()
        marker = figure.locator(".leaflet-overlay-pane path.leaflet-interactive").last
        marker.wait_for(state="attached", timeout=15_000)
        marker.hover(force=True)
        tooltip = page.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=5_000)
        assert tooltip.inner_text() == hostile
        assert tooltip.locator("img").count() == 0
        assert page.evaluate("window.__pwned === undefined")
    finally:
        context.close()


def test_member_narrows_a_search_with_suggestions_facets_and_chips(browser, site, screenshots):
    from playwright.sync_api import expect

    reader = Reader(browser, site, "desktop", screenshots)
    page = reader.page
    try:
        page.goto(site + "/search/")
        box = page.locator("main").get_by_role("searchbox")
        box.press_sequentially("ansar d", delay=40)
        option = page.get_by_role("option").filter(has_text="Ansar Dine")
        expect(option).to_be_visible()
        reader.check_page("search-suggestions")
        option.get_by_role("link").click()
        page.wait_for_url("**/actors/ansar-dine/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ansar Dine")

        page.goto(site + "/search/?q=security")
        count = page.locator(".result-count")
        before = int(re.search(r"[\d,]+", count.inner_text())[0].replace(",", ""))
        facet = page.locator(".facets").get_by_role("link").first
        facet_label = facet.inner_text().strip()
        facet.click()
        chip = page.locator(".chips a", has_text=facet_label)
        expect(chip).to_be_visible()
        after = int(re.search(r"[\d,]+", count.inner_text())[0].replace(",", ""))
        assert 0 < after < before
        reader.check_page("search-facet")
        chip.click()
        expect(page.locator(".chips")).to_have_count(0)
        assert int(re.search(r"[\d,]+", count.inner_text())[0].replace(",", "")) == before
    finally:
        reader.close()


def _mail_link(data_dir: Path, to: str, marker: str) -> str:
    """The newest link containing `marker` in an email to `to`, as the file backend wrote it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for path in sorted((data_dir / "mail").glob("*.log"), key=lambda p: p.stat().st_mtime)[
            ::-1
        ]:
            text = path.read_text()
            if f"To: {to}" in text:
                links = [u for u in re.findall(r"https?://[^\s\"<>]+", text) if marker in u]
                if links:
                    return links[-1]
        time.sleep(0.2)  # the email is written by another process
    pytest.fail(f"no email to {to} with a {marker} link in {data_dir / 'mail'}")


def test_reader_signs_up_verifies_signs_out_and_in(browser, site, data_dir, screenshots):
    """The account pages in the site's layout, with Secure cookies over http://127.0.0.1 (the
    production settings), CSRF and the Content-Security-Policy in force."""
    from playwright.sync_api import expect

    reader = Reader(browser, site, "desktop", screenshots)
    page = reader.page
    email, password = "browser.reader@example.org", "a long walk in the Sahel 42"
    try:
        page.goto(site + "/")
        page.get_by_role("banner").get_by_role("link", name="Sign in").click()
        page.wait_for_url("**/accounts/login/**")
        reader.check_page("sign-in")
        page.goto(site + "/accounts/signup/")
        page.get_by_placeholder("Email address").fill(email)
        page.get_by_placeholder("Password", exact=True).fill(password)
        page.get_by_placeholder("Password (again)").fill(password)
        page.get_by_role("button", name="Sign Up").click()
        page.wait_for_url("**/accounts/confirm-email/")
        reader.check_page("verify-email")

        page.goto(_mail_link(data_dir, email, "/accounts/confirm-email/"))
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url("**/account/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
        expect(page.get_by_text("Registered reader (free)")).to_be_visible()
        reader.check_page("account")

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
        page.goto(site + "/accounts/login/?next=/regions/")
        page.get_by_placeholder("Email address").fill(email)
        page.get_by_placeholder("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url("**/regions/")
        expect(page.get_by_role("banner").get_by_role("link", name="Your account")).to_be_visible()
        page.goto(site + "/membership/")
        reader.check_page("membership")
    finally:
        reader.close()
