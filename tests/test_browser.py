"""The public pages in a real browser: Debian's Chromium driven by Playwright against a live server.

Every request a page makes is recorded; anything bound for another origin is
answered with a network error at once (map tiles are the only such requests
allowed, and no tile server is reachable in the test), so the map must show its
markers on a plain background. Screenshots are saved to test-artifacts/screenshots/.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from register.models import Evidence, Incident, Monument

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with pytest.MonkeyPatch.context() as patch, sync_api.sync_playwright() as playwright:
        # Playwright's sync API keeps an event loop running in this thread while the tests' own database
        # calls (loading the fixture, counting rows) stay synchronous; Django refuses those unless told.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def palmyra(live_server):
    call_command("loaddata", "palmyra", verbosity=0)
    # As make run does: which events are public, and the conditions, are stored from the evidence just loaded.
    call_command("refresh_conditions", verbosity=0)


class Visit:
    """A browser tab on the live server that records every request and keeps all but tiles at home."""

    def __init__(self, browser, origin: str, **context_options):
        self.origin = origin
        self.requests: list[str] = []
        context_options.setdefault("locale", "en-GB")
        self.context = browser.new_context(**context_options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    def open(self, path: str):
        response = self.page.goto(self.origin + path)
        assert response.status == 200, path
        return self.page

    def foreign_requests(self) -> set[str]:
        return {urlsplit(url).hostname for url in self.requests if not url.startswith(self.origin + "/")}

    def screenshot(self, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def visit(browser, live_server):
    visits = []

    def open_visit(**context_options):
        visits.append(Visit(browser, live_server.url, **context_options))
        return visits[-1]

    yield open_visit
    for made in visits:
        made.context.close()


def tile_hosts() -> set[str]:
    return {urlsplit(settings.MAP_TILE_URL).hostname} if settings.MAP_TILE_URL else set()


def test_home_page_shows_the_register_and_its_map_markers_without_tiles(palmyra, visit):
    tab = visit()
    page = tab.open("/")
    assert page.title() == "Heritage Damage Register"
    assert page.locator("h1").inner_text() == "Heritage Damage Register"
    page.wait_for_selector("#home-map[data-ready='true']")
    located = Monument.objects.filter(latitude__isnull=False).count()
    assert page.locator("#home-map .leaflet-marker-icon").count() == located > 0
    assert page.locator("#home-map .leaflet-marker-icon").first.is_visible()
    # The map stands on its own plain background when no tile arrives.
    assert page.eval_on_selector("#home-map", "el => getComputedStyle(el).backgroundColor") == "rgb(228, 235, 238)"
    tab.screenshot("home")
    assert tab.foreign_requests() <= tile_hosts()


def test_a_map_marker_opens_a_popup_linking_to_its_monument_from_the_keyboard(palmyra, visit):
    tab = visit()
    page = tab.open("/")
    page.wait_for_selector("#home-map[data-ready='true']")
    marker = page.locator("#home-map .leaflet-marker-icon[data-slug='roman-theatre']")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator("#home-map .leaflet-popup-content a")
    assert link.inner_text() == "Roman Theatre"
    assert link.get_attribute("href").endswith("/monuments/roman-theatre/")


def test_monument_page_shows_condition_timeline_and_quotes(palmyra, visit):
    tab = visit()
    page = tab.open("/monuments/tetrapylon/")
    assert page.title() == "Tetrapylon · Heritage Damage Register"
    assert page.locator("#condition").inner_text() == "destroyed"
    assert page.locator("svg.timeline a.event").count() == 1
    assert page.locator("svg.timeline rect.bar.window").is_visible()
    assert page.locator(".event figure.evidence blockquote").count() == 3
    assert page.locator(".names [lang='ar'][dir='rtl']").first.inner_text() == "التترابيل"
    assert "@misc{hdr-monument-tetrapylon," in page.locator("#citation-bibtex").text_content()
    tab.screenshot("monument-tetrapylon")
    assert tab.foreign_requests() <= tile_hosts()


def test_following_a_quote_opens_its_article_with_the_passage_highlighted(palmyra, visit):
    tab = visit()
    page = tab.open("/monuments/tetrapylon/")
    quote = page.locator(".event figure.evidence").first
    evidence_id = quote.get_attribute("id")
    quoted = quote.locator("blockquote").inner_text()
    quote.locator("figcaption a").click()
    page.wait_for_url(re.compile(rf"/articles/\d+/#{evidence_id}$"))
    mark = page.locator(f"mark#{evidence_id}")
    assert mark.is_visible()
    assert quoted.startswith(mark.inner_text())
    # The passage the reader came for stands out from the other highlights (:target).
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 201, 77)"
    assert mark.evaluate("el => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < innerHeight")
    tab.screenshot("article-highlighted-quote")


def test_searching_an_arabic_name_finds_the_monument(palmyra, visit):
    tab = visit()
    page = tab.open("/")
    page.get_by_role("searchbox", name="Search monuments, incidents and articles").fill("تدمر")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    results = page.locator("section[aria-labelledby='monument-results'] a")
    assert "Palmyra" in results.all_inner_texts()
    tab.screenshot("search-arabic")
    results.get_by_text("Palmyra", exact=True).click()
    page.wait_for_url(re.compile(r"/monuments/palmyra/$"))
    assert page.locator("h1").inner_text() == "Palmyra"


def test_the_keyboard_reaches_the_content_first_and_every_quote_link(palmyra, visit):
    tab = visit()
    page = tab.open("/monuments/roman-theatre/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    links = page.locator(".evidence figcaption a")
    assert links.count() == Evidence.objects.filter(incident__monument__slug="roman-theatre").count()
    for index in range(links.count()):
        assert links.nth(index).evaluate("el => el.tabIndex") == 0


def test_pages_fit_a_phone_screen(palmyra, visit):
    tab = visit(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True)
    for path, name in (("/", "home-phone"), ("/monuments/palmyra/", "monument-palmyra-phone"), ("/incidents/", None)):
        page = tab.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        if name:
            tab.screenshot(name)
    assert tab.foreign_requests() <= tile_hosts()


def test_an_arabic_reader_gets_the_pages_right_to_left(palmyra, visit):
    tab = visit(locale="ar")
    page = tab.open("/monuments/palmyra/")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab.screenshot("monument-palmyra-arabic-reader")


def test_incident_filters_report_a_malformed_date_in_the_page(palmyra, visit):
    tab = visit()
    page = tab.open("/incidents/?occurred_after=not-a-date")
    assert "Enter a valid date." in page.locator("form.filters").inner_text()
    page = tab.open("/incidents/?monument=palmyra")
    at_site = Incident.objects.with_evidence().for_monument(Monument.objects.get(slug="palmyra"))
    assert page.locator("tbody tr").count() == at_site.count() > 1
    tab.screenshot("incidents-palmyra")


def test_typing_a_monument_address_filters_the_incidents(palmyra, visit):
    tab = visit()
    page = tab.open("/incidents/")
    page.get_by_label("Monument (a site includes its parts)").fill("roman-theatre")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/incidents/\?monument=roman-theatre"))
    at_theatre = Incident.objects.with_evidence().for_monument(Monument.objects.get(slug="roman-theatre"))
    assert page.locator("tbody tr").count() == at_theatre.count() > 0
    assert page.locator("[role='status']").inner_text() == f"{at_theatre.count()} incidents"


def test_the_browsable_api_filter_form_sends_only_the_filters_given_a_value(palmyra, visit):
    tab = visit()
    page = tab.open("/api/v1/incidents/?format=api")
    page.get_by_role("button", name="Filters").click()
    form = page.locator("form[data-omit-empty]")
    form.locator("select[name=grade]").select_option("destroyed")
    # Bootstrap's modal keeps aria-hidden on the dialog, so its button is found by type, not by role.
    form.locator("button[type=submit]").click()
    # Every other field was left empty, which the API would answer with 400 had the browser sent it.
    page.wait_for_url(re.compile(r"/api/v1/incidents/\?grade=destroyed$"))
    assert "HTTP 200 OK" in page.locator(".response-info").inner_text()
    destroyed = Incident.objects.with_evidence().filter(grade="destroyed").count()
    assert page.locator(".response-info").inner_text().count('"grade": "destroyed"') == destroyed > 0
    tab.screenshot("api-incidents-filtered")


LIST_PAGES = [
    ("Monuments", "/monuments/"),
    ("Incidents", "/incidents/"),
    ("Restorations", "/restorations/"),
    ("Assessments", "/assessments/"),
    ("Artefacts", "/artefacts/"),
    ("Articles", "/articles/"),
    ("Sources", "/sources/"),
]


def test_the_navigation_reaches_every_list_each_linking_to_the_api(palmyra, visit):
    tab = visit()
    page = tab.open("/")
    navigation = page.get_by_role("navigation", name="Main")
    for name, path in LIST_PAGES:
        navigation.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(re.compile(rf"{re.escape(path)}$"))
        assert page.locator("h1").inner_text() == name
        assert page.locator("tbody tr").count() > 0, path
        assert page.locator(".api-links a[type='text/csv']").get_attribute("href").startswith("/api/v1/")
        navigation = page.get_by_role("navigation", name="Main")
    tab.screenshot("list-sources")
    assert tab.foreign_requests() <= tile_hosts()


def test_a_restoration_is_reached_from_the_incident_of_the_same_object(palmyra, visit):
    tab = visit()
    page = tab.open("/incidents/funerary-busts-smashed-2015/")
    page.locator("section[aria-labelledby='related-heading'] a").first.click()
    page.wait_for_url(re.compile(r"/restorations/funerary-busts-restored-in-rome/$"))
    assert "Restoration" in page.locator("p.category").inner_text()


def test_typing_a_monument_name_in_another_language_filters_the_restorations(palmyra, visit):
    tab = visit()
    page = tab.open("/restorations/")
    page.get_by_label("Monument (a site includes its parts)").fill("تدمر")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/restorations/\?monument="))
    assert page.locator("tbody tr th a").all_inner_texts() == ["Restoration"]
    tab.screenshot("restorations-by-arabic-name")


def test_the_timeline_fits_a_phone_with_today_and_its_legend_in_view(palmyra, visit):
    tab = visit(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = tab.open("/monuments/roman-theatre/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    timeline = page.locator("svg.timeline")
    box = timeline.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    today = page.locator("svg.timeline g.today").bounding_box()
    assert today["x"] >= box["x"] and today["x"] + today["width"] <= box["x"] + box["width"] + 0.5
    # Every label is drawn at least 10 px high, and inside the drawing.
    for text in page.locator("svg.timeline text").all():
        label = text.bounding_box()
        assert label["height"] >= 10, text.text_content()
        assert box["x"] - 0.5 <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"] + 0.5
    # The first event's year is labelled, as is every year to the last event's.
    years = [text for text in page.locator("svg.timeline g.tick text").all_text_contents() if text.isdigit()]
    assert years[0] == "2015" and years == [str(year) for year in range(2015, 2015 + len(years))]
    for item in page.locator(".timeline-legend li").all():
        legend = item.bounding_box()
        assert legend["x"] >= 0 and legend["x"] + legend["width"] <= 390, item.inner_text()
    page.locator("section[aria-labelledby='timeline-heading']").screenshot(path=SCREENSHOTS / "timeline-phone.png")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot("monument-roman-theatre-phone")
