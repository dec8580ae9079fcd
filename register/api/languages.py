"""The language an API response speaks: ``?lang=``, else the request's ``Accept-Language``, else English.

Not the language cookie the public pages set: a response then depends on its address and on ``Accept-Language``
alone, which its ``Vary`` header names, so a shared cache keeps each language apart. The codes of vocabularies
are the same in every language; their labels and the curators' texts follow the language (register.translation).
"""

from django.conf import settings
from django.utils.translation import get_supported_language_variant, gettext
from rest_framework.exceptions import ValidationError

from register.translation import LANGUAGE_CODES

PARAMETER = "lang"
PARAMETER_HELP = (
    "The language of the response's labels and texts: en (English) or ar (Arabic). Without it, the first of "
    "these that the Accept-Language header accepts, else English. Codes are the same in both languages; a text "
    "not yet translated is given in the other language, which its `*_language` field names. Any other value "
    "answers 400."
)


def accepted(header: str) -> list[str]:
    """Return the language tags of an ``Accept-Language`` header, most preferred first (RFC 9110 section 12.5.4)."""
    weighted = []
    for position, item in enumerate(header.split(",")):
        tag, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and tag != "*" and weight > 0:
            weighted.append((-weight, position, tag))
    return [tag for _weight, _position, tag in sorted(weighted)]


def from_header(header: str) -> str:
    """Return the register's language that an ``Accept-Language`` header prefers; English where it accepts neither."""
    for tag in accepted(header):
        try:
            return get_supported_language_variant(tag.lower())
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def unsupported(value: str) -> ValidationError:
    message = gettext("Unsupported language “%(language)s”: choose one of %(supported)s.") % {
        "language": value,
        "supported": ", ".join(LANGUAGE_CODES),
    }
    return ValidationError({PARAMETER: [message]})


def response_language(request) -> tuple[str, str | None]:
    """Return the language the response to ``request`` (Django's) speaks, and the unsupported ``lang`` if one was given.

    An unsupported value is answered with 400 once the API reads the request; meanwhile the response (its error)
    speaks the header's language.
    """
    asked = request.GET.get(PARAMETER)
    spoken = from_header(request.headers.get("Accept-Language", ""))
    if asked is None:
        return spoken, None
    if asked in LANGUAGE_CODES:
        return asked, None
    return spoken, asked
