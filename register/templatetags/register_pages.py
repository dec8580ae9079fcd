"""Template helpers for the public pages: condition labels, dates in words, highlighted quotes, image sizes, the
same page in another language."""

import datetime as dt
import re
from collections.abc import Iterable

from django import template
from django.urls import translate_url
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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


@register.simple_tag
def condition_badge(value: str, badge_id: str = "") -> SafeString:
    """Return the condition as a badge, HTML to put in a translated sentence ("Condition now: <badge>")."""
    if badge_id:
        return format_html('<span class="badge {}" id="{}">{}</span>', value, badge_id, condition_label(value))
    return format_html('<span class="badge {}">{}</span>', value, condition_label(value))


@register.filter
def event_category(event) -> str:
    """Return "incident", "restoration" or "assessment", for class names and headings."""
    return event._meta.model_name


@register.filter
def event_category_label(event) -> str:
    """Return what the kind of record is called in the current language: "Incident", "Restoration", "Assessment"."""
    return {"incident": _("Incident"), "restoration": _("Restoration"), "assessment": _("Assessment")}[
        event._meta.model_name
    ]


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """Return the absolute address of the page being shown in another language: the same record, the same filters."""
    request = context["request"]
    return request.build_absolute_uri(translate_url(request.get_full_path(), language_code))


# The months as dates in words name them, the same messages Django's date formats look up ("F", and "M" where
# room is short). Marked here so that the register's own catalog, which takes precedence over Django's, gives
# them: in Arabic the names used in Syria and Iraq (كانون الثاني، شباط، آذار), not Django's (يناير، فبراير، مارس).
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
# Django's abbreviations ("M"): Arabic has none for these months, so they are given in full.
MONTH_ABBREVIATIONS = (
    gettext_noop("jan"),
    gettext_noop("feb"),
    gettext_noop("mar"),
    gettext_noop("apr"),
    gettext_noop("may"),
    gettext_noop("jun"),
    gettext_noop("jul"),
    gettext_noop("aug"),
    gettext_noop("sep"),
    gettext_noop("oct"),
    gettext_noop("nov"),
    gettext_noop("dec"),
)


# How precisely a window's ends are told, from the coarsest: each as a format for the words and one for <time>.
WHOLE_YEARS, WHOLE_MONTHS, DAYS = ("Y", "Y"), ("F Y", "Y-m"), ("j F Y", "Y-m-d")
# One end of an EDTF interval written as a plain year, month or day, perhaps qualified: 2016, 2016-12, 2017-03-01~.
EDTF_END = re.compile(r"^(?P<year>[0-9]{4})(?P<month>-[0-9]{2})?(?P<day>-[0-9]{2})?[~?%]?$")


def window_precision(earliest: dt.date, latest: dt.date) -> tuple[str, str]:
    """Return the coarsest precision that tells the window exactly: whole years, whole months, or days."""
    if (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31):
        return WHOLE_YEARS
    if earliest.day == 1 and (latest + dt.timedelta(days=1)).day == 1:
        return WHOLE_MONTHS
    return DAYS


def end_precisions(earliest: dt.date, latest: dt.date, edtf: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Return how precisely to tell each end: as an EDTF interval writes it (2016-10/2017-03-01), else the window's."""
    ends = [EDTF_END.match(end) for end in edtf.split("/")] if edtf.count("/") == 1 else []
    if len(ends) == 2 and all(ends):
        return tuple(DAYS if end["day"] else WHOLE_MONTHS if end["month"] else WHOLE_YEARS for end in ends)
    precision = window_precision(earliest, latest)
    return precision, precision


# Months abbreviated, for where room is short (a timeline's labels).
SHORT_FORMATS = {WHOLE_YEARS: WHOLE_YEARS, WHOLE_MONTHS: ("M Y", "Y-m"), DAYS: ("j M Y", "Y-m-d")}


def when_words(
    earliest: dt.date | None, latest: dt.date | None, edtf: str = "", *, as_html: bool = False, short: bool = False
) -> str:
    """Return an uncertain date in words: "23 August 2015", "January 2017", "between December 2016 and January 2017".

    Each end is told no more precisely than the window is known, and an EDTF date marked approximate (``~``) or
    uncertain (``?``) says so ("about 2015"). As HTML, each end stands in a ``<time>`` element a machine can read;
    ``short`` abbreviates the months and joins the ends with a dash ("Dec 2016 – Jan 2017").
    """
    if earliest is None or latest is None:
        return ""
    first, last = end_precisions(earliest, latest, edtf)
    if short:
        first, last = SHORT_FORMATS[first], SHORT_FORMATS[last]

    def told(day: dt.date, precision: tuple[str, str]) -> str:
        words_format, iso_format = precision
        words = date_format(day, words_format)
        return format_html('<time datetime="{}">{}</time>', date_format(day, iso_format), words) if as_html else words

    def sentence(template: str, **values) -> str:
        # As HTML the translated sentence is escaped and the ends, already HTML, put in it.
        return mark_safe(escape(template) % values) if as_html else template % values  # noqa: S308

    if told(earliest, first) == told(latest, last):
        when = told(earliest, first)
    else:
        between = _("%(earliest)s – %(latest)s") if short else _("between %(earliest)s and %(latest)s")
        when = sentence(between, earliest=told(earliest, first), latest=told(latest, last))
    approximate, uncertain = "~" in edtf or "%" in edtf, "?" in edtf or "%" in edtf
    if approximate and uncertain:
        return sentence(_("perhaps about %(when)s"), when=when)
    if approximate:
        return sentence(_("about %(when)s"), when=when)
    if uncertain:
        return sentence(_("perhaps %(when)s"), when=when)
    return when


@register.simple_tag
def when(earliest, latest, edtf: str = "") -> SafeString:
    """Return an uncertain date in words as HTML, each end in a ``<time>`` element."""
    return mark_safe(when_words(earliest, latest, edtf, as_html=True))  # noqa: S308 - built escaped above


@register.simple_tag
def edtf_title(edtf: str) -> str:
    """Return the tooltip that gives a date's EDTF code, which reads the same in every language."""
    return _("EDTF date: %(edtf)s") % {"edtf": edtf}


@register.simple_tag
def when_of(event) -> SafeString:
    """Return when an incident, restoration or assessment happened, in words as HTML."""
    field = event.date_field
    return when(getattr(event, f"{field}_earliest"), getattr(event, f"{field}_latest"), event.when)


@register.filter
def in_words(event) -> str:
    """Return when an incident, restoration or assessment happened, in words (plain text, for titles)."""
    field = event.date_field
    return when_words(getattr(event, f"{field}_earliest"), getattr(event, f"{field}_latest"), event.when)


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
