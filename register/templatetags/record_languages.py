"""A curator's text on a page in the reader's language, or in the other with a notice (register.translation)."""

from django import template

from register import translation

register = template.Library()


@register.simple_tag
def translated_text(record, field: str) -> translation.Shown:
    """Return ``record``'s ``field`` as the reader is shown it: ``{% translated_text event "summary" as s %}``."""
    return translation.shown(record, field)
