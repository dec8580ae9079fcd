"""Template helpers for the public pages: condition labels, highlighted quotes, image sizes."""

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from register.models import Evidence
from register.models.vocabularies import Condition

register = template.Library()


@register.filter
def condition_label(value: str) -> str:
    """Return the condition's label in the current language ("very_bad" -> "very bad")."""
    try:
        return Condition(value).label
    except ValueError:
        return value


@register.filter
def event_category(event) -> str:
    """Return "incident", "restoration" or "assessment", for class names and headings."""
    return event._meta.model_name


def page_marker(page: int) -> str:
    """Return the marker that opens a page of a paged body: "p. 2", anchored as ``page-2``."""
    label = escape(_("p. %(page)s") % {"page": page})
    return f'<span class="page-start" id="page-{page}" data-page="{page}">{label}</span>'


def highlight(body: str, evidence: Iterable[Evidence], page_starts=()) -> SafeString:
    """Return the body as escaped HTML with each quote in a ``<mark>`` and anchored as ``evidence-<id>``.

    Quotes may overlap or coincide (one passage can be evidence for two
    events), so the body is cut at every quote's start and end; each piece
    covered by a quote is marked, and each quote's id sits on the mark where
    it starts. A quote that no longer stands verbatim at its position is left
    unmarked rather than highlighting the wrong words, and a report held only by
    reference has no words to mark. A paged body (a PDF's) is cut where each
    page starts too, and a "p. N" marker opens each page.
    """
    quotes = sorted(
        (item for item in evidence if item.is_quote and body[item.position : item.end] == item.quote),
        key=lambda e: (e.position, e.pk),
    )
    pages_at: dict[int, list[int]] = {}
    for page, start in enumerate(page_starts, start=1):
        pages_at.setdefault(min(start, len(body)), []).append(page)
    cuts = sorted({0, len(body), *(q.position for q in quotes), *(q.end for q in quotes), *pages_at})
    parts = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        parts.extend(page_marker(page) for page in pages_at.pop(start, ()))
        text = escape(body[start:end])
        covering = [q for q in quotes if q.position <= start and end <= q.end]
        if not covering:
            parts.append(text)
            continue
        starting = [q for q in covering if q.position == start]
        # A second quote starting at the same character gets an empty anchor of its own.
        anchors = "".join(f'<span id="evidence-{q.pk}" class="anchor"></span>' for q in starting[1:])
        mark_id = f' id="evidence-{starting[0].pk}"' if starting else ""
        ids = " ".join(str(q.pk) for q in covering)
        parts.append(f'{anchors}<mark{mark_id} data-evidence="{ids}">{text}</mark>')
    # Pages with no text at the end of the body still show that they are there.
    parts.extend(page_marker(page) for pages in pages_at.values() for page in pages)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the body went through escape() above


@register.simple_tag
def highlighted_body(article, evidence) -> SafeString:
    return highlight(article.body, evidence, article.page_starts)


@register.filter
def quote_citation(item: Evidence) -> str:
    """Return the citation of a quote: its article's, ending with the page it stands on in a paged document."""
    return item.article.citation_at(item.position)


@register.filter
def quote_page(item: Evidence) -> int | None:
    """Return the page (from 1) a quote stands on in its document, or None where the document has no pages."""
    return item.article.page_of(item.position)


@register.simple_tag
def image_size(field_file, width: int = 320) -> tuple[int, int] | None:
    """Return (width, height) to show the image at ``width`` pixels wide, or None when it cannot be read."""
    try:
        original_width, original_height = field_file.width, field_file.height
    except (OSError, ValueError, TypeError):
        # A missing or unreadable file must not take the page down; the img is drawn without a size.
        return None
    if not original_width or not original_height:
        return None
    shown = min(width, original_width)
    return shown, round(original_height * shown / original_width)
