"""Controlled vocabularies, reused from the field where one exists."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MonumentKind(models.TextChoices):
    """What kind of place a monument is: what a region's gazetteer holds, from a whole site to one bridge."""

    SITE = "site", _("site")
    ARCHAEOLOGICAL_SITE = "archaeological_site", _("archaeological site")
    TELL = "tell", _("tell")
    TEMPLE = "temple", _("temple")
    MOSQUE = "mosque", _("mosque")
    CHURCH = "church", _("church")
    MONASTERY = "monastery", _("monastery")
    SHRINE = "shrine", _("shrine")
    MINARET = "minaret", _("minaret")
    THEATRE = "theatre", _("theatre")
    ARCH = "arch", _("arch")
    TETRAPYLON = "tetrapylon", _("tetrapylon")
    TOMB = "tomb", _("tomb")
    CEMETERY = "cemetery", _("cemetery")
    FORTIFICATION = "fortification", _("citadel or fortification")
    SOUQ = "souq", _("souq")
    BRIDGE = "bridge", _("bridge")
    MUSEUM = "museum", _("museum")
    OTHER = "other", _("other")


# The Getty Art & Architecture Thesaurus concept for each kind, for linked data (http://vocab.getty.edu/aat/<id>).
# Only ids confirmed in a published source are listed; a kind without one is left out rather than guessed.
MONUMENT_KIND_AAT = {
    MonumentKind.ARCHAEOLOGICAL_SITE: "300000810",
    MonumentKind.TEMPLE: "300007595",
    MonumentKind.MOSQUE: "300007544",
    MonumentKind.CHURCH: "300007466",
    MonumentKind.THEATRE: "300007117",
    MonumentKind.TOMB: "300005926",
    MonumentKind.FORTIFICATION: "300006888",
    MonumentKind.BRIDGE: "300007836",
    MonumentKind.MUSEUM: "300005768",
}


def aat_url(kind: str) -> str | None:
    """Return the Getty AAT concept URI for a monument kind, or None where none is recorded."""
    concept = MONUMENT_KIND_AAT.get(kind)
    return f"http://vocab.getty.edu/aat/{concept}" if concept else None


class DamageGrade(models.TextChoices):
    """UNITAR-UNOSAT damage grades for satellite assessments."""

    DESTROYED = "destroyed", _("destroyed")
    SEVERE = "severe", _("severely damaged")
    MODERATE = "moderate", _("moderately damaged")
    POSSIBLE = "possible", _("possibly damaged")
    NONE = "none", _("no visible damage")


class Condition(models.TextChoices):
    """EAMENA overall condition, ordered from best to worst (unknown last)."""

    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")
    VERY_BAD = "very_bad", _("very bad")
    DESTROYED = "destroyed", _("destroyed")
    UNKNOWN = "unknown", _("unknown")


class DamageExtent(models.TextChoices):
    """How much of a place an assessment finds damaged, in EAMENA's bands of its area or fabric."""

    NONE = "none", _("none")
    UP_TO_10 = "1-10", _("1-10%")
    UP_TO_30 = "11-30", _("11-30%")
    UP_TO_60 = "31-60", _("31-60%")
    UP_TO_90 = "61-90", _("61-90%")
    UP_TO_100 = "91-100", _("91-100%")


class Trend(models.TextChoices):
    """Whether an assessment finds the condition getting better or worse."""

    IMPROVING = "improving", _("improving")
    STABLE = "stable", _("stable")
    DECLINING = "declining", _("declining")
    UNKNOWN = "unknown", _("unknown")


class Priority(models.TextChoices):
    """Priority for action, after Historic England's Heritage at Risk Register: A most urgent, F least."""

    A = "A", _("A: immediate risk of further rapid deterioration or loss of fabric; no solution agreed")
    B = (
        "B",
        _(
            "B: immediate risk of further rapid deterioration or loss of fabric; solution agreed but not yet "
            "implemented"
        ),
    )
    C = "C", _("C: slow decay; no solution agreed")
    D = "D", _("D: slow decay; solution agreed but not yet implemented")
    E = "E", _("E: under repair, or in fair to good repair, but no use or user identified")
    F = "F", _("F: repair scheme in progress and, where it applies, a use or user identified")


