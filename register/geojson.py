"""Monuments as a GeoJSON FeatureCollection (RFC 7946), shared by the API and the public maps.

A monument's feature has its extent as its geometry where it has one and the reader may see it, else its point;
its properties carry the point too, where a map puts the monument's marker. What a reader sees of a sensitive
place is decided by register.visibility.
"""

from collections.abc import Iterable

import shapely
from django.db.models import QuerySet
from django.urls import reverse
from shapely.geometry import shape

from register import visibility
from register.models import Monument


def _absolute(url: str, request) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def geometry(extent: dict | None) -> dict | None:
    """Return a stored extent as a GeoJSON geometry object: its type and coordinates, no other member."""
    if extent is None:
        return None
    return {"type": extent["type"], "coordinates": extent["coordinates"]}


def wkt(extent: dict) -> str:
    """Return an extent as WKT (longitude before latitude, every digit kept), as CSV and JSON-LD give it."""
    return shapely.to_wkt(shape(extent), rounding_precision=-1)


def monument_feature(monument: Monument, *, condition: str | None, exact_location: bool, request=None) -> dict | None:
    """Return one monument as a GeoJSON Feature, or None when it has no coordinates.

    ``exact_location`` is whether the reader sees a sensitive place exactly (register.visibility).
    """
    seen = visibility.location_seen(
        latitude=monument.latitude,
        longitude=monument.longitude,
        extent=monument.extent,
        sensitive=monument.sensitive,
        exact=exact_location,
    )
    if seen.latitude is None or seen.longitude is None:
        return None
    # RFC 7946 section 3.1.1: longitude first, then latitude, as numbers.
    point = {"type": "Point", "coordinates": [float(seen.longitude), float(seen.latitude)]}
    return {
        "type": "Feature",
        "id": monument.pk,
        "geometry": geometry(seen.extent) or point,
        "properties": {
            "id": monument.pk,
            "slug": monument.slug,
            "name": monument.name,
            "kind": monument.kind,
            "condition": condition,
            "part_of": monument.part_of.slug if monument.part_of_id else None,
            "latitude": float(seen.latitude),
            "longitude": float(seen.longitude),
            "sensitive": monument.sensitive,
            "page_url": _absolute(monument.get_absolute_url(), request),
            "api_url": _absolute(reverse("api:monument-detail", kwargs={"slug": monument.slug}), request),
        },
    }


def feature_collection(
    monuments: Iterable[Monument],
    *,
    exact_locations: bool = False,
    conditions: dict[int, str] | None = None,
    request=None,
) -> dict:
    """Return the monuments that have coordinates as an RFC 7946 FeatureCollection.

    ``exact_locations`` is whether the reader sees sensitive places exactly; by default the collection shows
    what the public sees. ``conditions`` maps monument ids to their condition now; when omitted each
    monument's stored condition is used (no query). Pass a request to get absolute URLs. A QuerySet gets its
    ``part_of`` joined so the collection costs no query per monument.
    """
    if isinstance(monuments, QuerySet):
        monuments = monuments.select_related("part_of")
    monuments = list(monuments)
    if conditions is None:
        # The stored condition, kept equal to condition_now by register.services.condition.
        conditions = {monument.pk: monument.condition for monument in monuments}
    features = []
    for monument in monuments:
        feature = monument_feature(
            monument, condition=conditions.get(monument.pk), exact_location=exact_locations, request=request
        )
        if feature is not None:
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}
