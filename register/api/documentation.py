"""What the OpenAPI schema (/api/v1/docs/) tells researchers about each list and record: its content, filters, formats.

Applied to the viewsets with ``documented``; the parameters' own descriptions come from the filters.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

PAGES = _(
    "Pages hold 100 records (`page_size`, from 1 to 500; any other value answers 400) and are walked with the "
    "`next` and `previous` links, which the `Link` header also carries; a page costs the same however deep it is. "
    "`updated_after` (an ISO 8601 date or date-time) keeps the records changed at or after it: with "
    "`?ordering=updated`, a harvester fetches only what changed since its last run. Any other parameter answers "
    "400 naming it."
)
ETAG = _("The response carries an ETag: send it back in `If-Match` to change or delete the record.")

LISTS = {
    "monuments": _(
        "Every monument of the register: sites and the buildings, tombs and objects fixed in them, each with its "
        "names in every language, WGS84 coordinates, the site it is part of, and its condition now (EAMENA), "
        "which follows from the evidenced incidents and restorations, with their counts. Filter by `kind`, "
        "`condition`, `within` (a site's slug: the site and its parts), `bbox` (west,south,east,north) and `q` "
        "(names in any language and script). Order with `ordering` by name, slug, id or updated. Formats: JSON, "
        "CSV, GeoJSON (the monuments with coordinates, as a FeatureCollection) and JSON-LD (Linked Art)."
    ),
    "artefacts": _(
        "Movable objects (statues, busts, reliefs): the monument they come from and who holds them now. Filter by "
        "`origin` (a monument's slug) and `q`. Formats: JSON and CSV."
    ),
    "incidents": _(
        "Every incident of damage, destruction, looting or misuse the register holds evidence for: what happened "
        "to which monument or artefact, when (an EDTF date with its earliest and latest possible day), the damage "
        "grade (UNITAR-UNOSAT), the perpetrator as reported, the strength of the evidence and, nested, every quote "
        "behind it with its article's citation and who said it. Only incidents at least one verbatim quote "
        "supports are listed. Filter by `monument` (a site's slug includes its parts and their artefacts), "
        "`artefact`, `kind`, `grade`, `strength`, `perpetrator`, `occurred_after` and `occurred_before` (incidents "
        "whose possible dates overlap the window), `reported_after` and `reported_before`, `source` (quoted from "
        "what a source published, carried or is cited for) and `q` (summary, perpetrator and the subject's names). "
        "Order with `ordering` by occurred_earliest, occurred_latest, slug, id or updated: `?ordering=updated` "
        "harvests what changed since a last visit. Formats: JSON, CSV (one row per incident, quotes joined) and "
        "JSON-LD (Linked Art)."
    ),
    "restorations": _(
        "Conservation, restoration, reconstruction, replicas and returns: who did the work, where, when (EDTF), "
        "the condition it left, and every quote behind it. Only restorations at least one verbatim quote supports "
        "are listed. Filter by `monument`, `artefact`, `kind`, `institution`, `finished_after` and "
        "`finished_before`, and `source`. Formats: JSON and CSV."
    ),
    "assessments": _(
        "Dated assessments of a monument's or artefact's state, from a field visit, satellite imagery or others' "
        "reports: the overall condition (EAMENA), the damage extent, the trend, the threats named, a priority for "
        "action from A (immediate risk, no solution agreed) to F (repair in progress), after Historic England's "
        "Heritage at Risk Register, when (an EDTF date with its earliest and latest possible day) and, nested, "
        "every quote behind it. An assessment states the condition on its date: the monument's condition follows "
        "from its assessments, incidents and restorations in date order. Only assessments at least one verbatim "
        "quote supports are listed. Filter by `monument` (a site's slug includes its parts and their artefacts), "
        "`artefact`, `condition`, `extent`, `trend`, `priority`, `method`, `assessed_after` and `assessed_before` "
        "(assessments whose possible dates overlap the window) and `source`. Order with `ordering` by "
        "assessed_earliest, assessed_latest, slug, id or updated. Formats: JSON, CSV (one row per assessment, "
        "quotes joined) and JSON-LD (CIDOC-CRM: an E14 Condition Assessment identifying an E3 Condition State)."
    ),
    "articles": _(
        "The reports the register quotes, as received: publisher, the outlet that carried it, byline, date, "
        "address, language, the citation on one line, the cleaned body, the SHA-256 of the text as received and "
        "the monuments each names or is quoted about. Lists leave out the raw text, which each article's own "
        "address carries. Filter by `publisher`, `carried_by`, `published_after` and `published_before`, "
        "`mentions` (a monument's slug) and `q`. Formats: JSON, CSV and JSON-LD."
    ),
    "sources": _(
        "The agencies, outlets, monitors, state bodies and institutes that publish reports or are quoted in them. "
        "Filter by `kind` and `q`. Formats: JSON and CSV."
    ),
    "evidence": _(
        "Every quote: a passage verbatim at its position in an article's body (or a report held only by "
        "reference, with a note of what it says), the incident, restoration or assessment it supports or disputes, "
        "the article's citation and the attribution chain. Only the evidence for incidents, restorations and "
        "assessments the public may see is listed. Filter by `article`, `incident`, `restoration`, `assessment`, "
        "`stance` and `cited_source`. "
        "Formats: JSON and CSV."
    ),
}

DETAILS = {
    "monuments": _("One monument, as in the list, by its slug."),
    "artefacts": _("One artefact, as in the list, by its slug."),
    "incidents": _("One incident with every quote behind it, by its slug."),
    "restorations": _("One restoration with every quote behind it, by its slug."),
    "assessments": _("One assessment with every quote behind it, by its slug."),
    "articles": _("One article, by its id, with its raw text exactly as received: its SHA-256 can be recomputed."),
    "sources": _("One source, by its slug."),
    "evidence": _("One quote with its citation and attribution, by its id."),
}


def documented(name: str):
    """Return the decorator documenting the list and the detail of the records called ``name``."""
    return extend_schema_view(
        list=extend_schema(description=format_lazy("{}\n\n{}", LISTS[name], PAGES)),
        retrieve=extend_schema(description=format_lazy("{} {}", DETAILS[name], ETAG)),
    )
