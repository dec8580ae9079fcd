"""What the public may see, decided in one place for every channel.

Monuments, artefacts, sources and articles are public. An incident or restoration is public once a quote supports
it, and evidence when its event is. The rule is one function, ``register.models.events.public_rule``; its answer
is stored in each event's ``is_public`` (kept true by register.services.condition after every change), and the
``public()`` methods of incidents, restorations and evidence read that flag. The pages, the API in every format
and its forms, search, the counts, the maps and the bulk download read through these. Curators who may change a
model see its records whether public or not, in the API.
"""

from django.db.models import QuerySet

from register.models import Evidence, Incident, Restoration

# The models some of whose records the public may not see; every other model's records are all public.
PUBLISHED_IN_PART = (Incident, Restoration, Evidence)


def public(queryset: QuerySet) -> QuerySet:
    """Return the records of ``queryset`` the public may see."""
    return queryset.public() if issubclass(queryset.model, PUBLISHED_IN_PART) else queryset


def sees_unpublished(user, model) -> bool:
    """Return whether ``user`` sees the records of ``model`` the public may not: curators who may change them."""
    opts = model._meta
    return user is not None and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def visible_to(user, queryset: QuerySet) -> QuerySet:
    """Return the records of ``queryset`` that ``user`` (None for no one signed in) may see."""
    return queryset if sees_unpublished(user, queryset.model) else public(queryset)
