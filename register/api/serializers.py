"""JSON representations of the register's records, and the writes curators make through them.

Every record carries its id, ``api_url`` and ``page_url`` (null where the
register has no public page for it yet). Foreign keys are written and read as
slugs (ids for articles); nested summaries beside them are read-only. Writes
go through the model's ``full_clean()``, so a quote that is not verbatim in
its article is a 400, never a 500.
"""

from collections import defaultdict

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from register.api.reading import (
    Expression,
    PlannedReadMixin,
    absolute_url,
    fields_reader,
    key_attribute,
    link_maker,
    page_link,
    plan_for,
    record_attribute,
)
from register.models import (
    AlternateName,
    Artefact,
    Article,
    Evidence,
    Incident,
    Monument,
    Restoration,
    Source,
    fingerprint,
)


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The record's address in this API."""

    def __init__(self, view_name: str, lookup_field: str = "pk", **kwargs):
        self.view_name, self.lookup_field = view_name, lookup_field
        kwargs.setdefault("help_text", "The record's address in this API.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        kwargs = {self.lookup_field: getattr(value, self.lookup_field)}
        return absolute_url(reverse(f"api:{self.view_name}", kwargs=kwargs), self.context)

    def planned_reader(self, serializer):
        key = key_attribute(serializer.Meta.model, self.lookup_field)
        return link_maker(f"api:{self.view_name}", by_keyword=self.lookup_field).to(record_attribute(key))


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class PageUrlField(serializers.Field):
    """The record's public page, or null where it has none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The record's public page; null where the register has none.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        page = getattr(value, "get_absolute_url", None)
        return absolute_url(page(), self.context) if page else None

    def planned_reader(self, serializer):
        return self.planned_for(serializer.Meta.model)

    @staticmethod
    def planned_for(model) -> Expression:
        if not hasattr(model, "get_absolute_url"):
            return Expression("None")
        link = page_link(model)
        if link is None:
            raise ImproperlyConfigured(f"{model.__name__} has a public page that register.api.reading cannot link.")
        return link


class CleanModelSerializer(PlannedReadMixin, serializers.ModelSerializer):
    """Save through the model's own validation: ``full_clean()`` then ``save()``, in one transaction.

    Records are read out through a plan (register.api.reading), not field by field.
    """

    def get_validators(self):
        # full_clean() checks every unique and conditional constraint; DRF's own guesses from conditional
        # constraints would make optional fields (an evidence's restoration) required.
        return []

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    @transaction.atomic
    def _save(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            detail = serializers.as_serializer_error(error)
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
            raise serializers.ValidationError(detail) from None
        instance.save()
        return instance


class SlugRelatedField(serializers.SlugRelatedField):
    """A record named by its slug; a slug with a NUL is refused before it is looked up (PostgreSQL cannot take one)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            ProhibitNullCharactersValidator()(data)
        return super().to_internal_value(data)


def _slug_field(queryset, slug_field="slug", **kwargs):
    return SlugRelatedField(slug_field=slug_field, queryset=queryset, **kwargs)


# Summaries nested in other records.


class SourceSummarySerializer(serializers.ModelSerializer):
    api_url = ApiUrlField("source-detail", "slug")

    class Meta:
        model = Source
        fields = ["id", "slug", "name", "short_name", "kind", "api_url"]


class MonumentSummarySerializer(PlannedReadMixin, serializers.ModelSerializer):
    api_url = ApiUrlField("monument-detail", "slug")
    page_url = PageUrlField()

    class Meta:
        model = Monument
        fields = ["id", "slug", "name", "kind", "api_url", "page_url"]


class SubjectSerializer(serializers.Serializer):
    """What an incident or restoration is about: a monument or an artefact."""

    type = serializers.ChoiceField(choices=["monument", "artefact"], help_text="Monument or artefact.")
    id = serializers.IntegerField(help_text="The monument's or artefact's id.")
    slug = serializers.SlugField(help_text="Its slug.")
    name = serializers.CharField(help_text="Its name.")
    api_url = serializers.URLField(help_text="Its address in this API.")
    page_url = serializers.URLField(allow_null=True, help_text="Its public page; null where there is none.")

    def to_representation(self, instance):
        if isinstance(instance, Monument):
            kind, view_name = "monument", "monument-detail"
        else:
            kind, view_name = "artefact", "artefact-detail"
        page = getattr(instance, "get_absolute_url", None)
        return {
            "type": kind,
            "id": instance.pk,
            "slug": instance.slug,
            "name": instance.name,
            "api_url": absolute_url(reverse(f"api:{view_name}", kwargs={"slug": instance.slug}), self.context),
            "page_url": absolute_url(page(), self.context) if page else None,
        }

    def planned_reader(self, serializer):
        def summary(model, kind: str):
            return fields_reader(
                f"read_{kind}_subject",
                [
                    ("type", Expression(repr(kind))),
                    ("id", record_attribute(key_attribute(model, "pk"))),
                    ("slug", record_attribute("slug")),
                    ("name", record_attribute("name")),
                    ("api_url", link_maker(f"api:{kind}-detail", by_keyword="slug").to(record_attribute("slug"))),
                    ("page_url", PageUrlField.planned_for(model)),
                ],
            )

        summaries = {Monument: summary(Monument, "monument"), Artefact: summary(Artefact, "artefact")}
        return Expression(
            "None if ($subject := record.subject) is None else $summaries[type($subject)]($subject, reading)",
            {"summaries": summaries},
        )


class CitationSerializer(serializers.ModelSerializer):
    """The article a quote comes from, as a reader cites it."""

    api_url = ApiUrlField("article-detail")
    page_url = PageUrlField()
    publisher = SourceSummarySerializer(read_only=True)
    carried_by = SourceSummarySerializer(read_only=True, allow_null=True)
    text = serializers.CharField(source="citation", read_only=True, help_text="The citation on one line.")

    class Meta:
        model = Article
        fields = ["id", "title", "publisher", "carried_by", "published", "url", "sha256", "text", "api_url", "page_url"]


class AttributionSerializer(serializers.Serializer):
    """Who says it: the publisher, the outlet that carried it, and whom the article cites."""

    publisher = serializers.CharField()
    carried_by = serializers.CharField(allow_null=True)
    cited_source = serializers.CharField(allow_null=True)
    cited_person = serializers.CharField(allow_blank=True)
    text = serializers.CharField(help_text='For example: "AFP (via Pulse), citing Rami Abdel Rahman".')

    def to_representation(self, instance: Evidence):
        publisher, carried_by, cited_source, cited_person = self.names(instance)
        return {
            "publisher": publisher,
            "carried_by": carried_by,
            "cited_source": cited_source,
            "cited_person": cited_person,
            "text": instance.attribution,
        }

    @staticmethod
    def names(instance: Evidence) -> tuple[str, str | None, str | None, str]:
        article = instance.article
        return (
            article.publisher.citation_name,
            article.carried_by.citation_name if article.carried_by_id else None,
            instance.cited_source.name if instance.cited_source_id else None,
            instance.cited_person,
        )

    def planned_reader(self, serializer):
        names, represent = self.names, self.to_representation

        def attribution(record, reading):
            # Evidence.attribution is made of these names alone (and the active language, which a response does
            # not change), and translating its words costs more than the rest of a quote: a page of quotes from
            # a dozen outlets translates a dozen chains, not one per quote.
            key = (attribution, names(record))
            shown = reading.remembered.get(key)
            if shown is None:
                shown = reading.remembered[key] = represent(record)
            # Each quote its own dict, as DRF gives.
            return shown.copy()

        return attribution


# Records.


class SourceSerializer(CleanModelSerializer):
    api_url = ApiUrlField("source-detail", "slug")
    page_url = PageUrlField()

    class Meta:
        model = Source
        fields = ["id", "api_url", "page_url", "slug", "name", "short_name", "kind", "country", "url", "description"]


class AlternateNameSerializer(serializers.ModelSerializer):
    right_to_left = serializers.BooleanField(source="is_right_to_left", read_only=True)

    class Meta:
        model = AlternateName
        fields = ["name", "language", "note", "right_to_left"]


class MonumentSerializer(CleanModelSerializer):
    api_url = ApiUrlField("monument-detail", "slug")
    page_url = PageUrlField()
    part_of = _slug_field(Monument.objects.all(), required=False, allow_null=True)
    alternate_names = AlternateNameSerializer(
        source="names", many=True, read_only=True, help_text="Other names and spellings, with BCP 47 language tags."
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=7, coerce_to_string=False, allow_null=True, required=False
    )
    longitude = serializers.DecimalField(
        max_digits=10, decimal_places=7, coerce_to_string=False, allow_null=True, required=False
    )
    # Stored, and kept equal to condition_now by register.services.condition: no query per page or record;
    # the counts too.
    condition = serializers.ChoiceField(
        choices=Monument._meta.get_field("condition").choices,
        read_only=True,
        help_text="Condition after every evidenced event (EAMENA).",
    )
    incident_count = serializers.IntegerField(read_only=True, help_text="Evidenced incidents of this monument.")
    evidence_count = serializers.IntegerField(
        read_only=True, help_text="Quotes about this monument's incidents and restorations."
    )

    class Meta:
        model = Monument
        fields = [
            "id",
            "api_url",
            "page_url",
            "slug",
            "name",
            "kind",
            "part_of",
            "alternate_names",
            "latitude",
            "longitude",
            "built",
            "built_earliest_year",
            "built_latest_year",
            "description",
            "wikidata",
            "unesco_ref",
            "condition_baseline",
            "condition",
            "incident_count",
            "evidence_count",
            "created",
            "updated",
        ]


class ArtefactSerializer(CleanModelSerializer):
    api_url = ApiUrlField("artefact-detail", "slug")
    page_url = PageUrlField()
    origin = _slug_field(Monument.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Artefact
        fields = [
            "id",
            "api_url",
            "page_url",
            "slug",
            "name",
            "description",
            "made",
            "origin",
            "current_holder",
            "wikidata",
            "condition_baseline",
            "created",
            "updated",
        ]


class EvidenceSerializer(CleanModelSerializer):
    api_url = ApiUrlField("evidence-detail")
    page_url = PageUrlField()
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    incident = _slug_field(Incident.objects.all(), required=False, allow_null=True)
    restoration = _slug_field(Restoration.objects.all(), required=False, allow_null=True)
    cited_source = _slug_field(Source.objects.all(), required=False, allow_null=True)
    end = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Where the quote ends in the body, in characters."
    )
    is_quote = serializers.BooleanField(
        read_only=True,
        help_text="False for a report the register holds only by reference: its note says what it reports.",
    )
    citation = CitationSerializer(source="article", read_only=True)
    attribution = AttributionSerializer(source="*", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "api_url",
            "page_url",
            "quote",
            "position",
            "end",
            "is_quote",
            "note",
            "stance",
            "article",
            "citation",
            "attribution",
            "cited_source",
            "cited_person",
            "incident",
            "restoration",
            "asserted",
            "asserted_earliest",
            "asserted_latest",
            "created",
            "updated",
        ]


class EventEvidenceSerializer(EvidenceSerializer):
    """A quote as nested in its incident or restoration (which it need not name again)."""

    class Meta(EvidenceSerializer.Meta):
        fields = [name for name in EvidenceSerializer.Meta.fields if name not in {"incident", "restoration"}]


class EventSerializer(CleanModelSerializer):
    """What incidents and restorations share: one subject, and the quotes behind them."""

    page_url = PageUrlField()
    monument = _slug_field(Monument.objects.all(), required=False, allow_null=True)
    artefact = _slug_field(Artefact.objects.all(), required=False, allow_null=True)
    subject = SubjectSerializer(read_only=True)
    evidence = EventEvidenceSerializer(
        many=True, read_only=True, help_text="Every quote, with its article's citation and the attribution chain."
    )


class IncidentSerializer(EventSerializer):
    api_url = ApiUrlField("incident-detail", "slug")

    class Meta:
        model = Incident
        fields = [
            "id",
            "api_url",
            "page_url",
            "slug",
            "subject",
            "monument",
            "artefact",
            "kind",
            "grade",
            "occurred",
            "occurred_earliest",
            "occurred_latest",
            "reported",
            "reported_earliest",
            "reported_latest",
            "perpetrator",
            "summary",
            "strength",
            "certainty",
            "evidence",
            "created",
            "updated",
        ]
        extra_kwargs = {"perpetrator": {"help_text": "Who did it, as reported: not as established."}}


class RestorationSerializer(EventSerializer):
    api_url = ApiUrlField("restoration-detail", "slug")
    institution = _slug_field(Source.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Restoration
        fields = [
            "id",
            "api_url",
            "page_url",
            "slug",
            "subject",
            "monument",
            "artefact",
            "kind",
            "institution",
            "place",
            "country",
            "started",
            "started_earliest",
            "started_latest",
            "finished",
            "finished_earliest",
            "finished_latest",
            "returned",
            "returned_earliest",
            "returned_latest",
            "summary",
            "condition_after",
            "evidence",
            "created",
            "updated",
        ]


def mentions_by_article(article_ids: list[int]) -> dict[int, list[Monument]]:
    """Return the monuments each article names or is quoted about, in one query whatever the count.

    The same set as ``Article.objects.mentioning``, seen from the articles: the monuments the importer
    found named in the body (``Mention``), and those the article's public evidence is about, directly or
    through artefacts from them. Evidence for an event the public may not see names nothing.
    """
    parts = [Monument.objects.filter(mentions__article__in=article_ids).annotate(article_id=F("mentions__article"))]
    for path, model in (
        ("incidents", Incident),
        ("restorations", Restoration),
        ("artefacts__incidents", Incident),
        ("artefacts__restorations", Restoration),
    ):
        # Evidence is public when its event is: the public ones among the few events these articles are evidence for.
        public = model.objects.public().filter(evidence__article__in=article_ids).values("pk")
        # Both conditions in one filter(), so both hold for the same event.
        found = Monument.objects.filter(**{f"{path}__evidence__article__in": article_ids, f"{path}__in": public})
        parts.append(found.annotate(article_id=F(f"{path}__evidence__article")))
    parts = [part.order_by() for part in parts]
    # UNION (not UNION ALL) leaves one row per article and monument however often one names the other.
    by_article: dict[int, list[Monument]] = defaultdict(list)
    for monument in parts[0].union(*parts[1:]):
        by_article[monument.article_id].append(monument)
    return {article_id: sorted(found, key=lambda m: (m.name, m.pk)) for article_id, found in by_article.items()}


class MentionsField(serializers.SerializerMethodField):
    """The monuments an article names, from those a list looked up at once for its page, else looked up alone."""

    def planned_reader(self, serializer):
        summary = plan_for(MonumentSummarySerializer(context=serializer.context))

        def mentions(record, reading):
            found = reading.context.get("mentions")
            if found is None:
                found = mentions_by_article([record.pk])
            return [summary(monument, reading) for monument in found.get(record.pk, [])]

        return mentions


class ArticleListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        articles = list(data.all() if hasattr(data, "all") else data)
        self.context["mentions"] = mentions_by_article([article.pk for article in articles])
        return super().to_representation(articles)


class ArticleSerializer(CleanModelSerializer):
    api_url = ApiUrlField("article-detail")
    page_url = PageUrlField()
    publisher = _slug_field(Source.objects.all())
    carried_by = _slug_field(Source.objects.all(), required=False, allow_null=True)
    citation = serializers.CharField(read_only=True, help_text="The citation on one line.")
    mentions = MentionsField(help_text="Monuments the article names (as the importer found them) or is quoted about.")

    class Meta:
        model = Article
        list_serializer_class = ArticleListSerializer
        fields = [
            "id",
            "api_url",
            "page_url",
            "title",
            "publisher",
            "carried_by",
            "byline",
            "dateline",
            "published",
            "url",
            "language",
            "citation",
            "sha256",
            "raw_text",
            "body",
            "mentions",
            "created",
            "updated",
        ]
        extra_kwargs = {
            "sha256": {"help_text": "SHA-256 of raw_text as UTF-8: recompute it to verify the stored text."},
            # Kept as sent, whitespace included: the fingerprint is of these exact characters, and quotes count them.
            "raw_text": {
                "help_text": (
                    "Exactly as received; empty for a reference-only article. Set once: a changed value answers 400."
                ),
                "trim_whitespace": False,
            },
            "body": {"trim_whitespace": False},
        }

    def validate(self, attrs):
        # The fingerprint is computed, never written: sent, it must be the one the raw text gives (else a 400), so
        # a client cannot believe it changed what it cannot change.
        if "sha256" in self.initial_data:
            raw_text = attrs.get("raw_text", self.instance.raw_text if self.instance is not None else "")
            if self.initial_data["sha256"] != (fingerprint(raw_text) if raw_text else None):
                raise serializers.ValidationError(
                    {"sha256": [_("The SHA-256 is computed from the raw text: send it unchanged or leave it out.")]}
                )
        return attrs

    @extend_schema_field(MonumentSummarySerializer(many=True))
    def get_mentions(self, article) -> list:
        mentions = self.context.get("mentions")
        if mentions is None:
            mentions = mentions_by_article([article.pk])
        return MonumentSummarySerializer(mentions.get(article.pk, []), many=True, context=self.context).data


class ArticleSummarySerializer(ArticleSerializer):
    """An article in a list: everything but the raw text, which its detail carries."""

    class Meta(ArticleSerializer.Meta):
        fields = [name for name in ArticleSerializer.Meta.fields if name != "raw_text"]
