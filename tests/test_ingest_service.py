"""article_import and the review services: articles stored as received, suggestions decided by curators."""

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from register.models import (
    AlternateName,
    Article,
    Evidence,
    Incident,
    Mention,
    Monument,
    Restoration,
    Source,
    Suggestion,
)
from register.models.vocabularies import MonumentKind
from register.services.articles import (
    ImportStatus,
    article_import,
    article_import_file,
    files_to_import,
    gazetteer_current,
    suggestion_accept,
    suggestion_reject,
)
from tests.conftest import published

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AFP_SEED = SEEDS / "000_510c1c6efbd3d72d.txt"
REUTERS_SEED = SEEDS / "001_e46c036f3a77ff87.txt"
DATA = Path(__file__).parent / "data" / "ingest"


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_user(username="curator", password="x")


def test_both_seeds_import_with_their_fingerprint_publisher_and_outlet(palmyra_names):
    afp, reuters = article_import_file(path=AFP_SEED), article_import_file(path=REUTERS_SEED)
    assert (afp.status, reuters.status) == (ImportStatus.CREATED, ImportStatus.CREATED)
    for result, seed in ((afp, AFP_SEED), (reuters, REUTERS_SEED)):
        assert result.sha256 == hashlib.sha256(seed.read_bytes()).hexdigest()
        assert result.article.raw_text == seed.read_text(encoding="utf-8")
        assert result.article.source_file == str(seed)
        assert result.article.encoding == "utf-8"
    assert (afp.article.publisher.slug, afp.article.carried_by.slug) == ("afp", "pulse-news-agency")
    assert (reuters.article.publisher.slug, reuters.article.carried_by.slug) == ("reuters", "business-insider")
    assert str(afp.article.published) == "2017-03-02"
    assert not afp.article.needs_review


def test_seed_001_has_no_date_and_is_stored_flagged_for_review(palmyra_names):
    article = article_import_file(path=REUTERS_SEED).article
    assert article.published is None
    assert article.title == ""
    assert article.needs_review
    assert "No date line" in article.review_note
    assert Article.objects.needing_review().get() == article


def test_the_monuments_each_seed_names_are_stored_at_their_place_in_the_body(palmyra_names):
    afp, reuters = article_import_file(path=AFP_SEED), article_import_file(path=REUTERS_SEED)
    assert afp.mentions == ("palmyra", "citadel", "funerary-towers", "roman-theatre", "tetrapylon")
    assert reuters.mentions == ("palmyra", "monumental-arch", "tetrapylon", "roman-theatre")
    assert set(afp.article.mentions.filter(artefact__isnull=False).values_list("text", flat=True)) == {"funeral busts"}
    assert "Tadmur" in reuters.article.mentions.values_list("text", flat=True)
    for mention in Mention.objects.all():
        assert mention.article.body[mention.position : mention.position + len(mention.text)] == mention.text
        mention.full_clean()


def test_the_same_text_under_another_name_is_a_duplicate_and_changes_nothing(palmyra_names, tmp_path):
    first = article_import_file(path=AFP_SEED)
    copy = tmp_path / "renamed.txt"
    shutil.copy(AFP_SEED, copy)
    counts = (Article.objects.count(), Mention.objects.count(), Suggestion.objects.count())
    second = article_import_file(path=copy)
    assert second.status == ImportStatus.DUPLICATE
    assert second.article == first.article
    assert second.mentions == first.mentions
    assert (Article.objects.count(), Mention.objects.count(), Suggestion.objects.count()) == counts
    assert Article.objects.get().source_file == str(AFP_SEED)


def test_the_same_text_with_windows_line_endings_is_the_same_text(palmyra_names):
    first = article_import_file(path=AFP_SEED)
    second = article_import(data=AFP_SEED.read_bytes().replace(b"\n", b"\r\n"), name="crlf-copy.txt")
    assert (second.status, second.article) == (ImportStatus.DUPLICATE, first.article)


def test_a_crlf_file_is_stored_with_lf_and_fingerprinted_after_normalising(afp):
    result = article_import_file(path=DATA / "crlf.txt")
    text = (DATA / "crlf.txt").read_bytes().decode().replace("\r\n", "\n")
    assert result.article.raw_text == text
    assert result.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert result.article.body == (
        "DAMASCUS (AFP) - Two funerary busts were brought back to Syria on Tuesday, the antiquities chief said."
    )


def test_a_windows_1252_file_is_decoded_noted_and_flagged(palmyra_names):
    result = article_import_file(path=DATA / "windows-1252.txt")
    article = result.article
    assert article.encoding == "windows-1252"
    assert article.title == "Palmyra’s theatre facade – “new destruction”"
    assert article.needs_review and "Windows-1252" in article.review_note
    assert "roman-theatre" in result.mentions
    suggestion = article.suggestions.get(monument__slug="roman-theatre")
    assert (suggestion.kind, suggestion.asserted, suggestion.cited_source.slug) == (
        "damaged",
        "2017-01-09/2017-01-15",
        "dgam",
    )


