"""Viewsets of the research API: look up, call the models, respond.

Anyone may read; writing needs a curator's session or token and the model
permission. Detail responses carry an ETag; PUT, PATCH and DELETE must send it
back in an If-Match header: without one they answer 428, and with one that names
no current ETag 412, so no write overwrites a change its author has not seen.
"""

import json

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import permissions, renderers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from register import visibility
from register.api import filters, jsonld, languages, representations
from register.api.documentation import documented
from register.api.etags import check_if_match, etag, etags_for
from register.api.ordering import StrictOrderingFilter
from register.api.records import Reading, Representation
from register.api.renderers import GeoJSONRenderer, JSONLDRenderer
from register.api.serializers import ArticleWrites, CleanModelSerializer, EventWrites
from register.geojson import feature_collection
from register.models import Artefact, Article, Assessment, Evidence, Incident, Monument, Restoration, Source
from register.services.bulk_export import latest_export
from register.services.condition import conditions_refresh_for, event_subjects
from register.services.publication import correction_record, needs_correction_note, substantive_changes

# The note a correction of a published record carries: in a write's body, or a quote's removal's query.
CORRECTION_NOTE = "correction_note"

SLUG_REGEX = r"[-a-zA-Z0-9_]+"
ID_REGEX = r"[0-9]+"


