"""Rows from the database become model instances without ``Model.__init__``'s per-field work.

A page of the API builds hundreds of instances: a hundred incidents, each with
its monument, its quotes, their articles and sources. ``Model.__init__``
serves every way a model can be made (keyword arguments, defaults, deferred
values, signals) and sets each column through ``setattr``; for the 550
instances of a page of incidents that was 3 of the request's 20 ms. A row read
from the database needs none of it: its values are already converted, and an
instance made by ``__init__`` ends with exactly those values in its
``__dict__``. ``from_db`` is Django's documented hook for how rows are loaded;
here it puts the values in place directly, and falls back to Django's own
wherever the two could differ: a model with init signals connected, or a
column whose attribute does something when set (a file field's descriptor).
The tests compare both ways of loading on every model.
"""

from functools import cache

from django.db import models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Descriptors that only store what they are given on a new instance: ForeignKeyDeferredAttribute's setter also
# forgets a cached related record, which an instance being loaded cannot have yet.
STORING_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _class_attribute(model: type, name: str):
    for klass in model.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


@cache
def columns_only_store(model: type[models.Model]) -> bool:
    """Whether setting any column of ``model`` does nothing but store the value."""
    return all(
        type(_class_attribute(model, field.attname)) in STORING_DESCRIPTORS for field in model._meta.concrete_fields
    )


class FastLoadingModel(models.Model):
    """A model whose rows load straight into the instance's attributes (see the module's docstring)."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        # Most processes connect nothing to the init signals at all: one look at their lists spares asking both
        # signals about the class (two calls and a cache lookup each) for every row.
        listened = (pre_init.receivers or post_init.receivers) and (
            pre_init.has_listeners(cls) or post_init.has_listeners(cls)
        )
        if listened or not columns_only_store(cls):
            return super().from_db(db, field_names, values)
        record = cls.__new__(cls)
        # A deferred column is left out, as Model.__init__ leaves it out: reading it loads it.
        record.__dict__.update(zip(field_names, values, strict=True))
        state = record._state = ModelState()
        state.adding = False
        state.db = db
        return record
