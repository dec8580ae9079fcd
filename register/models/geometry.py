"""A place's extent: a GeoJSON Polygon or MultiPolygon (RFC 7946) in WGS84, checked with shapely.

The extent is kept as the GeoJSON geometry object itself (``{"type": ..., "coordinates": ...}``) so every
channel can hand it on unchanged; ``extent_validate`` is the model field's validator, so the admin, the API
and the places importer refuse the same things with the same messages.
"""

import math

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely.errors import GEOSException
from shapely.geometry import shape

EXTENT_TYPES = ("Polygon", "MultiPolygon")
# A site's outline needs hundreds of points at most; thousands more are a traced raster or a mistake, and
# every page and download that draws the extent would carry them.
MAX_EXTENT_VERTICES = 5000


def _refuse(message, code, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _positions(geometry_type: str, coordinates) -> list:
    """Return every position of the geometry, or refuse coordinates that are not nested as its type requires."""
    polygons = [coordinates] if geometry_type == "Polygon" else coordinates
    if not isinstance(polygons, list):
        raise _refuse(_("The extent's coordinates must be a list of polygons."), "extent_shape")
    positions = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise _refuse(_("Each polygon of the extent must be a non-empty list of rings."), "extent_shape")
        for ring in polygon:
            if not isinstance(ring, list):
                raise _refuse(_("Each ring of the extent must be a list of positions."), "extent_shape")
            if len(ring) < 4:
                raise _refuse(
                    _("Each ring of the extent needs at least four positions; one has %(count)s."),
                    "extent_ring_short",
                    count=len(ring),
                )
            if ring[0] != ring[-1]:
                raise _refuse(
                    _("Each ring of the extent must end at the position it starts from (RFC 7946)."),
                    "extent_ring_open",
                )
            positions.extend(ring)
            if len(positions) > MAX_EXTENT_VERTICES:
                raise _refuse(
                    _("The extent has more than %(limit)s vertices; simplify it first."),
                    "extent_too_many_vertices",
                    limit=MAX_EXTENT_VERTICES,
                )
    return positions


def _check_position(position) -> None:
    numbers = (
        isinstance(position, list)
        and len(position) in (2, 3)
        and all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in position)
    )
    if not numbers:
        raise _refuse(
            _("Each position of the extent must be [longitude, latitude] in numbers; %(position)s is not."),
            "extent_position",
            position=str(position)[:60],
        )
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
        raise _refuse(
            _(
                "The extent's position [%(longitude)s, %(latitude)s] is outside WGS84 "
                "(longitude -180 to 180, latitude -90 to 90)."
            ),
            "extent_out_of_range",
            longitude=longitude,
            latitude=latitude,
        )


def extent_validate(value) -> None:
    """Refuse anything but a valid GeoJSON Polygon or MultiPolygon in WGS84 of at most MAX_EXTENT_VERTICES."""
    if value is None:
        return
    if not isinstance(value, dict) or value.get("type") not in EXTENT_TYPES:
        raise _refuse(_("The extent must be a GeoJSON geometry of type Polygon or MultiPolygon."), "extent_type")
    if "coordinates" not in value:
        raise _refuse(_("The extent has no coordinates."), "extent_shape")
    for position in _positions(value["type"], value["coordinates"]):
        _check_position(position)
    try:
        geometry = shape(value)
    except (GEOSException, ValueError, TypeError, IndexError) as error:
        raise _refuse(
            _("The extent is not a polygon shapely can read: %(reason)s."), "extent_shape", reason=error
        ) from None
    if geometry.is_empty:
        raise _refuse(_("The extent is empty."), "extent_empty")
    if not geometry.is_valid:
        # GEOS names the fault and where it is, for example "Self-intersection[38.27 34.55]".
        raise _refuse(
            _("The extent is not a valid polygon: %(reason)s."),
            "extent_invalid",
            reason=shapely.is_valid_reason(geometry),
        )


def representative_point(value: dict) -> tuple[float, float]:
    """Return a (latitude, longitude) that lies inside a valid extent, for a place given only its outline."""
    point = shape(value).representative_point()
    return point.y, point.x