class SpokenLanguage:
    """Answer in the language ``?lang=`` or ``Accept-Language`` asks for (register.api.languages), and say which.

    The response carries ``Content-Language`` and ``Vary: Accept-Language``; it is rendered while its language is
    active, so the browsable API and every format speak it, and the language before the request is restored after.
    An unsupported ``lang`` answers 400 naming it. Every view of the API mixes this in, before its APIView.
    """

    language = settings.LANGUAGE_CODE
    unsupported_language: str | None = None

    def dispatch(self, request, *args, **kwargs):
        self.language, self.unsupported_language = languages.response_language(request)
        with translation.override(self.language):
            response = super().dispatch(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()
        response["Content-Language"] = self.language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    def initial(self, request, *args, **kwargs):
        if self.unsupported_language is not None:
            raise languages.unsupported(self.unsupported_language)
        super().initial(request, *args, **kwargs)


class StrictParameters:
    """Answer a query parameter the view does not read with 400, naming it and listing those the address takes.

    A misspelt filter must not answer as if none were asked for: every record, as though filtered. Every view of
    the API mixes this in, before its APIView.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = self.known_parameters()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            message = gettext("Unknown parameter: this address takes %(known)s.") % {"known": ", ".join(sorted(known))}
            raise ValidationError({name: [message] for name in unknown})

    def known_parameters(self) -> set[str]:
        """Return the query parameters this view reads: the format and the language, unless a view reads more."""
        return {api_settings.URL_FORMAT_OVERRIDE, languages.PARAMETER}


class RecordViewSet(SpokenLanguage, StrictParameters, viewsets.ModelViewSet):
    """Behaviour every record shares: reads as rows of its representation, ETags, If-Match, re-reading after a write.

    A list or a detail is read by its representation (register.api.representations) in one query, and one more
    for each nested list; writes go through the serializer made from the same representation.
    """

    lookup_value_regex = SLUG_REGEX
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    representation: Representation

    def shows_withdrawn(self) -> bool:
        """Return whether withdrawn events are shown to the public: by their address, or to whoever harvests changes
        or asks for them by state."""
        params = self.request.query_params
        return self.action != "list" or "updated_after" in params or "state" in params

    def known_parameters(self) -> set[str]:
        """Return the query parameters this request's action reads: its format, and a list's filters and pages."""
        known = super().known_parameters()
        if self.action == "list":
            known |= set(self.filterset_class.base_filters) if self.filterset_class is not None else set()
            known |= {StrictOrderingFilter.ordering_param}
            known |= {self.paginator.cursor_query_param, self.paginator.page_size_query_param}
        return known

    def get_serializer_class(self):
        return self.representation.serializer(CleanModelSerializer)

    def reading(self) -> Reading:
        """Return how this request's records are presented: for its reader (curators see sensitive places exactly)."""
        return Reading(
            request=self.request,
            sees_exact_locations=self.sees_exact_locations(),
            language=self.language,
            sees_guesses=visibility.sees_guesses(self.request.user),
        )

    def sees_exact_locations(self) -> bool:
        return visibility.sees_exact_locations(self.request.user)

    def read(self, queryset, **kwargs) -> list:
        """Return the records of ``queryset`` as this request shows them (the paginator reads a page through this)."""
        return self.representation.read(queryset, self.reading(), **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(page)

    def retrieve(self, request, *args, **kwargs):
        key = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        found = self.read(self.get_queryset().filter(**{self.lookup_field: key}), also=("version",))
        if not found:
            raise NotFound()
        return self._response(*found[0], status.HTTP_200_OK)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = serializer.save()
            conditions_refresh_for(records=[instance])
        return self._respond_with(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self._locked_for_write(request)
            # The subjects as they were, so a quote or event moved elsewhere leaves a true condition behind.
            before = event_subjects(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
            serializer.is_valid(raise_exception=True)
            correction = self.correction_of(instance, serializer.validated_data, request)
            instance = serializer.save()
            if correction is not None:
                correction_record(instance, note=correction[0], changed=correction[1], by=request.user)
            conditions_refresh_for(records=[*before, instance])
        return self._respond_with(instance, status.HTTP_200_OK)

    def correction_of(self, instance, changes: dict, request) -> tuple | None:
        """Return the correction note and the fields a write corrects in a record the public has seen, else None."""
        return None

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self._locked_for_write(request)
            instance.delete()
            conditions_refresh_for(records=[instance])
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _locked_for_write(self, request):
        """Return the record locked until the write commits, once its If-Match header matches."""
        found = self.get_object()
        # Locked and re-read, so two curators' writes cannot both pass the check on the same version.
        instance = type(found).objects.select_for_update().filter(pk=found.pk).first()
        if instance is None:
            # Deleted by a write that committed between our read and our lock: gone, as for any later request.
            raise NotFound()
        check_if_match(request.headers.get("If-Match"), etags_for(instance))
        return instance

    def _respond_with(self, instance, code):
        # Read back as a GET reads it, counts and nested records included; its writer may see it, published or not.
        record, hidden = self.read(type(instance).objects.filter(pk=instance.pk), also=("version",))[0]
        response = self._response(record, hidden, code)
        if code == status.HTTP_201_CREATED:
            address = reverse(
                f"api:{self.basename}-detail", kwargs={self.lookup_field: getattr(instance, self.lookup_field)}
            )
            response["Location"] = self.request.build_absolute_uri(address)
        return response

    def _response(self, record: dict, hidden: dict, code: int) -> Response:
        response = Response(self.represent(record), status=code)
        response["ETag"] = etag(self.representation.model, record["id"], hidden["version"], self.language)
        return response

    def represent(self, record: dict):
        """Return one record as this request's format shows it, the same after a write as in a read."""
        return record

    def can_see_unpublished(self, model) -> bool:
        """Curators who may change a model also see its records the public may not (register.visibility)."""
        return visibility.sees_unpublished(self.request.user, model)


@documented("monuments")
class MonumentViewSet(RecordViewSet):
    """Monuments: sites and their parts, with names in every language, coordinates, extent and condition now.

    `?format=geojson` answers a FeatureCollection of the monuments that have coordinates: each feature's geometry
    is the monument's extent where it has one, else its point. A sensitive place shows its coordinates rounded to
    one decimal (about 11 km) and no extent, unless you may change monuments; `bbox` matches it by those rounded
    coordinates.
    """

    lookup_field = "slug"
    representation = representations.MONUMENT
    filterset_class = filters.MonumentFilter
    ordering = ("name",)
    ordering_fields = ["name", "slug", "id", "updated"]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, GeoJSONRenderer, JSONLDRenderer]
    jsonld_node = staticmethod(jsonld.monument_node)

    def get_queryset(self):
        return Monument.objects.all()

    def as_geojson(self) -> bool:
        return self.request.accepted_renderer.format == GeoJSONRenderer.format

    def read(self, queryset, **kwargs) -> list:
        # As GeoJSON, records are features made from the monuments themselves (register.geojson).
        if self.as_geojson() and not kwargs:
            return list(queryset.select_related("part_of"))
        return super().read(queryset, **kwargs)

    def list(self, request, *args, **kwargs):
        if not self.as_geojson():
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).with_coordinates())
        collection = feature_collection(page, exact_locations=self.sees_exact_locations(), request=request)
        return self.get_paginated_response(collection)

    def represent(self, record: dict):
        # As GeoJSON, a record read or written is a FeatureCollection of it (empty when it has no coordinates).
        if not self.as_geojson():
            return record
        return feature_collection(
            Monument.objects.filter(pk=record["id"]).select_related("part_of"),
            exact_locations=self.sees_exact_locations(),
            request=self.request,
        )


@documented("artefacts")
class ArtefactViewSet(RecordViewSet):
    """Movable objects: where they came from and who holds them now."""

    lookup_field = "slug"
    representation = representations.ARTEFACT
    filterset_class = filters.ArtefactFilter
    ordering = ("name",)
    ordering_fields = ["name", "slug", "id", "updated"]

    def get_queryset(self):
        return Artefact.objects.all()


class CorrectedWrites:
    """Writes to incidents, restorations and assessments: a change in substance to a record the public has seen is
    a correction, whose note (``correction_note`` in the body) its page and the feeds show, as the admin asks."""

    def get_serializer_class(self):
        return self.representation.serializer(EventWrites, fields=[*self.representation.parts, "correction_note"])

    def correction_of(self, instance, changes: dict, request) -> tuple | None:
        if not needs_correction_note(instance):
            return None
        changed = substantive_changes(instance, changes)
        if not changed:
            return None
        note = changes.get("correction_note", "")
        if not note.strip():
            message = gettext(
                "This record has been published: changing %(fields)s is a correction, so say what you changed and why "
                "in correction_note; the public reads it on the record's page."
            ) % {"fields": ", ".join(changed)}
            raise ValidationError({"correction_note": [message]})
        return note, changed


@documented("incidents")
class IncidentViewSet(CorrectedWrites, RecordViewSet):
    """Damage to a monument or artefact: when (EDTF, with its earliest and latest day), what, and every quote."""

    lookup_field = "slug"
    representation = representations.INCIDENT
    filterset_class = filters.IncidentFilter
    ordering = ("occurred_earliest",)
    ordering_fields = ["occurred_earliest", "occurred_latest", "slug", "id", "updated"]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, JSONLDRenderer]
    jsonld_node = staticmethod(jsonld.incident_node)

    def get_queryset(self):
        return visibility.visible_to(self.request.user, Incident.objects.all(), withdrawn=self.shows_withdrawn())


