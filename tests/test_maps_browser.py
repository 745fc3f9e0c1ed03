"""Maps as a reader meets them in Chromium: readable on a phone, and a way to the pages they
show. A real `geopol serve` over the demo corpus (the fixtures of tests/test_browser.py)."""

from __future__ import annotations

import re

import pytest

from tests.test_browser import (  # the same server and browser fixtures as the reader's walk
    browser,
    chromium_path,
    data_dir,
    screenshots,
    site,
)

pytestmark = pytest.mark.browser
__all__ = ["browser", "chromium_path", "data_dir", "screenshots", "site"]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MALI_PIECE = "/articles/mali-jihadist-push-on-konna-draws-french-firepower-into-the-centre/"

# The rendered size of every text of the maps shown: its font size in the SVG's units times
# the scale at which the SVG is drawn (its shown width over its viewBox's).
RENDERED_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll("svg.geomap")) {
    const shown = svg.getBoundingClientRect();
    if (shown.width === 0) { continue; }
    const scale = shown.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) {
      if (text.getBoundingClientRect().width === 0) { continue; }
      out.push([text.textContent, parseFloat(getComputedStyle(text).fontSize) * scale]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["/", MALI_PIECE, "/countries/mali/"])
def test_map_text_is_at_least_11_px_on_a_phone(browser, site, screenshots, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(site + path)
        texts = page.evaluate(RENDERED_TEXT)
        assert len(texts) >= 5, f"{path}: the map shown on a phone has hardly any text: {texts}"
        smallest = min(texts, key=lambda t: t[1])
        assert smallest[1] >= 11.0, f"{path}: {smallest[0]!r} is {smallest[1]:.1f} px"
        name = path.strip("/").split("/")[0] or "home"
        page.locator("figure.figure-map").first.screenshot(
            path=str(screenshots / f"map-{name}-phone.png")
        )
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_clicking_a_country_on_the_map_opens_its_page(browser, site, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(site + MALI_PIECE)
        # the country's name on the map, as a reader would tap it
        page.locator("svg.geomap:visible a text", has_text=re.compile("^MALI$")).first.click()
        page.wait_for_url("**/countries/mali/")
        assert page.get_by_role("heading", level=1).inner_text() == "Mali"
    finally:
        context.close()


def test_map_links_are_keyboard_reachable_and_named(browser, site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site + MALI_PIECE)
        names = page.evaluate(
            """() => [...document.querySelectorAll("svg.geomap a")]
                 .filter(a => a.getBoundingClientRect().width > 0 && a.tabIndex >= 0)
                 .map(a => a.getAttribute("aria-label"))"""
        )
        assert "Mali" in names and "Mopti" in names, names
        first = page.locator("svg.geomap:visible a[aria-label]").first
        first.focus()
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == names[0]
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: url != site + MALI_PIECE)
    finally:
        context.close()


def test_home_map_shades_the_countries_of_recent_analyses(browser, site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site + "/")
        section = page.locator("section.home-map")
        legend = section.locator("svg.geomap:visible .geomap-legend")
        assert "analys" in (legend.text_content() or "")
        country = section.locator("svg.geomap:visible a[aria-label]").first
        label = country.get_attribute("aria-label")
        country.click()
        page.wait_for_url("**/countries/**")
        assert page.get_by_role("heading", level=1).inner_text() == label
    finally:
        context.close()


def test_explore_view_labels_places_and_clicks_through(browser, site):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site + MALI_PIECE)
        figure = page.locator("figure[data-map]").first
        figure.get_by_role("button", name="Explore this map").click()
        labels = figure.locator(".leaflet-tooltip.map-label")
        labels.first.wait_for(timeout=15_000)
        shown = [t for t in labels.all_inner_texts() if t]
        assert "Mopti" in shown, shown
        figure.locator(".leaflet-tooltip.map-label", has_text="Mopti").click()
        page.wait_for_url("**/search/**")
        assert "Mopti" in page.url
    finally:
        context.close()
