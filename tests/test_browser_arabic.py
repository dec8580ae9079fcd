"""The public pages in Arabic in a real browser (Playwright and Debian's Chromium, as in tests/test_browser.py).

At a desktop's width and a phone's, the Tetrapylon page and the search page under /ar/ must read right to left as a
whole (the navigation, the timeline, the text), show no interface text left in English, and keep Latin names inside
Arabic sentences in their own order. Full-page screenshots go to test-artifacts/arabic/. An English page is the
control: the same checks pass the other way round.

The map runs offline here (no tile server): a tile provider's attribution is the operator's own HTML, in whatever
language the operator writes it, and is no interface text of the register's.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import test_browser
from tests.test_browser import CHROMIUM

# The browser, its tabs and the Palmyra data, as the other browser tests have them.
browser = test_browser.browser
visit = test_browser.visit
palmyra = test_browser.palmyra

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "arabic"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
WIDTHS = [pytest.param(DESKTOP, "desktop", id="desktop"), pytest.param(PHONE, "phone", id="phone")]
# Codes and names of standards that stay in Latin letters in the Arabic interface too (the glossary's list).
LATIN_CODES = {
    "EDTF", "API", "CSV", "JSON", "GeoJSON", "Atom", "URL", "UNESCO", "EAMENA", "UNITAR", "UNOSAT", "Wikidata",
    "ISCR", "WGS", "SHA", "BibTeX", "RIS",
}  # fmt: skip
# A word of three Latin letters or more; letters within a code of digits too ("23bis", a digest) are no word.
LATIN_WORD = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{3,}(?![0-9A-Za-z])")
ARABIC = re.compile(r"[\u0600-\u06FF]")
ARABIC_PAGES = ["/ar/monuments/tetrapylon/", "/ar/monuments/palmyra/", "/ar/search/?q=Tetrapylon", "/ar/search/?q=تدمر"]

# Every text node the reader is shown (hidden ones and scripts left out) and every placeholder, each with: the
# language it is marked as (the nearest lang attribute above it); whether it is data from the records rather than
# interface text (inside an element marked with its own direction, as the templates mark names, titles, quotes and
# snippets, or inside code); and, for text inside a block that has Arabic in it, the innermost element between them
# that isolates its direction (bdi, a dir attribute, unicode-bidi: isolate), if any.
TEXTS = """root => {
    const found = [];
    const arabic = /[\\u0600-\\u06FF]/;
    const shown = element => element.checkVisibility({ visibilityProperty: true, opacityProperty: false });
    const isBlock = element => !getComputedStyle(element).display.startsWith('inline');
    const isolates = element => ['isolate', 'isolate-override', 'plaintext'].includes(
        getComputedStyle(element).unicodeBidi);
    const describe = (text, element, where) => {
        let block = element, isolate = null;
        while (block.parentElement && !isBlock(block)) {
            if (!isolate && isolates(block)) isolate = block;
            block = block.parentElement;
        }
        return {
            text, where,
            language: (element.closest('[lang]')?.getAttribute('lang') || '').toLowerCase(),
            isData: Boolean(element.closest('bdi, code, pre, samp, kbd'))
                || element.closest('[dir]') !== document.documentElement,
            inArabicBlock: arabic.test(block.textContent),
            isolate: isolate && { text: isolate.textContent.trim(), hasArabic: arabic.test(isolate.textContent) },
        };
    };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        const text = node.textContent.trim();
        if (!text || element.closest('script, style, template, noscript') || !shown(element)) continue;
        found.push(describe(text, element, element.outerHTML.slice(0, 160)));
    }
    for (const element of root.querySelectorAll('[placeholder]')) {
        if (shown(element)) found.push(describe(element.placeholder, element, 'placeholder of ' + element.outerHTML));
    }
    return found;
}"""


def latin_words(text: str) -> list[str]:
    return [word for word in LATIN_WORD.findall(text) if word not in LATIN_CODES]


def is_arabic(language: str) -> bool:
    return language == "ar" or (language.startswith("ar-") and "latn" not in language)


def english_left(scope) -> list[str]:
    """Return every run of Latin letters shown as interface text in an Arabic page's ``scope`` (not data or a code)."""
    return [
        f"{' '.join(latin_words(item['text']))!r} in {item['text'][:80]!r} ({item['where']})"
        for item in scope.evaluate(TEXTS)
        if is_arabic(item["language"]) and not item["isData"] and latin_words(item["text"])
    ]