@documented("restorations")
class RestorationViewSet(CorrectedWrites, RecordViewSet):
    """Conservation, restoration, reconstruction, replicas and returns, with every quote."""

    lookup_field = "slug"
    representation = representations.RESTORATION
    filterset_class = filters.RestorationFilter
    ordering = ("finished_earliest",)
    ordering_fields = ["finished_earliest", "finished_latest", "slug", "id", "updated"]

    def get_queryset(self):
        return visibility.visible_to(self.request.user, Restoration.objects.all(), withdrawn=self.shows_withdrawn())


@documented("assessments")
class AssessmentViewSet(CorrectedWrites, RecordViewSet):
    """Dated statements of a monument's or artefact's state: condition, damage extent, trend, threats, priority."""

    lookup_field = "slug"
    representation = representations.ASSESSMENT
    filterset_class = filters.AssessmentFilter
    ordering = ("assessed_earliest",)
    ordering_fields = ["assessed_earliest", "assessed_latest", "slug", "id", "updated"]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, JSONLDRenderer]
    jsonld_node = staticmethod(jsonld.assessment_node)

    def get_queryset(self):
        return visibility.visible_to(self.request.user, Assessment.objects.all(), withdrawn=self.shows_withdrawn())


@documented("articles")
class ArticleViewSet(RecordViewSet):
    """Reports as received: metadata, cleaned body, SHA-256 fingerprint, and the monuments quoted from them.

    Lists leave out `raw_text`; each article's own address carries it.
    """

    lookup_value_regex = ID_REGEX
    representation = representations.ARTICLE
    filterset_class = filters.ArticleFilter
    ordering = ("-id",)
    ordering_fields = ["id", "title", "created", "updated"]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, JSONLDRenderer]
    jsonld_node = staticmethod(jsonld.article_node)

    def get_queryset(self):
        return Article.objects.all()

    def read(self, queryset, **kwargs) -> list:
        if self.action == "list":
            return representations.ARTICLE_SUMMARY.read(queryset, self.reading(), **kwargs)
        return super().read(queryset, **kwargs)

    def get_serializer_class(self):
        if self.action == "list":
            return representations.ARTICLE_SUMMARY.serializer(ArticleWrites)
        return self.representation.serializer(ArticleWrites)


@documented("sources")
class SourceViewSet(RecordViewSet):
    """Agencies, outlets, monitors, state bodies and institutes that publish or are quoted."""

    lookup_field = "slug"
    representation = representations.SOURCE
    filterset_class = filters.SourceFilter
    ordering = ("name",)
    ordering_fields = ["name", "slug", "id", "updated"]

    def get_queryset(self):
        return Source.objects.all()


