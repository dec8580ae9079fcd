"""Monuments as a GeoJSON FeatureCollection (RFC 7946), shared by the API and the public map."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse

from register.models import Monument


def _absolute(url: str, request) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def monument_feature(monument: Monument, *, condition: str | None, request=None) -> dict | None:
    """Return one monument as a GeoJSON Feature, or None when it has no coordinates."""
    if monument.latitude is None or monument.longitude is None:
        return None
    return {
        "type": "Feature",
        "id": monument.pk,
        # RFC 7946 section 3.1.1: longitude first, then latitude, as numbers.
        "geometry": {"type": "Point", "coordinates": [float(monument.longitude), float(monument.latitude)]},
        "properties": {
            "id": monument.pk,
            "slug": monument.slug,
            "name": monument.name,
            "kind": monument.kind,
            "condition": condition,
            "part_of": monument.part_of.slug if monument.part_of_id else None,
            "page_url": _absolute(monument.get_absolute_url(), request),
            "api_url": _absolute(reverse("api:monument-detail", kwargs={"slug": monument.slug}), request),
        },
    }


def feature_collection(
    monuments: Iterable[Monument], *, conditions: dict[int, str] | None = None, request=None
) -> dict:
    """Return the monuments that have coordinates as an RFC 7946 FeatureCollection.

    ``conditions`` maps monument ids to their condition now; when omitted each
    monument's stored condition is used (no query). Pass a
    request to get absolute URLs. A QuerySet gets its ``part_of`` joined so the
    collection costs no query per monument.
    """
    if isinstance(monuments, QuerySet):
        monuments = monuments.select_related("part_of")
    monuments = list(monuments)
    if conditions is None:
        # The stored condition, kept equal to condition_now by register.services.condition.
        conditions = {monument.pk: monument.condition for monument in monuments}
    features = []
    for monument in monuments:
        feature = monument_feature(monument, condition=conditions.get(monument.pk), request=request)
        if feature is not None:
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}
