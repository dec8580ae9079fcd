"""Template helpers for the public pages: condition labels, highlighted quotes, image sizes."""

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
    """Return "incident" or "restoration", for class names and headings."""
    return event._meta.model_name


def highlight(body: str, evidence: Iterable[Evidence]) -> SafeString:
    """Return the body as escaped HTML with each quote in a ``<mark>`` and anchored as ``evidence-<id>``.

    Quotes may overlap or coincide (one passage can be evidence for two
    events), so the body is cut at every quote's start and end; each piece
    covered by a quote is marked, and each quote's id sits on the mark where
    it starts. A quote that no longer stands verbatim at its position is left
    unmarked rather than highlighting the wrong words, and a report held only by
    reference has no words to mark.
    """
    quotes = sorted(
        (item for item in evidence if item.is_quote and body[item.position : item.end] == item.quote),
        key=lambda e: (e.position, e.pk),
    )
    cuts = sorted({0, len(body), *(q.position for q in quotes), *(q.end for q in quotes)})
    parts = []
    for start, end in zip(cuts, cuts[1:], strict=False):
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
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the body went through escape() above


@register.simple_tag
def highlighted_body(article, evidence) -> SafeString:
    return highlight(article.body, evidence)


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