@documented("evidence")
class EvidenceViewSet(RecordViewSet):
    """Quotes: a verbatim passage at its position in an article, for one incident, restoration or assessment."""

    lookup_value_regex = ID_REGEX
    representation = representations.EVIDENCE
    filterset_class = filters.EvidenceFilter
    ordering = ("id",)
    ordering_fields = ["id", "position", "updated"]

    def get_queryset(self):
        # The public sees only the evidence for events it may see, as in the event's own record.
        return visibility.visible_to(self.request.user, Evidence.objects.all())

    def known_parameters(self) -> set[str]:
        known = super().known_parameters()
        return known | {CORRECTION_NOTE} if self.action == "destroy" else known

    @extend_schema(
        parameters=[
            OpenApiParameter(
                CORRECTION_NOTE,
                str,
                description="Required when the quote supports a record that has been published: why it is removed. "
                "The public reads it, dated, on the record's page and in the feeds.",
            )
        ]
    )
    def destroy(self, request, *args, **kwargs):
        # Removing a quote from a record the public has seen is a correction, whose note the public reads.
        event = self.get_object().event
        note = request.query_params.get(CORRECTION_NOTE, "")
        if "\x00" in note:
            raise ValidationError({CORRECTION_NOTE: [gettext("Null characters are not allowed.")]})
        corrected = needs_correction_note(event)
        if corrected and not note.strip():
            message = gettext(
                "This quote supports a published record: removing it is a correction, so say why in "
                "correction_note; the public reads it on the record's page."
            )
            raise ValidationError({CORRECTION_NOTE: [message]})
        with transaction.atomic():
            response = super().destroy(request, *args, **kwargs)
            if corrected:
                correction_record(event, note=note, changed=["evidence"], by=request.user)
        return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Answer an address under /api/ that the API does not have: 404 in JSON, whatever the method.

    Exempt from the CSRF check, which would otherwise answer an unsafe method with Django's HTML page: it changes
    nothing. A read of an API address without its final slash is sent on to that address, as Django's
    APPEND_SLASH would; a write is not (its body would be lost), and its 404 names the address to use.
    """
    path = request.path_info
    if not path.endswith("/"):
        try:
            found = resolve(f"{path}/").func is not not_found
        except Resolver404:
            found = False
        if found and request.method in {"GET", "HEAD"}:
            address = request.get_full_path(force_append_slash=True)
            body = {"detail": gettext("Moved to %(address)s.") % {"address": address}}
            return HttpResponsePermanentRedirect(address, content=json.dumps(body), content_type="application/json")
        if found:
            detail = gettext("Not found: API addresses end in a slash, as %(address)s does.") % {"address": f"{path}/"}
            return JsonResponse({"detail": detail}, status=404)
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


class RootView(SpokenLanguage, StrictParameters, APIRootView):
    """The Heritage Damage Register's research API, version 1: its records, schema, docs and bulk download."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, view_name in (("schema", "api:schema"), ("docs", "api:docs"), ("bulk", "api:bulk-latest")):
            response.data[name] = request.build_absolute_uri(reverse(view_name))
        return response


class ZipRenderer(renderers.BaseRenderer):
    media_type = "application/zip"
    format = "zip"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class SchemaView(SpokenLanguage, StrictParameters, SpectacularAPIView):
    """The OpenAPI schema, in YAML or (``?format=json``) JSON; ``lang`` picks the language of its descriptions."""


class DocsView(SpokenLanguage, StrictParameters, SpectacularSwaggerSplitView):
    """Swagger UI over the schema; its start-up script is served from the same address with ``?script``."""

    def known_parameters(self) -> set[str]:
        return {*super().known_parameters(), "script"}


class BulkDownloadView(SpokenLanguage, StrictParameters, APIView):
    """The whole register in one ZIP archive: JSON Lines and CSV per record type, with a README on how to cite it."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [ZipRenderer, renderers.JSONRenderer]

    @extend_schema(
        operation_id="bulk_latest",
        # The archive is the only format; errors are JSON whatever is asked for.
        parameters=[OpenApiParameter("format", exclude=True)],
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The latest archive."),
            (404, "application/json"): OpenApiResponse(
                {"type": "object", "properties": {"detail": {"type": "string"}}},
                description="No archive has been generated yet (`manage.py export_bulk`).",
            ),
        },
    )
    def get(self, request, *args, **kwargs):
        path = latest_export()
        if path is None:
            # JSON whatever the client accepted: there is no archive to send.
            return JsonResponse(
                {"detail": "No bulk download has been generated yet: run manage.py export_bulk."}, status=404
            )
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip")
