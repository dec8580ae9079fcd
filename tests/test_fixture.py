"""The Palmyra fixture: it loads twice without duplicates, and every derived value matches its source."""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from register.models import AlternateName, Article, Evidence, Incident, Monument, Restoration, fingerprint
from register.models.dates import edtf_window
from register.services.condition import condition_now

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "palmyra.json"
REQUIRED_MONUMENTS = {
    "palmyra",
    "tetrapylon",
    "roman-theatre",
    "funerary-towers",
    "monumental-arch",
    "citadel",
    "temple-of-bel",
    "temple-of-baalshamin",
    "palmyra-museum",
}
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def register_counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("register").get_models()}


@pytest.fixture
def palmyra():
    call_command("loaddata", "palmyra", verbosity=0)
    # As bootstrap_register does: what is stored about events and subjects is derived after loading.
    call_command("refresh_conditions", verbosity=0)


def test_palmyra_fixture_loads_twice_without_duplicates():
    assert not Monument.objects.exists()
    call_command("loaddata", "palmyra", verbosity=0)
    first = register_counts()
    call_command("loaddata", "palmyra", verbosity=0)
    assert register_counts() == first
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for model in ("Source", "Monument", "AlternateName", "Artefact", "Article", "Incident", "Restoration", "Evidence"):
        in_file = sum(record["model"] == f"register.{model.lower()}" for record in records)
        assert in_file > 0
        assert first[model] == in_file, model


def test_fixture_uses_natural_keys_instead_of_primary_keys():
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert all("pk" not in record for record in records)
    monuments = {r["fields"]["slug"]: r["fields"] for r in records if r["model"] == "register.monument"}
    assert monuments["tetrapylon"]["part_of"] == ["palmyra"]
    evidence = [r["fields"] for r in records if r["model"] == "register.evidence"]
    assert all(isinstance(fields["article"], list) and len(fields["article"]) == 2 for fields in evidence)


def test_fixture_holds_the_required_monument_slugs(palmyra):
    assert set(Monument.objects.values_list("slug", flat=True)) >= REQUIRED_MONUMENTS
    site = Monument.objects.get(slug="palmyra")
    assert site.part_of is None
    assert site.unesco_ref == "C 23bis"
    parts = set(site.parts.values_list("slug", flat=True))
    assert parts == REQUIRED_MONUMENTS - {"palmyra"}


def test_every_fixture_evidence_quote_is_verbatim_at_its_position(palmyra):
    evidence = list(Evidence.objects.select_related("article"))
    assert evidence
    for item in evidence:
        item.full_clean()
        assert item.article.body[item.position : item.end] == item.quote


def test_reference_only_articles_carry_no_quotes(palmyra):
    reference_only = Article.objects.filter(raw_text="")
    assert reference_only.count() >= 2
    held_by_reference = Evidence.objects.filter(article__in=reference_only)
    assert held_by_reference.exists()
    assert set(held_by_reference.values_list("quote", "position")) == {("", None)}
    assert all(evidence.note for evidence in held_by_reference)
    for article in reference_only:
        assert article.url and article.body == "" and article.sha256 is None


def test_fixture_fingerprints_match_raw_text(palmyra):
    with_text = list(Article.objects.with_text())
    assert len(with_text) == 2
    for article in with_text:
        assert article.sha256 == fingerprint(article.raw_text)


def test_fixture_edtf_windows_match_their_text(palmyra):
    checked = 0
    for model in (Incident, Restoration, Evidence):
        for obj in model.objects.all():
            for field in model.edtf_fields:
                text = getattr(obj, field)
                window = (getattr(obj, f"{field}_earliest"), getattr(obj, f"{field}_latest"))
                assert window == (edtf_window(text) if text else (None, None)), (obj, field)
                checked += bool(text)
    assert checked > 10


def test_seed_articles_in_fixture_are_the_seed_files_byte_for_byte(palmyra):
    seeded = list(Article.objects.exclude(source_file=""))
    assert {article.source_file for article in seeded} == {
        "seeds/000_510c1c6efbd3d72d.txt",
        "seeds/001_e46c036f3a77ff87.txt",
    }
    for article in seeded:
        path = Path(settings.BASE_DIR) / article.source_file
        with open(path, encoding=article.encoding, newline="") as seed:
            assert article.raw_text == seed.read()
        assert article.raw_text.encode(article.encoding) == path.read_bytes()


