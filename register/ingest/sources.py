"""The sources the importer recognises by name, with what to create when the register lacks one.

Slugs match the Palmyra fixture's, so an import into a register that holds the
fixture finds the same rows, and one into an empty register creates equivalent ones.
"""

import re
from dataclasses import dataclass

from register.models.vocabularies import SourceKind

UNKNOWN_PUBLISHER = "unknown"


@dataclass(frozen=True)
class KnownSource:
    slug: str
    name: str
    kind: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def defaults(self) -> dict:
        return {"name": self.name, "kind": self.kind, "short_name": self.short_name}


KNOWN_SOURCES = {
    source.slug: source
    for source in (
        KnownSource("afp", "Agence France-Presse", SourceKind.NEWS_AGENCY, "AFP", ("Agence France Presse",)),
        KnownSource("reuters", "Reuters", SourceKind.NEWS_AGENCY, "", ("Thomson Reuters",)),
        KnownSource("ap", "Associated Press", SourceKind.NEWS_AGENCY, "AP", ("The Associated Press",)),
        KnownSource(
            "pulse-news-agency",
            "Pulse News Agency International",
            SourceKind.OUTLET,
            "Pulse",
            ("Pulse News Agency", "Pulse News"),
        ),
        KnownSource("business-insider", "Business Insider", SourceKind.OUTLET),
        KnownSource("middle-east-online", "Middle East Online", SourceKind.OUTLET),
        KnownSource("sana", "Syrian Arab News Agency", SourceKind.STATE_MEDIA, "SANA"),
        KnownSource("sohr", "Syrian Observatory for Human Rights", SourceKind.MONITOR, "SOHR"),
        KnownSource("syrian-military-source", "Syrian military source (unnamed)", SourceKind.MILITARY),
        KnownSource("syrian-army", "Syrian army", SourceKind.MILITARY),
        KnownSource("satellite-imagery", "Satellite imagery (unattributed)", SourceKind.IMAGERY),
        KnownSource("united-nations", "United Nations", SourceKind.INTERGOVERNMENTAL, "UN"),
        KnownSource(
            "unesco",
            "United Nations Educational, Scientific and Cultural Organization",
            SourceKind.INTERGOVERNMENTAL,
            "UNESCO",
        ),
        KnownSource("dgam", "Directorate-General of Antiquities and Museums", SourceKind.GOVERNMENT, "DGAM"),
        KnownSource("asor", "American Schools of Oriental Research", SourceKind.RESEARCH, "ASOR"),
        KnownSource("unitar", "UNITAR-UNOSAT", SourceKind.INTERGOVERNMENTAL, "", ("UNITAR", "UNOSAT")),
        KnownSource(UNKNOWN_PUBLISHER, "Unknown publisher", SourceKind.OTHER),
    )
}

# The agencies whose copy outlets carry; a credit line "Outlet By AGENCY" or a dateline "(AGENCY)" names one.
AGENCY_SLUGS = ("afp", "reuters", "ap")


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


_BY_NAME = {
    _key(alias): source.slug
    for source in KNOWN_SOURCES.values()
    for alias in (source.name, source.short_name, source.slug, *source.aliases)
    if alias
}


def known_slug(name: str) -> str | None:
    """Return the slug of the known source called ``name`` (any spelling listed above), if any."""
    return _BY_NAME.get(_key(name))


def agency_slug(name: str) -> str | None:
    """Return the slug of the news agency called ``name``, or None when it is not an agency."""
    slug = known_slug(name)
    return slug if slug in AGENCY_SLUGS else None


def agency_names() -> list[str]:
    """Return every spelling of every agency, longest first (for building patterns)."""
    names = {
        alias
        for slug in AGENCY_SLUGS
        for alias in (KNOWN_SOURCES[slug].name, KNOWN_SOURCES[slug].short_name, *KNOWN_SOURCES[slug].aliases)
        if alias
    }
    names.add("REUTERS")
    return sorted(names, key=len, reverse=True)


# Who a sentence cites, guessed from its attribution ("state news agency SANA reported").
# Order matters: the first cue found in an attribution wins.
CITATION_CUES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), slug)
    for pattern, slug in (
        (r"\bSANA\b|\bstate news agency\b|\bstate media\b|\bstate television\b", "sana"),
        (r"\bobservatory\b|\bSOHR\b|\bmonitor(?:ing group)?\b|\bAbdel Rahman\b", "sohr"),
        (r"\bsatellite (?:images?|imagery|photos?|pictures?)\b", "satellite-imagery"),
        (r"\b(?:military|army|security) sources?\b", "syrian-military-source"),
        (r"\bDGAM\b|\bDirectorate[- ]General of Antiquities\b|\bantiquities (?:chief|director|department)\b", "dgam"),
        (r"\bAbdulkarim\b", "dgam"),
        (r"\bUNESCO\b", "unesco"),
        (r"\bUNITAR\b|\bUNOSAT\b", "unitar"),
        (r"\bASOR\b|\bAmerican Schools of Oriental Research\b", "asor"),
        (r"\bUnited Nations\b|\bthe UN\b", "united-nations"),
        (r"\b(?:the|Syrian) army\b", "syrian-army"),
    )
)


def cited_slug(attribution: str) -> str | None:
    """Return the slug of the source an attribution names, or None."""
    for pattern, slug in CITATION_CUES:
        if pattern.search(attribution):
            return slug
    return None
