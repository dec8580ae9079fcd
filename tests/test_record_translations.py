"""Records in both languages: the model, its history, fixtures, backups, search, the pages and the admin."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from register.models import Incident, Monument
from register.services.backup import backup_export, backup_restore
from register.translation import shown
from tests.test_backup import wipe_register

pytestmark = pytest.mark.django_db

ARABIC = "قوس أثري من القرن الثاني الميلادي في وسط المدينة."
ENGLISH = "A four-sided monument at the crossing of the colonnaded street."


def page(client, view: str, slug: str, language: str) -> str:
    with translation.override(language):
        address = reverse(view, args=[slug])
    response = client.get(address, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.text


def test_the_text_is_read_in_the_active_language_and_else_in_the_other(tetrapylon):
    Monument.objects.filter(pk=tetrapylon.pk).update(description_en=ENGLISH, description_ar=ARABIC)
    monument = Monument.objects.get(pk=tetrapylon.pk)
    with translation.override("ar"):
        assert monument.description == ARABIC
    with translation.override("en"):
        assert monument.description == ENGLISH
    Monument.objects.filter(pk=tetrapylon.pk).update(description_ar=None)
    with translation.override("ar"):
        assert Monument.objects.get(pk=tetrapylon.pk).description == ENGLISH
        assert shown(Monument.objects.get(pk=tetrapylon.pk), "description").fell_back


def test_a_text_written_in_arabic_fills_the_arabic_column_alone(tetrapylon):
    tetrapylon.description = ENGLISH
    tetrapylon.save()
    with translation.override("ar"):
        tetrapylon.description = ARABIC
        tetrapylon.save()
    stored = Monument.objects.values("description_en", "description_ar").get(pk=tetrapylon.pk)
    assert stored == {"description_en": ENGLISH, "description_ar": ARABIC}


def test_values_of_the_field_give_the_active_language_with_its_fallback(tetrapylon, site):
    Monument.objects.filter(pk=tetrapylon.pk).update(description_en=ENGLISH, description_ar=ARABIC)
    Monument.objects.filter(pk=site.pk).update(description_en=ENGLISH, description_ar=None)
    with translation.override("ar"):
        found = dict(Monument.objects.values_list("slug", "description"))
    assert found == {"tetrapylon": ARABIC, "palmyra": ENGLISH}


def test_the_history_keeps_both_languages(tetrapylon):
    tetrapylon.description_en, tetrapylon.description_ar = ENGLISH, ARABIC
    tetrapylon.save()
    latest = tetrapylon.history.latest()
    assert (latest.description_en, latest.description_ar) == (ENGLISH, ARABIC)


def test_the_fixture_loads_its_english_texts_into_the_english_columns(db):
    call_command("loaddata", "palmyra", verbosity=0)
    described = Monument.objects.exclude(description_en=None).exclude(description_en="")
    assert described.exists()
    assert not Monument.objects.exclude(description_ar=None).exists()
    assert not Incident.objects.filter(summary_en=None).exists()


def test_a_backup_restores_both_languages(tetrapylon, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    Monument.objects.filter(pk=tetrapylon.pk).update(description_en=ENGLISH, description_ar=ARABIC)
    archive = tmp_path / "backup.zip"
    # Made while an Arabic reader is served: the archive holds each language's column, not the one shown.
    with translation.override("ar"):
        backup_export(path=archive)
    wipe_register()
    backup_restore(path=archive)
    restored = Monument.objects.values("description_en", "description_ar").get(slug="tetrapylon")
    assert restored == {"description_en": ENGLISH, "description_ar": ARABIC}


def test_an_arabic_description_is_found_by_its_words(tetrapylon, site):
    Monument.objects.filter(pk=tetrapylon.pk).update(description_ar=ARABIC)
    assert list(Monument.objects.matching_name("الميلادي")) == [tetrapylon]


def test_an_arabic_summary_is_found_by_its_words(incident):
    Incident.objects.filter(pk=incident.pk).update(summary_ar="دُمِّر التترابيلون بالمتفجرات.")
    assert list(Incident.objects.matching_text("بالمتفجرات")) == [incident]


def test_an_arabic_page_shows_the_english_text_marked_and_says_it_is_not_translated(client, tetrapylon):
    Monument.objects.filter(pk=tetrapylon.pk).update(description_en=ENGLISH)
    text = page(client, "register:monument-detail", "tetrapylon", "ar")
    notice = re.search(r'<p class="translation-notice">([^<]+)</p>', text)
    assert notice is not None
    with translation.override("ar"):
        expected = translation.gettext("This description has not been translated yet; it is shown in English.")
    assert notice.group(1) == expected
    assert f'<p lang="en" dir="ltr">{ENGLISH}</p>' in text


def test_an_english_page_shows_an_arabic_only_text_marked_right_to_left(client, tetrapylon):
    Monument.objects.filter(pk=tetrapylon.pk).update(description_en=None, description_ar=ARABIC)
    text = page(client, "register:monument-detail", "tetrapylon", "en")
    assert "This description has not been translated yet; it is shown in Arabic." in text
    assert f'<p lang="ar" dir="rtl">{ARABIC}</p>' in text


def test_a_page_in_the_texts_own_language_says_nothing_of_translation(client, tetrapylon):
    Monument.objects.filter(pk=tetrapylon.pk).update(description_en=ENGLISH, description_ar=ARABIC)
    arabic = page(client, "register:monument-detail", "tetrapylon", "ar")
    english = page(client, "register:monument-detail", "tetrapylon", "en")
    assert "translation-notice" not in arabic and "translation-notice" not in english
    assert f'<p lang="ar" dir="rtl">{ARABIC}</p>' in arabic
    assert f'<p lang="en" dir="ltr">{ENGLISH}</p>' in english


def test_an_event_page_shows_its_summary_in_the_readers_language(client, incident, make_evidence):
    make_evidence(incident)
    Incident.objects.filter(pk=incident.pk).update(summary_en="Destroyed.", summary_ar="دُمِّر.")
    assert '<p lang="ar" dir="rtl">دُمِّر.</p>' in page(client, "register:incident-detail", incident.slug, "ar")
    Incident.objects.filter(pk=incident.pk).update(summary_ar=None)
    arabic = page(client, "register:incident-detail", incident.slug, "ar")
    assert '<p lang="en" dir="ltr">Destroyed.</p>' in arabic
    assert 'class="translation-notice"' in arabic


def change_form_data(client, address: str) -> dict:
    """Return the change form's fields as the admin would post them back, hidden version included."""
    form = client.get(address).context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in values.items() if value is not None}


