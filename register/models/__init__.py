"""The register's models, one module per concept; imported here for Django."""

from register.models.corrections import Correction
from register.models.events import Assessment, Evidence, Incident, Restoration
from register.models.ingestion import Mention, Suggestion, SuggestionStatus
from register.models.places import AlternateName, Artefact, Monument, MonumentImage
from register.models.sources import Article, ReceivedFile, Source, fingerprint

__all__ = [
    "AlternateName",
    "Assessment",
    "Article",
    "Artefact",
    "Correction",
    "Evidence",
    "Incident",
    "Mention",
    "Monument",
    "MonumentImage",
    "ReceivedFile",
    "Restoration",
    "Source",
    "Suggestion",
    "SuggestionStatus",
    "fingerprint",
]