def test_a_file_of_only_furniture_is_kept_with_an_empty_body_and_flagged(db):
    result = article_import_file(path=DATA / "only-furniture.txt")
    assert result.status == ImportStatus.CREATED
    assert result.article.body == ""
    assert result.article.raw_text.startswith("play\n")
    assert result.article.needs_review


@pytest.mark.parametrize(
    ("name", "reason"),
    [("empty.txt", "empty file"), ("binary.txt", "binary file"), ("missing.txt", "cannot read: No such file")],
)
def test_a_file_that_is_not_a_report_fails_with_its_name_and_reason(db, name, reason):
    result = article_import_file(path=DATA / name)
    assert result.status == ImportStatus.FAILED
    assert result.file == str(DATA / name)
    assert reason in result.error
    assert result.as_json()["article"] is None
    assert not Article.objects.exists()


def test_an_unknown_publisher_is_recorded_as_unknown_and_flagged(db):
    article = article_import(data=b"date 2017-03-02 A report\n\nSomething happened.", name="x.txt").article
    assert article.publisher.slug == "unknown"
    assert article.publisher.name == "Unknown publisher"
    assert "No agency or publisher" in article.review_note


def test_an_unknown_outlet_is_created_once(db):
    text = "date 2017-03-02 A report\n\nSomething happened.\n\nThe Desert Courier By AFP\n"
    article = article_import(data=text.encode(), name="x.txt").article
    assert (article.carried_by.slug, article.carried_by.kind) == ("the-desert-courier", "outlet")
    article_import(data=(text + "\nMore.").encode(), name="y.txt")
    assert Source.objects.filter(name="The Desert Courier").count() == 1


def test_five_megabytes_of_text_import_with_positions_to_the_end(palmyra_names, tmp_path):
    filler = "The army advanced through the desert towards the city and the hills around it.\n" * 66_000
    text = "date 2017-03-02 Long\n\n" + filler + "Last month, IS destroyed Palmyra's tetrapylon monument.\n"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    result = article_import_file(path=path)
    assert result.status == ImportStatus.CREATED
    mention = result.article.mentions.get(monument__slug="tetrapylon")
    assert result.article.body[mention.position :].startswith("tetrapylon monument.")
    assert result.article.suggestions.get().asserted == "2017-02"


def test_reimporting_adds_no_suggestion_and_never_resuggests_a_rejected_one(palmyra_names, curator):
    article_import_file(path=AFP_SEED)
    suggestion = Suggestion.objects.get(monument__slug="tetrapylon")
    suggestion_reject(suggestion=suggestion, user=curator, reason="Already recorded.")
    count = Suggestion.objects.count()
    assert article_import_file(path=AFP_SEED).suggestions == 0
    assert Suggestion.objects.count() == count
    assert Suggestion.objects.get(pk=suggestion.pk).status == "rejected"


def test_a_new_alternate_name_is_found_when_a_duplicate_is_imported_again(palmyra_names):
    article_import_file(path=AFP_SEED)
    assert "valley" not in article_import_file(path=AFP_SEED).mentions
    AlternateName.objects.create(monument=palmyra_names["palmyra"], name="Homs", language="en")
    gazetteer = gazetteer_current()
    assert gazetteer is gazetteer_current()
    result = article_import_file(path=AFP_SEED, gazetteer=gazetteer)
    assert Mention.objects.filter(text="Homs", article=result.article).exists()


def report(sentence: str) -> bytes:
    # The title makes Palmyra the context of the parts the sentence names.
    return f"date 2017-03-02 A report from Palmyra\n\n{sentence}\n".encode()


def test_the_next_import_sees_a_renaming_and_a_deletion_without_being_given_the_names(palmyra_names):
    assert "citadel" in article_import(data=report("Shelling hit Palmyra Castle."), name="a").mentions
    AlternateName.objects.get(name="Palmyra Castle").delete()
    tetrapylon = palmyra_names["tetrapylon"]
    tetrapylon.name = "Tetrakionion"
    tetrapylon.save()
    result = article_import(data=report("Shelling hit Palmyra Castle and the Tetrakionion."), name="b")
    assert result.mentions == ("palmyra", "tetrapylon")


def test_the_next_import_sees_names_added_without_history(palmyra_names):
    assert article_import(data=report("Qalat Ibn Maan was shelled."), name="a").mentions == ()
    AlternateName.objects.bulk_create(
        [AlternateName(monument=palmyra_names["citadel"], name="Qalat Ibn Maan", language="ar-Latn")]
    )
    assert article_import(data=report("Qalat Ibn Maan was shelled again."), name="b").mentions == ("citadel",)


