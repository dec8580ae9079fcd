"""“Cite this record”: a plain-text reference and a BibTeX entry for a monument or an event.

bibtexparser writes the entry; pylatexenc escapes its text, so a title with
``&``, ``%``, ``_`` or braces stays valid BibTeX. Names in scripts LaTeX has no
macro for (Arabic) are kept as they are, which biber and XeLaTeX read.
"""

import datetime as dt
from dataclasses import dataclass

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from django.utils.translation import gettext as _
from pylatexenc.latexencode import UnicodeToLatexEncoder

from register.models import Assessment, Incident, Monument, Restoration

_latex = UnicodeToLatexEncoder(unknown_char_policy="keep", unknown_char_warning=False)


@dataclass(frozen=True)
class Citation:
    record: Monument | Incident | Restoration | Assessment
    url: str
    accessed: dt.date
    text: str
    bibtex: str


def record_title(record: Monument | Incident | Restoration | Assessment) -> str:
    """Return the title a reference gives the record."""
    if isinstance(record, Monument):
        return record.name
    return _("%(subject)s: %(kind)s, %(when)s") % {
        "subject": record.subject,
        "kind": record.get_kind_display(),
        "when": record.when,
    }


def record_citation(record: Monument | Incident | Restoration | Assessment, *, url: str, accessed: dt.date) -> Citation:
    """Return how to cite the record at its permalink ``url``, as read on ``accessed``."""
    register = _("Heritage Damage Register")
    title = record_title(record)
    text = _("%(register)s, “%(title)s”, %(url)s, accessed %(accessed)s") % {
        "register": register,
        "title": title,
        "url": url,
        "accessed": accessed.isoformat(),
    }
    fields = [
        # Double braces: the register is a corporate author, not a "Surname, Given" name.
        Field("author", "{" + _latex.unicode_to_latex(register) + "}"),
        Field("title", _latex.unicode_to_latex(title)),
        Field("year", str(record.updated.year)),
        # A URL is verbatim in BibTeX: escaping it would change the address.
        Field("howpublished", f"\\url{{{url}}}"),
        Field("url", url),
        Field("urldate", accessed.isoformat()),
        Field("note", _latex.unicode_to_latex(_("Accessed %(accessed)s") % {"accessed": accessed.isoformat()})),
    ]
    key = f"hdr-{record._meta.model_name}-{record.slug}"
    library = Library([Entry("misc", key, fields)])
    return Citation(
        record=record, url=url, accessed=accessed, text=text, bibtex=bibtexparser.write_string(library).strip()
    )
