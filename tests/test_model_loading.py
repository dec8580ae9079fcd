"""Rows load into model instances exactly as Django's own ``from_db`` would load them, only with less work."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models.signals import post_init

from register.models import Evidence, Incident, Monument, MonumentImage
from register.models.loading import FastLoadingModel, columns_only_store
from register.services.articles import article_import

pytestmark = pytest.mark.django_db

REGISTER_MODELS = [
    model for model in apps.get_app_config("register").get_models() if not model.__name__.startswith("Historical")
]


@pytest.fixture
def palmyra(db):
    call_command("loaddata", "palmyra", verbosity=0)
    # An imported report, for the importer's mentions and suggestions.
    report = "date 2017-03-02 Shelling\n\nShelling damaged the Tetrapylon last week, a monitor said.\n"
    assert article_import(data=report.encode(), name="shelling.txt").article is not None


def state_of(record) -> dict:
    """Everything an instance holds: its values, and whether it is saved and where."""
    values = {name: value for name, value in record.__dict__.items() if name != "_state"}
    return {"values": values, "adding": record._state.adding, "db": record._state.db}


def djangos_own(model, db, field_names, values):
    return models.Model.from_db.__func__(model, db, field_names, values)


def test_every_register_model_loads_plainly_but_those_whose_columns_do_more():
    assert all(issubclass(model, FastLoadingModel) for model in REGISTER_MODELS)
    # An image column's descriptor wraps the stored name in a file object: that model keeps Django's loading.
    assert not columns_only_store(MonumentImage)
    assert all(columns_only_store(model) for model in REGISTER_MODELS if model is not MonumentImage)


@pytest.mark.parametrize("model", REGISTER_MODELS, ids=lambda model: model.__name__)
def test_every_row_loads_as_djangos_from_db_loads_it(palmyra, model):
    names = [field.attname for field in model._meta.concrete_fields]
    rows = list(model.objects.order_by("pk").values_list(*names))
    loaded = list(model.objects.order_by("pk"))
    assert len(loaded) == len(rows)
    if model is not MonumentImage:
        assert rows, f"the fixture holds no {model.__name__}"
    for record, row in zip(loaded, rows, strict=True):
        assert state_of(record) == state_of(djangos_own(model, "default", names, row))


def test_a_deferred_column_is_left_out_and_loaded_when_read(palmyra, django_assert_num_queries):
    expected = Monument.objects.get(slug="tetrapylon").description
    record = Monument.objects.defer("description").get(slug="tetrapylon")
    assert "description" not in record.__dict__
    assert record.get_deferred_fields() == {"description"}
    with django_assert_num_queries(1):
        assert record.description == expected


def test_joined_records_load_into_the_cache_and_are_read_without_a_query(palmyra, django_assert_num_queries):
    quote = Evidence.objects.with_citation().filter(position__isnull=False).order_by("pk").first()
    with django_assert_num_queries(0):
        assert quote.article.publisher.slug
        assert quote.article._state.adding is False


def test_a_loaded_record_saves_as_an_update_and_raises_its_version(palmyra):
    incident = Incident.objects.get(slug=Incident.objects.order_by("pk").values_list("slug", flat=True).first())
    before = (Incident.objects.count(), incident.version)
    incident.summary = "Changed."
    incident.save()
    assert Incident.objects.count() == before[0]
    assert Incident.objects.get(pk=incident.pk).summary == "Changed."
    assert incident.version == before[1] + 1


def test_a_model_with_init_signals_is_loaded_by_django_so_its_receivers_run(palmyra):
    seen = []

    def remember(sender, instance, **kwargs):
        seen.append(instance.__dict__.get("slug"))

    post_init.connect(remember, sender=Monument)
    try:
        slugs = [monument.slug for monument in Monument.objects.order_by("pk")]
    finally:
        post_init.disconnect(remember, sender=Monument)
    # Django's __init__ sends post_init once the values are set, so each receiver sees the slug.
    assert seen == slugs