def test_names_of_a_rolled_back_transaction_are_not_found_afterwards(palmyra_names):
    # SQLite hands the rolled-back name's key to the next name, so a version made of keys alone would not change.
    with transaction.atomic():
        AlternateName.objects.bulk_create(
            [AlternateName(monument=palmyra_names["citadel"], name="Qalat Ibn Maan", language="ar-Latn")]
        )
        assert article_import(data=report("Qalat Ibn Maan was shelled."), name="a").mentions == ("citadel",)
        transaction.set_rollback(True)
    AlternateName.objects.bulk_create(
        [AlternateName(monument=palmyra_names["monumental-arch"], name="Great Arch", language="en")]
    )
    result = article_import(data=report("Qalat Ibn Maan and the Great Arch were shelled."), name="b")
    assert result.mentions == ("monumental-arch",)


def test_an_edit_that_commits_after_a_later_one_is_still_seen(palmyra_names):
    history = AlternateName.history.model
    article_import(data=report("Nothing named yet."), name="a")
    last = history.objects.order_by("-history_id").values_list("history_id", flat=True).first()
    # Two curators' edits take their history ids in one order and commit in the other: the later one first...
    later = AlternateName.objects.create(monument=palmyra_names["citadel"], name="Qalat Ibn Maan", language="ar-Latn")
    history.objects.filter(id=later.pk).update(history_id=last + 3)
    assert article_import(data=report("Qalat Ibn Maan was shelled."), name="b").mentions == ("citadel",)
    # ...then the earlier one, with the id and the time it took before the later one did.
    earlier = AlternateName.objects.get(name="Arch of Triumph")
    earlier.name = "Great Arch"
    earlier.save()
    before = history.objects.get(history_id=last + 3).history_date - dt.timedelta(seconds=1)
    history.objects.filter(id=earlier.pk, history_id__gt=last).update(history_id=last + 1, history_date=before)
    assert article_import(data=report("The Great Arch was shelled."), name="c").mentions == ("monumental-arch",)


def test_an_import_makes_the_same_queries_whatever_the_number_of_names(palmyra_names, django_assert_num_queries):
    article_import(data=report("The first report creates its publisher."), name="first")
    for size in (0, 500):
        Monument.objects.bulk_create(
            Monument(name=f"Tower {size} {n}", slug=f"tower-{size}-{n}", kind=MonumentKind.TOMB) for n in range(size)
        )
        gazetteer_current()
        # The names' version; a savepoint for the file, in which its fingerprint and publisher are looked up,
        # the article saved with its history (in a savepoint of its own, for a concurrent import of the same
        # text), then its mention and its suggestion.
        with django_assert_num_queries(11):
            result = article_import(data=report(f"Shelling hit the Tetrapylon, report {size}."), name=f"{size}")
        assert result.mentions == ("tetrapylon",)


def test_a_sentence_already_quoted_as_evidence_is_not_suggested(palmyra_names, make_incident, afp):
    raw = AFP_SEED.read_text(encoding="utf-8")
    article = article_import(data=AFP_SEED.read_bytes(), name="seed").article
    Suggestion.objects.all().delete()
    incident = make_incident(slug="tetrapylon-2017")
    quote = "Last month, IS destroyed Palmyra's tetrapylon monument"
    Evidence.objects.create(article=article, incident=incident, quote=quote, position=article.body.index(quote))
    article_import(data=raw.encode(), name="again")
    assert not Suggestion.objects.filter(monument__slug="tetrapylon").exists()
    assert Suggestion.objects.filter(monument__slug="roman-theatre", kind="damaged").exists()


def test_directories_are_replaced_by_their_txt_files_in_name_order(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "notes.md").write_text("x")
    listed = [item.path for item in files_to_import([tmp_path, "other.txt"])]
    assert listed == [tmp_path / "a.txt", tmp_path / "b.txt", Path("other.txt")]


