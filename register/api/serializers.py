"""What curators' writes add to the representations (register.api.representations): validation and saving.

Foreign keys are written as slugs (ids for articles). Writes go through the model's ``full_clean()``, so a
quote that is not verbatim in its article is a 400, never a 500.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from register.models import fingerprint


class CleanModelSerializer(serializers.ModelSerializer):
    """Save through the model's own validation: ``full_clean()`` then ``save()``, in one transaction."""

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


class EventWrites(CleanModelSerializer):
    """Writes to incidents, restorations and assessments: a correction of a published record carries its note."""

    correction_note = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Required when a write changes the subject, kind, grade, condition or dates of a record that has "
        "been published: what was wrong and what the record now says. The public reads it, dated, on the record's page "
        "and in the feeds. Not stored on the record itself.",
    )

    def create(self, validated_data):
        validated_data.pop("correction_note", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("correction_note", None)
        return super().update(instance, validated_data)


class SlugRelatedField(serializers.SlugRelatedField):
    """A record named by its slug; a slug with a NUL is refused before it is looked up (PostgreSQL cannot take one)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            ProhibitNullCharactersValidator()(data)
        return super().to_internal_value(data)


def slug_field(model, *, required: bool = False, allow_null: bool = True) -> SlugRelatedField:
    """Return the field that reads and writes a record of ``model`` by its slug."""
    return SlugRelatedField(slug_field="slug", queryset=model.objects.all(), required=required, allow_null=allow_null)


class ArticleWrites(CleanModelSerializer):
    """An article's writes: its fingerprint is computed, never written."""

    def validate(self, attrs):
        # Sent, the fingerprint must be the one the raw text gives (else a 400), so a client cannot believe it
        # changed what it cannot change.
        if "sha256" in self.initial_data:
            raw_text = attrs.get("raw_text", self.instance.raw_text if self.instance is not None else "")
            expected = fingerprint(raw_text) if raw_text else None
            if self.instance is not None and self.instance.original_id is not None:
                # A web page's or PDF's fingerprint is its file's, not its text's.
                expected = self.instance.sha256
            if self.initial_data["sha256"] != expected:
                raise serializers.ValidationError(
                    {"sha256": [_("The SHA-256 is computed from the raw text: send it unchanged or leave it out.")]}
                )
        return attrs