def test_seed_bodies_drop_the_page_furniture_and_keep_the_report(palmyra):
    afp = Article.objects.get(source_file="seeds/000_510c1c6efbd3d72d.txt")
    reuters = Article.objects.get(source_file="seeds/001_e46c036f3a77ff87.txt")
    for furniture in ("date 2017-03-02", "(AFP/File)", "2016 play", "pictured on", "Pulse News Agency International"):
        assert furniture in afp.raw_text
        assert furniture not in afp.body
    for furniture in ("SEE ALSO:", "Join the conversation", "NOW WATCH:"):
        assert furniture in reuters.raw_text
        assert furniture not in reuters.body
    assert "(Reporting by Tom Perry" in reuters.body
    assert afp.body.startswith("Syrian government forces") and "\n\n" in afp.body
    for article in (afp, reuters):
        assert all(paragraph in article.raw_text for paragraph in article.body.split("\n") if paragraph)


def test_undated_reuters_report_waits_for_review(palmyra):
    reuters = Article.objects.get(source_file="seeds/001_e46c036f3a77ff87.txt")
    assert reuters.published is None and reuters.title == ""
    assert reuters.needs_review and reuters.review_note
    assert reuters.dateline == "BEIRUT (Reuters)"


def test_every_fixture_incident_and_restoration_has_a_quote(palmyra):
    assert Incident.objects.count() >= 7
    assert Incident.objects.with_evidence().count() == Incident.objects.count()
    assert Restoration.objects.count() >= 1
    assert Restoration.objects.with_evidence().count() == Restoration.objects.count()


def test_busts_return_dates_are_kept_as_separate_reports(palmyra):
    restoration = Restoration.objects.get(slug="funerary-busts-restored-in-rome")
    # Neither report wins: the return spans Abdulkarim's Tuesday and AFP's "Wednesday".
    assert (str(restoration.returned_earliest), str(restoration.returned_latest)) == ("2017-02-28", "2017-03-01")
    assert restoration.institution.slug == "iscr"
    wednesday, tuesday = restoration.evidence.order_by("-asserted")
    assert wednesday.quote.startswith("On Wednesday, two funeral busts")
    assert wednesday.asserted == "2017-03-01"
    assert tuesday.asserted == "2017-02-28"
    assert tuesday.article.is_reference_only and not tuesday.is_quote
    assert tuesday.article.publisher.slug == "afp"
    assert tuesday.article != wednesday.article
    assert "28 February 2017" in restoration.summary and "28 February 2017" in tuesday.note


def test_afp_last_month_is_kept_beside_the_reference_window(palmyra):
    tetrapylon = Incident.objects.get(monument__slug="tetrapylon")
    assert tetrapylon.occurred == "2016-12/2017-01"
    last_month = tetrapylon.evidence.get(quote__startswith="Last month")
    assert last_month.asserted == "2017-02"
    assert last_month.asserted_earliest > tetrapylon.occurred_latest
    assert tetrapylon.evidence.values("article").distinct().count() == 2


def test_quotes_name_whom_the_article_cites(palmyra):
    sohr = Evidence.objects.get(cited_source__slug="sohr")
    assert "Rami Abdel Rahman" in sohr.attribution
    assert sohr.attribution.startswith("AFP (via Pulse)")
    imagery = Evidence.objects.get(cited_source__slug="satellite-imagery")
    assert imagery.incident.monument.slug == "roman-theatre"


def test_arabic_names_are_tagged_ar(palmyra):
    names = list(AlternateName.objects.all())
    arabic = [name for name in names if ARABIC_SCRIPT.search(name.name)]
    assert len(arabic) >= 9
    assert all(name.language == "ar" and name.is_right_to_left for name in arabic)
    assert all(ARABIC_SCRIPT.search(name.name) for name in names if name.language == "ar")
    assert AlternateName.objects.get(name="Tadmur").language == "ar-Latn"


def test_misnomer_roman_amphitheatre_finds_the_theatre(palmyra):
    assert list(Monument.objects.matching_name("amphitheatre").values_list("slug", flat=True)) == ["roman-theatre"]
    assert AlternateName.objects.get(name="Roman amphitheatre").note.startswith("misnomer")


def test_fixture_conditions_follow_from_its_events(palmyra):
    assert condition_now(Monument.objects.get(slug="tetrapylon")) == "destroyed"
    assert condition_now(Monument.objects.get(slug="temple-of-bel")) == "unknown"
    busts = Restoration.objects.get(slug="funerary-busts-restored-in-rome").artefact
    assert condition_now(busts) == "fair"