def out_of_order(scope) -> list[str]:
    """Return Latin text inside Arabic sentences that is not isolated on its own, so it may reorder the sentence.

    A name must stand in an isolate of its own (bdi, dir="auto"): an isolate that holds Arabic words as well is laid
    out by its first strong letter, a Latin one, and the Arabic sentence in it reads left to right.
    """
    return [
        f"{item['text'][:60]!r} ({item['where']})"
        for item in scope.evaluate(TEXTS)
        if item["inArabicBlock"]
        and latin_words(item["text"])
        and (item["isolate"] is None or item["isolate"]["hasArabic"])
    ]


def boxes(page, selector: str) -> list[dict]:
    return [element.bounding_box() for element in page.locator(selector).all()]


def assert_reads(page, direction: str):
    """Assert the page as a whole reads in ``direction``: its root, its main text, its navigation and timeline."""
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar" if direction == "rtl" else "en",
        direction,
    ]
    assert page.eval_on_selector("main", "el => getComputedStyle(el).direction") == direction
    items = boxes(page, "header.site nav ul li")
    # On a phone the list wraps: compare the first item with the last one in its row.
    row = [box for box in items if abs(box["y"] - items[0]["y"]) < 1]
    assert len(row) > 1
    first, last = row[0], row[-1]
    if direction == "rtl":
        assert first["x"] > last["x"] + last["width"] - 1, "the navigation's first item stands rightmost"
    else:
        assert first["x"] + first["width"] < last["x"] + 1, "the navigation's first item stands leftmost"


def year_boxes(page) -> list[tuple[str, dict]]:
    return [
        (text.text_content(), text.bounding_box())
        for text in page.locator("svg.timeline g.tick text").all()
        if text.text_content().isdigit()
    ]