def test_the_admin_edits_both_languages_and_keeps_its_version_and_history(admin_client, tetrapylon):
    address = reverse("admin:register_monument_change", args=[tetrapylon.pk])
    response = admin_client.get(address)
    assert 'name="description_en"' in response.text and 'name="description_ar"' in response.text
    data = change_form_data(admin_client, address)
    formsets = {
        "names-TOTAL_FORMS": "0",
        "names-INITIAL_FORMS": "0",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    data.update(formsets, description_en=ENGLISH, description_ar=ARABIC)
    data = {key: value for key, value in data.items() if not isinstance(value, list)}
    saved = admin_client.post(address, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    tetrapylon.refresh_from_db()
    assert (tetrapylon.description_en, tetrapylon.description_ar) == (ENGLISH, ARABIC)
    assert tetrapylon.history.latest().description_ar == ARABIC
    # The form the curator had open is now stale: posting it again is refused, not saved over the change.
    stale = admin_client.post(address, {**data, "description_en": "Overwritten."})
    assert stale.status_code != 302
    tetrapylon.refresh_from_db()
    assert tetrapylon.description_en == ENGLISH


def test_the_admin_speaks_arabic_to_a_curator_who_asks_for_it(admin_client, tetrapylon):
    address = reverse("admin:register_monument_change", args=[tetrapylon.pk])
    response = admin_client.get(address, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.headers["Content-Language"] == "ar"
    with translation.override("ar"):
        save = translation.gettext("Save")
    assert save != "Save" and save in response.text
