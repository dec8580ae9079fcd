"""What the public may see, decided in one place for every channel.

Monuments, artefacts, sources and articles are public. An incident, restoration or assessment is public once a
curator has published it and a quote supports it, and evidence when its event is. A draft is seen by curators only;
a withdrawn record is in no list, count, map or condition, but its page stays at its address with the reason.
The rule is one function, ``register.models.events.public_rule``; its
answer is stored in each event's ``is_public`` (kept true by register.services.condition after every change), and
the ``public()`` methods of incidents, restorations, assessments and evidence read that flag. The pages, the API in
every format and its forms, search, the counts, the maps and the bulk download read through these. Curators who may
change a model see its records whether public or not, in the API.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from register.models import Article, Assessment, Evidence, Incident, Monument, Restoration
from register.models.vocabularies import PublicationState

# The models some of whose records the public may not see; every other model's records are all public.
PUBLISHED_IN_PART = (Incident, Restoration, Assessment, Evidence)


def public(queryset: QuerySet) -> QuerySet:
    """Return the records of ``queryset`` the public may see."""
    return queryset.public() if issubclass(queryset.model, PUBLISHED_IN_PART) else queryset


def with_page(queryset: QuerySet) -> QuerySet:
    """Return the events of ``queryset`` whose page the public may open: the public ones, and those withdrawn."""
    return queryset.filter(Q(is_public=True) | Q(state=PublicationState.WITHDRAWN))


def sees_unpublished(user, model) -> bool:
    """Return whether ``user`` sees the records of ``model`` the public may not: curators who may change them."""
    opts = model._meta
    return user is not None and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def visible_to(user, queryset: QuerySet, *, withdrawn: bool = False) -> QuerySet:
    """Return the records of ``queryset`` that ``user`` (None for no one signed in) may see.

    With ``withdrawn``, the public also sees withdrawn events, as their pages show them: where a harvester asks what
    changed, or for one record by its address.
    """
    if sees_unpublished(user, queryset.model):
        return queryset
    if withdrawn and issubclass(queryset.model, PUBLISHED_IN_PART) and queryset.model is not Evidence:
        return with_page(queryset)
    return public(queryset)


# Sensitive locations: looted sites are found by their coordinates, so the public sees a sensitive place's
# coordinates rounded to one decimal (about 11 km) and no extent; curators who may change monuments see them exact.
PUBLIC_COORDINATE_STEP = Decimal("0.1")
HALF_STEP = PUBLIC_COORDINATE_STEP / 2


@dataclass(frozen=True)
class Location:
    """A place's coordinates (WGS84 degrees) and extent (a GeoJSON geometry) as one reader may see them."""

    latitude: Decimal | None
    longitude: Decimal | None
    extent: dict | None


def sees_exact_locations(user) -> bool:
    """Return whether ``user`` (None for no one signed in) sees sensitive places where they are exactly."""
    return sees_unpublished(user, Monument)


def sees_guesses(user) -> bool:
    """Return whether ``user`` sees the importer's unconfirmed guesses of an article's publisher and outlet.

    The public never sees a guess as fact (register.models.sources.carried_text); curators who may change articles
    see each guess marked as not confirmed.
    """
    return sees_unpublished(user, Article)


def rounded_coordinate(value: Decimal | None) -> Decimal | None:
    """Return a coordinate to one decimal, a half step away from zero (as ``in_public_bbox`` matches it)."""
    return None if value is None else Decimal(value).quantize(PUBLIC_COORDINATE_STEP, rounding=ROUND_HALF_UP)


def location_seen(*, latitude, longitude, extent, sensitive: bool, exact: bool) -> Location:
    """Return a place's location as a reader sees it: as stored, unless it is sensitive and the reader not ``exact``.

    The one rule every channel applies (pages, maps, every API format, the bulk download): a sensitive place
    shows the public its coordinates rounded to one decimal and no extent.
    """
    if exact or not sensitive:
        return Location(latitude, longitude, extent)
    return Location(rounded_coordinate(latitude), rounded_coordinate(longitude), None)


def public_location(monument: Monument) -> Location:
    """Return where the public sees ``monument``."""
    return location_seen(
        latitude=monument.latitude,
        longitude=monument.longitude,
        extent=monument.extent,
        sensitive=monument.sensitive,
        exact=False,
    )


def _rounding_to(field: str, low: Decimal, high: Decimal) -> Q:
    """Return the condition that ``field``, rounded as ``rounded_coordinate`` rounds, lies in [low, high]."""
    first = (low / PUBLIC_COORDINATE_STEP).to_integral_value(rounding=ROUND_CEILING) * PUBLIC_COORDINATE_STEP
    last = (high / PUBLIC_COORDINATE_STEP).to_integral_value(rounding=ROUND_FLOOR) * PUBLIC_COORDINATE_STEP
    if first > last:
        return Q(pk__in=[])
    # A value half a step from a multiple rounds away from zero: onto ``first`` above zero, onto ``last`` below it.
    bottom = (f"{field}__gte" if first > 0 else f"{field}__gt", first - HALF_STEP)
    top = (f"{field}__lte" if last < 0 else f"{field}__lt", last + HALF_STEP)
    return Q(bottom, top)


def in_public_bbox(queryset: QuerySet, *, user, min_lon: float, min_lat: float, max_lon: float, max_lat: float):
    """Return the monuments of ``queryset`` inside a WGS84 box as ``user`` sees them.

    A sensitive place is inside when the point the public sees is (its coordinates rounded), so no box, however
    small, tells more of where it is than its rounded coordinates do. A west edge east of the east edge crosses
    the antimeridian, as in ``in_bbox``.
    """
    if sees_exact_locations(user):
        return queryset.in_bbox(min_lon, min_lat, max_lon, max_lat)
    west, south, east, north = (Decimal(str(edge)) for edge in (min_lon, min_lat, max_lon, max_lat))
    if west <= east:
        longitudes = _rounding_to("longitude", west, east)
    else:
        longitudes = _rounding_to("longitude", west, Decimal(180)) | _rounding_to("longitude", Decimal(-180), east)
    rounded = Q(sensitive=True) & _rounding_to("latitude", south, north) & longitudes
    return queryset.filter(sensitive=False).in_bbox(min_lon, min_lat, max_lon, max_lat) | queryset.filter(rounded)