def assert_fits(page, width: int):
    """Assert nothing overflows the viewport sideways, and the timeline and its legend are drawn whole inside it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    drawing = page.locator("svg.timeline").bounding_box()
    assert drawing["x"] >= 0 and drawing["x"] + drawing["width"] <= width
    for text in page.locator("svg.timeline text").all():
        label = text.bounding_box()
        assert drawing["x"] - 0.5 <= label["x"], text.text_content()
        assert label["x"] + label["width"] <= drawing["x"] + drawing["width"] + 0.5, text.text_content()
    for item in page.locator(".timeline-legend li").all():
        legend = item.bounding_box()
        assert legend["x"] >= 0 and legend["x"] + legend["width"] <= width, item.inner_text()


def screenshot(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def offline(settings):
    settings.MAP_TILE_URL = ""


@pytest.mark.parametrize(("size", "name"), WIDTHS)
def test_the_tetrapylon_page_reads_right_to_left_in_arabic(palmyra, offline, visit, size, name):
    tab = visit(locale="ar", **size)
    page = tab.open("/ar/monuments/tetrapylon/")
    assert_reads(page, "rtl")
    years = year_boxes(page)
    (first_year, first), (last_year, last) = years[0], years[-1]
    assert int(first_year) < int(last_year)
    assert first["x"] > last["x"] + last["width"], "time runs right to left: the first year at the right"
    today = page.locator("svg.timeline g.today text").bounding_box()
    assert today["x"] < first["x"], "today stands towards the left end"
    assert_fits(page, size["viewport"]["width"])
    screenshot(page, f"tetrapylon-{name}")
    assert tab.foreign_requests() == set()


def test_names_in_latin_inside_arabic_sentences_keep_their_own_order(palmyra, offline, visit):
    tab = visit(locale="ar", **DESKTOP)
    page = tab.open("/ar/monuments/tetrapylon/")
    # The site a part belongs to, named in the sentence under the heading, in an isolate of its own.
    lead = page.locator("p.lead")
    assert ARABIC.search(lead.inner_text())
    assert lead.get_by_text("Palmyra", exact=True).evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"


@pytest.mark.parametrize("path", ARABIC_PAGES)
def test_no_interface_text_is_left_in_english(palmyra, offline, visit, path):
    tab = visit(locale="ar", **DESKTOP)
    page = tab.open(path)
    assert english_left(page.locator("body")) == []


@pytest.mark.parametrize("path", ARABIC_PAGES)
def test_latin_text_inside_arabic_sentences_stands_in_an_isolate_of_its_own(palmyra, offline, visit, path):
    tab = visit(locale="ar", **DESKTOP)
    page = tab.open(path)
    assert out_of_order(page.locator("body")) == []


def test_the_map_is_in_arabic_with_its_controls_mirrored_and_names_kept_in_their_direction(palmyra, offline, visit):
    # The Tetrapylon has no coordinates of its own: Palmyra's map shows the site.
    tab = visit(locale="ar", **DESKTOP)
    page = tab.open("/ar/monuments/palmyra/")
    page.wait_for_selector("#monument-map[data-basemap-ready='true']")
    map_box = page.locator("#monument-map").bounding_box()
    zoom = page.locator("#monument-map .leaflet-control-zoom").bounding_box()
    assert zoom["x"] > map_box["x"] + map_box["width"] / 2, "the zoom buttons stand on the start side, the right"
    attribution = page.locator("#monument-map .leaflet-control-attribution").bounding_box()
    assert attribution["x"] < map_box["x"] + map_box["width"] / 2, "the attribution stands at the end, the left"
    for control in page.locator("#monument-map .leaflet-control-zoom a").all():
        assert ARABIC.search(control.get_attribute("title"))
    assert english_left(page.locator("figure.map-figure")) == []
    marker = page.locator("#monument-map .leaflet-marker-icon[data-slug='palmyra']")
    assert ARABIC.search(marker.get_attribute("aria-label"))
    marker.click()
    popup = page.locator("#monument-map .leaflet-popup-content")
    assert popup.locator("a bdi").inner_text() == "Palmyra"
    assert popup.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert LATIN_WORD.findall(popup.inner_text().replace("Palmyra", "")) == []
    close = page.locator("#monument-map .leaflet-popup-close-button")
    assert ARABIC.search(close.get_attribute("aria-label"))
    assert close.bounding_box()["x"] < popup.bounding_box()["x"], "the close button stands at the end, the left"


@pytest.mark.parametrize(("size", "name"), WIDTHS)
def test_the_search_page_reads_right_to_left_in_arabic(palmyra, offline, visit, size, name):
    tab = visit(locale="ar", **size)
    for query in ("Tetrapylon", "تدمر"):
        page = tab.open(f"/ar/search/?q={query}")
        assert_reads(page, "rtl")
        assert page.locator("section[aria-labelledby='monument-results'] a").count() > 0, query
        assert page.evaluate("document.documentElement.scrollWidth") <= size["viewport"]["width"]
    screenshot(page, f"search-{name}")
    assert tab.foreign_requests() == set()


def test_the_english_page_reads_left_to_right_as_the_control(palmyra, offline, visit):
    tab = visit(locale="en-GB", **DESKTOP)
    page = tab.open("/en/monuments/tetrapylon/")
    assert_reads(page, "ltr")
    years = year_boxes(page)
    assert years[0][1]["x"] + years[0][1]["width"] < years[-1][1]["x"], "time runs left to right"
    assert_fits(page, 1280)
    screenshot(page, "tetrapylon-english-desktop")
    page = tab.open("/en/monuments/palmyra/")
    page.wait_for_selector("#monument-map[data-ready='true']")
    zoom = page.locator("#monument-map .leaflet-control-zoom").bounding_box()
    map_box = page.locator("#monument-map").bounding_box()
    assert zoom["x"] < map_box["x"] + map_box["width"] / 2, "the zoom buttons stand on the start side, the left"
