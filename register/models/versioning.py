"""Optimistic locking: every curated record carries a version that each save raises by one.

django-concurrency turns each save into `UPDATE ... WHERE id = %s AND version = %s`, so a
write made from a stale read changes no row and is refused instead of overwriting the
newer change. The admin and the API both send the version they read.
"""

from concurrency.fields import AutoIncVersionField
from django.utils.translation import gettext_lazy as _


def version_field() -> AutoIncVersionField:
    return AutoIncVersionField(
        _("version"), help_text=_("Raised by one on every save; a write based on an older version is refused.")
    )
