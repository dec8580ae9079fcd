"""Attributions and citations as the pages show them: the sentences register.models and register.citation word,
with each name, title, date and address in an isolate of its own, so that Latin names in an Arabic sentence (and
Arabic ones in an English sentence) keep the sentence's order.

The sentences come from the same functions and messages as their plain text (the API, the feeds, BibTeX): each is
assembled with stand-ins for its values, escaped whole, and each stand-in then replaced by its value escaped into a
``<bdi>``.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from register.citation import Citation
from register.models import Article, Evidence, Monument
from register.models.events import Event, attribution_text
from register.models.sources import citation_text

register = template.Library()

# A stand-in's text: a number between NUL characters, which no translation holds (names never enter the sentence).
STAND_IN = re.compile("\x00([0-9]+)\x00")


def isolate(text, *, language: str = "", direction: str = "") -> SafeString:
    """Return ``text`` escaped in a ``<bdi>``, laid out in ``direction``, else in its own first letter's."""
    return format_html(
        "<bdi{}{}>{}</bdi>",
        format_html(' lang="{}"', language) if language else "",
        format_html(' dir="{}"', direction) if direction else "",
        text,
    )


class Isolated:
    """The values of one sentence: each given as a stand-in to put in the text, and its isolate to put in the HTML."""

    def __init__(self):
        self.isolates: list[SafeString] = []

    def __call__(self, text, *, language: str = "", direction: str = "") -> str:
        """Return a stand-in for ``text`` isolated (see ``isolate``)."""
        self.isolates.append(isolate(text, language=language, direction=direction))
        return f"\x00{len(self.isolates) - 1}\x00"

    def html(self, sentence: str) -> SafeString:
        """Return ``sentence`` escaped, each of its stand-ins replaced by its isolate."""
        escaped = STAND_IN.sub(lambda match: self.isolates[int(match[1])], escape(sentence))
        return mark_safe(escaped)  # noqa: S308 - the sentence is escaped and each isolate was built escaped


def _publishers(article: Article, value: Isolated) -> dict:
    """Return the arguments naming who published the article, as ``carried_text`` takes them."""
    return {
        "publisher": value(article.publisher.citation_name),
        "carried_by": value(article.carried_by.citation_name) if article.carried_by_id else None,
        "publisher_guessed": article.publisher_guessed,
        "carried_by_guessed": article.carried_by_guessed,
    }


@register.filter
def attribution_html(item: Evidence) -> SafeString:
    """Return who reported the evidence, as ``Evidence.attribution`` words it: "AFP (via Pulse), citing ..."."""
    value = Isolated()
    return value.html(
        attribution_text(
            **_publishers(item.article, value),
            cited_source=value(item.cited_source.name) if item.cited_source_id else None,
            cited_person=value(item.cited_person) if item.cited_person else "",
        )
    )


@register.filter
def citation_html(article: Article, position: int | None = None) -> SafeString:
    """Return the article's citation as ``Article.citation_at(position)`` words it (a paged quote's page too)."""
    value = Isolated()
    return value.html(
        citation_text(
            **_publishers(article, value),
            title=value(article.title, language=article.language) if article.title else "",
            # An ISO 8601 date (as citation_text shows it) reads from left to right in every language.
            published=value(str(article.published), direction="ltr") if article.published else None,
            kind=article.kind,
            page=article.page_of(position),
        )
    )


@register.filter
def quote_citation_html(item: Evidence) -> SafeString:
    """Return the citation of a quote: its article's, ending with the page it stands on in a paged document."""
    return citation_html(item.article, item.position)


def _record_title(record: Monument | Event, value: Isolated) -> str:
    """Return the title a reference gives the record, as ``register.citation.record_title`` words it."""
    if isinstance(record, Monument):
        return value(record.name)
    return _("%(subject)s: %(kind)s, %(when)s") % {
        "subject": value(record.subject),
        "kind": record.get_kind_display(),
        # An EDTF code, read from left to right.
        "when": value(record.when, direction="ltr"),
    }


@register.filter
def record_citation_html(citation: Citation) -> SafeString:
    """Return how to cite the record, as ``citation.text`` words it."""
    value = Isolated()
    return value.html(
        _("%(register)s, “%(title)s”, %(url)s, accessed %(accessed)s")
        % {
            "register": _("Heritage Damage Register"),
            "title": _record_title(citation.record, value),
            "url": value(citation.url, direction="ltr"),
            "accessed": value(citation.accessed.isoformat(), direction="ltr"),
        }
    )
