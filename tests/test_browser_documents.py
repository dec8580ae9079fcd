"""A PDF's quote in a real browser: highlighted on its document's page, on the page of the PDF it stands on.

Debian's Chromium driven by Playwright against a live server, as in tests/test_browser.py (whose browser and
tab fixtures this uses). The PDF is made at test time with fpdf2 and imported as a curator imports it.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from register.models import Suggestion
from register.services.articles import article_import, suggestion_accept
from tests import document_files as files
from tests.conftest import publish_as_curator
from tests.test_browser import CHROMIUM, browser, visit  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def quoted_pdf(live_server, palmyra_names):
    """Import the three-page assessment and accept its page-2 sentence as evidence; return the evidence."""
    article = article_import(data=files.pdf(), name="assessment.pdf").article
    suggestion = Suggestion.objects.get(article=article, monument__slug="tetrapylon")
    user = get_user_model().objects.create_user(username="curator-in-browser")
    evidence = suggestion_accept(suggestion=suggestion, user=user, date="2015-08")
    publish_as_curator(evidence.event)
    return evidence


def test_a_quote_from_page_two_of_a_pdf_is_highlighted_on_its_document_page_with_p_2(quoted_pdf, visit):  # noqa: F811
    evidence = quoted_pdf
    tab = visit()
    page = tab.open(f"/articles/{evidence.article_id}/#evidence-{evidence.pk}")

    mark = page.locator(f"mark#evidence-{evidence.pk}")
    assert mark.is_visible()
    assert mark.inner_text() == evidence.quote
    # The passage the reader came for is the one highlighted as the target.
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 201, 77)"
    assert mark.evaluate("el => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().top < innerHeight")
    # It stands under the marker of page 2 of the PDF: the last page marker before it in the text.
    page_of_mark = mark.evaluate(
        """el => [...document.querySelectorAll('.body .page-start')]
            .filter(marker => marker.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
            .pop().dataset.page"""
    )
    assert page_of_mark == "2"
    assert page.locator(".body .page-start").all_inner_texts() == ["p. 1", "p. 2", "p. 3"]
    # The list of the document's quotes names the page too, and says what the document is.
    assert page.locator(f"#quote-{evidence.pk} .page").inner_text() == "p. 2"
    assert page.locator("dd.kind").inner_text() == "satellite imagery assessment"
    assert re.search(r"PDF, 3 pages", page.locator("dd.format").inner_text())
    tab.screenshot("pdf-quote-on-page-2")

    # From the incident's page, the quote's citation names the page, and following it lands on the mark.
    incident_page = tab.open(evidence.incident.get_absolute_url())
    caption = incident_page.locator(f"#evidence-{evidence.pk} figcaption a")
    assert caption.inner_text().endswith(", p. 2")
    caption.click()
    incident_page.wait_for_url(re.compile(rf"/articles/{evidence.article_id}/#evidence-{evidence.pk}$"))
    assert incident_page.locator(f"mark#evidence-{evidence.pk}").is_visible()
    assert tab.foreign_requests() == set()
