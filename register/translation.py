"""Records in both languages: the curators' prose that django-modeltranslation keeps in English and in Arabic.

Each field registered here has one column per language of settings.LANGUAGES beside it in the same table
(``description_en``, ``description_ar``), so a list reads both with its other columns, no join per record. The
field's own name (``description``) reads the active language's column, else the other's
(settings.MODELTRANSLATION_FALLBACK_LANGUAGES); ``shown`` tells which language that was, so a page and the API can
say when a text is not in the reader's language. Names and quotes are not translated: they stay as their sources
wrote them. The historical models of django-simple-history are registered too, so a record's history keeps both
languages.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import TranslationOptions, translator

from register.models import Artefact, Assessment, Incident, Monument, Restoration

# The prose of each record type that curators write and the public reads.
TRANSLATED_FIELDS = {
    Monument: ("description",),
    Artefact: ("description",),
    Incident: ("summary",),
    Restoration: ("summary",),
    Assessment: ("summary", "threats"),
}
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
# What a page says above a text shown in the other language, whole sentences for each text and language.
NOTICES = {
    ("description", "en"): _("This description has not been translated yet; it is shown in English."),
    ("description", "ar"): _("This description has not been translated yet; it is shown in Arabic."),
    ("summary", "en"): _("This summary has not been translated yet; it is shown in English."),
    ("summary", "ar"): _("This summary has not been translated yet; it is shown in Arabic."),
    ("threats", "en"): _("This list of threats has not been translated yet; it is shown in English."),
    ("threats", "ar"): _("This list of threats has not been translated yet; it is shown in Arabic."),
}


def _register(model, fields: tuple[str, ...]) -> None:
    options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,), {"fields": fields})
    translator.register(model, options)


for _model, _fields in TRANSLATED_FIELDS.items():
    _register(_model, _fields)
    # The history copies every column of the record: its table needs the language columns too.
    _register(_model.history.model, _fields)


def language_order(language: str | None = None) -> tuple[str, ...]:
    """Return the languages a text is looked for in: ``language`` (else the active one) first, then the others."""
    first = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if first not in LANGUAGE_CODES:
        first = settings.LANGUAGE_CODE
    return (first, *(code for code in LANGUAGE_CODES if code != first))


def column(field: str, language: str) -> str:
    """Return the column holding ``field`` in ``language``: ``description_ar``."""
    return f"{field}_{language}"


def columns(field: str) -> list[str]:
    """Return the columns of ``field`` in every language."""
    return [column(field, code) for code in LANGUAGE_CODES]


@dataclass(frozen=True)
class Shown:
    """A translated text as one reader is shown it: in their language, or else in the other, which it says."""

    field: str
    text: str
    language: str | None
    asked: str

    @property
    def fell_back(self) -> bool:
        """Whether the text is not in the asked language (it has no translation yet)."""
        return bool(self.text) and self.language != self.asked

    @property
    def direction(self) -> str:
        """Return the text's own direction, whatever the page's: "rtl" for Arabic."""
        return "rtl" if self.language and get_language_info(self.language)["bidi"] else "ltr"

    @property
    def notice(self) -> str:
        """Return what a page says above the text when it is in the other language; "" when it is not."""
        return str(NOTICES.get((self.field, self.language), "")) if self.fell_back else ""


def shown(record, field: str, asked: str | None = None) -> Shown:
    """Return ``record``'s ``field`` as a reader of ``asked`` (else the active language) is shown it."""
    order = language_order(asked)
    for language in order:
        text = getattr(record, column(field, language))
        if text:
            return Shown(field=field, text=text, language=language, asked=order[0])
    return Shown(field=field, text="", language=None, asked=order[0])