class AssessmentMethod(models.TextChoices):
    """How an assessment saw the place."""

    FIELD_VISIT = "field_visit", _("field visit")
    SATELLITE_IMAGERY = "satellite_imagery", _("satellite imagery")
    REPORT = "report", _("report")


class Certainty(models.TextChoices):
    """EAMENA certainty of a cause or effect."""

    NOT_APPLICABLE = "not_applicable", _("not applicable")
    NEGLIGIBLE = "negligible", _("negligible")
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    DEFINITE = "definite", _("definite")


class IncidentKind(models.TextChoices):
    DESTROYED = "destroyed", _("destroyed")
    DAMAGED = "damaged", _("damaged")
    LOOTED = "looted", _("looted")
    VANDALISED = "vandalised", _("vandalised")
    MILITARY_USE = "military_use", _("military use")
    MISUSE = "misuse", _("misuse")


class RestorationKind(models.TextChoices):
    CONSERVATION = "conservation", _("conservation")
    RESTORATION = "restoration", _("restoration")
    RECONSTRUCTION = "reconstruction", _("reconstruction")
    REPLICA = "replica", _("replica")
    RETURN = "return", _("return")


class PublicationState(models.TextChoices):
    """Where an incident, restoration or assessment stands on its way to the public, and after."""

    DRAFT = "draft", pgettext_lazy("publication state", "draft")
    PUBLISHED = "published", pgettext_lazy("publication state", "published")
    WITHDRAWN = "withdrawn", pgettext_lazy("publication state", "withdrawn")


class EvidenceStrength(models.TextChoices):
    """After Airwars' grading: independent origins count, not outlets."""

    SINGLE = "single", _("single source")
    CORROBORATED = "corroborated", _("corroborated")
    CONFIRMED = "confirmed", _("confirmed")
    CONTESTED = "contested", _("contested")


class DocumentKind(models.TextChoices):
    """What a document is: how far it can confirm what others report."""

    NEWS_REPORT = "news_report", _("news report")
    OFFICIAL_STATEMENT = "official_statement", _("official statement")
    IMAGERY_ASSESSMENT = "imagery_assessment", _("satellite imagery assessment")
    FIELD_SURVEY = "field_survey", _("field survey")
    SOCIAL_MEDIA_POST = "social_media_post", _("social-media post (archived)")
    SCHOLARLY_PUBLICATION = "scholarly_publication", _("scholarly publication")


class DocumentFormat(models.TextChoices):
    """How a document was received: the text the register reads was decoded or extracted from it."""

    TEXT = "text", _("plain text")
    HTML = "html", _("web page (HTML)")
    PDF = "pdf", _("PDF")


class ReceivedFileFormat(models.TextChoices):
    """A file kept byte for byte: a document's own file, or the web archive it was captured in."""

    HTML = "html", _("web page (HTML)")
    PDF = "pdf", _("PDF")
    WARC = "warc", _("web archive (WARC)")
    WACZ = "wacz", _("web archive collection (WACZ)")


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("supports")
    CONTRADICTS = "contradicts", _("contradicts")
    CONTEXT = "context", _("gives context")


class SourceKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", _("news agency")
    OUTLET = "outlet", _("outlet")
    STATE_MEDIA = "state_media", _("state media")
    MONITOR = "monitor", _("monitor")
    MILITARY = "military", _("military")
    GOVERNMENT = "government", _("government body")
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental body")
    RESEARCH = "research", _("research group or institute")
    IMAGERY = "imagery", _("imagery")
    OTHER = "other", _("other")


# A damage grade's effect on condition; an incident never improves a condition.
CONDITION_AFTER_GRADE = {
    DamageGrade.DESTROYED: Condition.DESTROYED,
    DamageGrade.SEVERE: Condition.VERY_BAD,
    DamageGrade.MODERATE: Condition.POOR,
    DamageGrade.POSSIBLE: Condition.FAIR,
}

# Severity rank for "worse of two conditions"; unknown ranks below good so a
# known condition always replaces it.
CONDITION_SEVERITY = {
    Condition.UNKNOWN: -1,
    Condition.GOOD: 0,
    Condition.FAIR: 1,
    Condition.POOR: 2,
    Condition.VERY_BAD: 3,
    Condition.DESTROYED: 4,
}