class TestAccept:
    @pytest.fixture
    def suggestions(self, palmyra_names):
        article_import_file(path=AFP_SEED)
        article_import_file(path=REUTERS_SEED)
        return Suggestion.objects

    def test_accepting_onto_an_existing_incident_makes_verbatim_evidence(self, suggestions, make_incident, curator):
        incident = make_incident(slug="tetrapylon-2017", occurred="2016-12/2017-01")
        suggestion = suggestions.get(monument__slug="tetrapylon", article__published__isnull=False)
        evidence = suggestion_accept(suggestion=suggestion, incident=incident, user=curator)
        assert (evidence.incident, evidence.quote, evidence.position) == (
            incident,
            suggestion.quote,
            suggestion.position,
        )
        assert evidence.asserted == "2017-02"
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.evidence, suggestion.reviewed_by) == ("accepted", evidence, curator)
        assert suggestion.reviewed_at is not None

    def test_accepting_without_an_event_creates_one_prefilled_from_the_suggestion(self, suggestions, curator):
        suggestion = suggestions.get(monument__slug="roman-theatre", kind="damaged")
        evidence = suggestion_accept(suggestion=suggestion, user=curator)
        incident = evidence.incident
        assert incident.slug == "roman-theatre-damaged-2017"
        assert (incident.monument.slug, incident.kind, incident.occurred, incident.reported) == (
            "roman-theatre",
            "damaged",
            "2017-02",
            "2017-03-02",
        )
        assert incident.summary == suggestion.quote
        assert incident.grade == ""
        assert evidence.cited_source.slug == "satellite-imagery"
        assert "satellite images showed" in evidence.note

    def test_a_return_becomes_a_restoration_with_its_return_date(self, suggestions, curator):
        evidence = suggestion_accept(suggestion=suggestions.get(artefact__slug="funerary-busts"), user=curator)
        restoration = evidence.restoration
        assert (restoration.artefact.slug, restoration.kind) == ("funerary-busts", "return")
        assert (restoration.finished, restoration.returned) == ("2017-03-01", "2017-03-01")

    def test_new_events_get_unique_slugs(self, suggestions, curator):
        first = suggestion_accept(
            suggestion=suggestions.get(monument__slug="roman-theatre", kind="damaged"), user=curator
        )
        again = suggestions.get(monument__slug="roman-theatre", kind="destroyed")
        second = suggestion_accept(suggestion=again, user=curator, date="2017-01")
        assert first.incident.slug == "roman-theatre-damaged-2017"
        assert second.incident.slug == "roman-theatre-destroyed-2017"
        third = suggestions.get(monument__slug="tetrapylon", article__published__isnull=True)
        suggestion_accept(suggestion=third, user=curator, date="2017-01")
        fourth = suggestions.get(monument__slug="tetrapylon", article__published__isnull=False)
        assert suggestion_accept(suggestion=fourth, user=curator).incident.slug == "tetrapylon-destroyed-2017-2"

    def test_a_suggestion_without_a_date_needs_one_for_a_new_event(self, suggestions, curator):
        suggestion = suggestions.get(monument__slug="monumental-arch")
        with pytest.raises(ValidationError, match="gives no date"):
            suggestion_accept(suggestion=suggestion, user=curator)
        assert not Incident.objects.exists()
        evidence = suggestion_accept(suggestion=suggestion, user=curator, date="2015-10-04")
        assert evidence.incident.occurred == "2015-10-04"
        assert evidence.incident.reported == ""

    def test_a_decided_suggestion_cannot_be_decided_again(self, suggestions, curator):
        suggestion = suggestions.get(artefact__slug="funerary-busts")
        suggestion_reject(suggestion=suggestion, user=curator)
        with pytest.raises(ValidationError, match="already rejected"):
            suggestion_accept(suggestion=suggestion, user=curator)
        with pytest.raises(ValidationError, match="already rejected"):
            suggestion_reject(suggestion=suggestion, user=curator)
        assert not Restoration.objects.exists()

    def test_the_same_passage_already_evidence_for_the_event_is_linked_not_copied(
        self, suggestions, make_incident, curator
    ):
        incident = make_incident(slug="towers", monument=suggestions.get(monument__slug="funerary-towers").monument)
        towers = suggestions.get(monument__slug="funerary-towers")
        existing = Evidence.objects.create(
            article=towers.article, incident=incident, quote=towers.quote, position=towers.position
        )
        assert suggestion_accept(suggestion=towers, incident=incident, user=curator) == existing
        assert Evidence.objects.count() == 1

    def test_accepting_onto_both_an_incident_and_a_restoration_is_refused(self, suggestions, make_incident, curator):
        restoration = Restoration.objects.create(
            slug="r",
            artefact=suggestions.get(artefact__slug="funerary-busts").artefact,
            kind="return",
            finished="2017-03-01",
            summary="Back.",
            **published(),
        )
        with pytest.raises(ValidationError, match="not several"):
            suggestion_accept(
                suggestion=suggestions.get(artefact__slug="funerary-busts"),
                incident=make_incident(),
                restoration=restoration,
                user=curator,
            )

    def test_rejecting_records_who_and_why(self, suggestions, curator):
        suggestion = suggestion_reject(
            suggestion=suggestions.get(monument__slug="palmyra"), user=curator, reason="Too general."
        )
        assert (suggestion.status, suggestion.reviewed_by, suggestion.review_note) == (
            "rejected",
            curator,
            "Too general.",
        )
        assert not Evidence.objects.exists()
