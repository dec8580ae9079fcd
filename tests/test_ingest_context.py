"""Names in context: a part of a site is named only where the article makes that site the context.

"The citadel", "the Roman theatre", "the museum" stand at many sites. The site is the context when the
article names it (or one of its alternate names), or when the text qualifies the part with it ("Palmyra's
citadel", "the theatre at Bosra", "the citadel of Palmyra"). A part qualified by another place ("the Citadel of
Aleppo") is never a part of a different site, registered or not. Two sites in context and an unqualified
shared name make an ambiguous mention, for a curator to resolve, and no suggestion.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from register.ingest.mentions import MAX_CANDIDATES, Gazetteer, Subject
from register.models import AlternateName, Mention, Monument, Suggestion
from register.models.ingestion import MentionStatus
from register.models.vocabularies import MonumentKind
from register.services.articles import article_import, mention_resolve

pytestmark = pytest.mark.django_db


def place(slug, name, kind, part_of=None, alternates=()):
    monument = Monument.objects.create(name=name, slug=slug, kind=kind, part_of=part_of)
    for alternate in alternates:
        AlternateName.objects.create(monument=monument, name=alternate, language="en")
    return monument


@pytest.fixture
def palmyra(db):
    """Palmyra with a citadel and a Roman theatre, as the register holds it before a region is added."""
    site = place("palmyra", "Palmyra", MonumentKind.SITE, alternates=["Tadmur"])
    place("palmyra-citadel", "Citadel", MonumentKind.FORTIFICATION, site, ["Palmyra Castle"])
    place("palmyra-theatre", "Roman Theatre", MonumentKind.THEATRE, site, ["Roman Theater"])
    return site


@pytest.fixture
def aleppo(palmyra):
    site = place("aleppo", "Aleppo", MonumentKind.SITE, alternates=["Ancient City of Aleppo"])
    place("aleppo-citadel", "Citadel", MonumentKind.FORTIFICATION, site)
    return site


@pytest.fixture
def bosra(palmyra):
    site = place("bosra", "Bosra", MonumentKind.SITE, alternates=["Bosra al-Sham"])
    place("bosra-theatre", "Roman Theatre", MonumentKind.THEATRE, site)
    return site


def imported(body, title="A report"):
    """Import a report; return its article."""
    data = f"date 2017-03-02 {title}\n\nDAMASCUS (AFP) - {body}\n".encode()
    return article_import(data=data, name=f"{title}.txt").article


def named(article):
    """Return (slug, as written) for each monument or artefact the article names, in body order."""
    return [(m.subject.slug, m.text) for m in article.mentions.exclude(status=MentionStatus.AMBIGUOUS)]


def suggested(article):
    return {(s.subject.slug, s.kind) for s in article.suggestions.all()}


ALEPPO_REPORT = (
    "Shelling damaged the Citadel of Aleppo on Wednesday, a monitor said. The citadel, a medieval fortress, "
    "dominates the old city."
)


# The Aleppo case.


def test_an_article_about_the_citadel_of_aleppo_names_no_citadel_of_palmyra(palmyra):
    article = imported(ALEPPO_REPORT, title="Aleppo citadel shelled")
    assert named(article) == []
    assert not article.mentions.exists()
    assert not article.suggestions.exists()


def test_the_citadel_of_aleppo_is_no_citadel_of_palmyra_even_in_an_article_about_palmyra(palmyra):
    article = imported("Government forces retook Palmyra last week. " + ALEPPO_REPORT)
    assert named(article) == [("palmyra", "Palmyra")]
    # "The citadel" after "the Citadel of Aleppo" may be Aleppo's, which the register does not hold, or
    # Palmyra's: a curator decides.
    [ambiguous] = article.mentions.filter(status=MentionStatus.AMBIGUOUS)
    assert ambiguous.text == "citadel"
    assert [m.slug for m in ambiguous.candidates.all()] == ["palmyra-citadel"]
    assert not Suggestion.objects.filter(monument__slug="palmyra-citadel").exists()


def test_with_aleppo_registered_the_citadel_of_aleppo_is_aleppos(aleppo):
    article = imported(ALEPPO_REPORT, title="Aleppo citadel shelled")
    assert named(article) == [("aleppo-citadel", "Citadel"), ("aleppo", "Aleppo"), ("aleppo-citadel", "citadel")]
    assert suggested(article) == {("aleppo-citadel", "damaged")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Shelling damaged Aleppo's citadel.",
        "Shelling damaged Aleppo’s ancient citadel.",
        "Shelling damaged the citadel in Aleppo.",
    ],
)
def test_a_part_qualified_by_its_site_is_that_sites_part_whatever_else_the_article_names(aleppo, sentence):
    article = imported("Government forces retook Palmyra last week. " + sentence)
    assert ("aleppo-citadel", "citadel") in named(article)
    assert not article.mentions.filter(monument__slug="palmyra-citadel").exists()
    assert suggested(article) == {("aleppo-citadel", "damaged")}


# The Bosra case.


def test_the_theatre_at_bosra_is_bosras(bosra):
    article = imported("Fighting reached the Roman theatre at Bosra, a monitor said. Palmyra was calm.")
    assert named(article) == [("bosra-theatre", "Roman theatre"), ("bosra", "Bosra"), ("palmyra", "Palmyra")]


def test_the_theatre_of_bosra_is_no_theatre_of_palmyra_when_bosra_is_not_registered(palmyra):
    article = imported("In Palmyra all was calm, but shelling damaged the Roman theatre of Bosra.")
    assert named(article) == [("palmyra", "Palmyra")]
    assert not article.suggestions.filter(monument__slug="palmyra-theatre").exists()


# The Palmyra case.


def test_palmyras_theatre_is_palmyras_with_other_theatres_registered(bosra):
    article = imported("IS destroyed Palmyra's Roman theatre, a monitor said.")
    assert ("palmyra-theatre", "Roman theatre") in named(article)
    assert not article.mentions.filter(monument__slug="bosra-theatre").exists()
    assert suggested(article) == {("palmyra-theatre", "destroyed")}


def test_the_theatre_in_an_article_whose_context_is_palmyra_is_palmyras(bosra):
    article = imported(
        "Government forces retook Palmyra on Thursday. Satellite images showed damage to the Roman Theater."
    )
    assert named(article) == [("palmyra", "Palmyra"), ("palmyra-theatre", "Roman Theater")]
    assert suggested(article) == {("palmyra-theatre", "damaged")}


def test_the_title_makes_a_site_the_context(bosra):
    article = imported("Satellite images showed damage to the Roman theatre.", title="Palmyra after IS")
    assert named(article) == [("palmyra-theatre", "Roman theatre")]


def test_a_part_whose_name_holds_its_sites_name_needs_no_other_context(aleppo):
    article = imported("Shelling damaged Palmyra Castle.")
    assert named(article) == [("palmyra-citadel", "Palmyra Castle")]


def test_without_its_site_in_context_a_part_is_not_named(palmyra):
    article = imported("Shelling damaged the citadel and the Roman theatre.", title="Fighting in the desert")
    assert not article.mentions.exists()
    assert not article.suggestions.exists()


# An article naming two sites.

TWO_SITES = "Fighting raged around Palmyra and Aleppo. Shelling damaged the citadel on Wednesday, a monitor said."


def test_two_sites_in_context_and_an_unqualified_citadel_make_an_ambiguous_mention_and_no_suggestion(aleppo):
    article = imported(TWO_SITES)
    assert named(article) == [("palmyra", "Palmyra"), ("aleppo", "Aleppo")]
    [ambiguous] = article.mentions.filter(status=MentionStatus.AMBIGUOUS)
    assert (ambiguous.text, ambiguous.monument, ambiguous.artefact) == ("citadel", None, None)
    assert article.body[ambiguous.position :].startswith("citadel on Wednesday")
    assert {m.slug for m in ambiguous.candidates.all()} == {"palmyra-citadel", "aleppo-citadel"}
    assert not article.suggestions.exists()


def test_sites_named_beside_an_ambiguous_part_are_its_context_not_subjects(aleppo):
    article = imported("In Palmyra and Aleppo, shelling damaged the citadel on Wednesday.")
    assert article.mentions.filter(status=MentionStatus.AMBIGUOUS).count() == 1
    assert not article.suggestions.exists()


def test_two_sites_in_context_and_qualified_citadels_are_each_resolved(aleppo):
    article = imported(
        "Fighting raged around Palmyra and Aleppo. Shelling damaged Palmyra's citadel and the citadel of Aleppo."
    )
    assert not article.mentions.filter(status=MentionStatus.AMBIGUOUS).exists()
    assert {slug for slug, _ in named(article)} == {"palmyra", "aleppo", "palmyra-citadel", "aleppo-citadel"}
    assert suggested(article) == {("palmyra-citadel", "damaged"), ("aleppo-citadel", "damaged")}


def test_an_ambiguous_citadel_refers_back_to_no_earlier_citadel(aleppo):
    article = imported(
        "Shelling damaged Palmyra's citadel last month. Fighting then reached Aleppo. "
        "On Wednesday the citadel was shelled again."
    )
    assert article.mentions.filter(status=MentionStatus.AMBIGUOUS, text="citadel").count() == 1
    assert suggested(article) == {("palmyra-citadel", "damaged")}


def test_the_public_article_page_and_api_show_an_ambiguous_mention_as_no_monument(aleppo, client):
    article = imported(TWO_SITES)
    page = client.get(reverse("register:article-detail", args=[article.pk]))
    assert {m.slug for m in page.context["monuments"]} == {"palmyra", "aleppo"}
    api = client.get(f"/api/v1/articles/{article.pk}/")
    assert {m["slug"] for m in api.json()["mentions"]} == {"palmyra", "aleppo"}
    assert set(Monument.objects.mentioned_in(article).values_list("slug", flat=True)) == {"palmyra", "aleppo"}


# A curator resolves it.


def test_resolving_an_ambiguous_mention_names_the_monument_and_suggests_its_sentence(aleppo, curator, client):
    article = imported(TWO_SITES)
    mention = article.mentions.get(status=MentionStatus.AMBIGUOUS)
    citadel = Monument.objects.get(slug="aleppo-citadel")
    mention_resolve(mention=mention, monument=citadel, user=curator)
    mention.refresh_from_db()
    assert (mention.status, mention.monument, mention.resolved_by) == (MentionStatus.RESOLVED, citadel, curator)
    assert mention.resolved_at is not None
    assert suggested(article) == {("aleppo-citadel", "damaged")}
    page = client.get(reverse("register:article-detail", args=[article.pk]))
    assert {m.slug for m in page.context["monuments"]} == {"palmyra", "aleppo", "aleppo-citadel"}
    # A new import of the same text keeps the curator's decision and suggests nothing twice.
    again = article_import(data=f"date 2017-03-02 A report\n\nDAMASCUS (AFP) - {TWO_SITES}\n".encode(), name="again")
    assert again.article == article
    assert list(article.mentions.filter(position=mention.position).values_list("status", "monument__slug")) == [
        (MentionStatus.RESOLVED, "aleppo-citadel")
    ]
    assert article.suggestions.count() == 1


def test_an_ambiguous_mention_resolves_only_to_one_of_its_candidates_and_only_once(aleppo, curator):
    article = imported(TWO_SITES)
    mention = article.mentions.get(status=MentionStatus.AMBIGUOUS)
    with pytest.raises(ValidationError, match="not one of the monuments"):
        mention_resolve(mention=mention, monument=Monument.objects.get(slug="palmyra-theatre"), user=curator)
    mention_resolve(mention=mention, monument=Monument.objects.get(slug="palmyra-citadel"), user=curator)
    with pytest.raises(ValidationError, match="not ambiguous"):
        mention_resolve(mention=mention, monument=Monument.objects.get(slug="aleppo-citadel"), user=curator)


def test_a_curator_sees_an_ambiguous_mention_on_the_article_and_resolves_it_in_the_admin(aleppo, curator_client):
    article = imported(TWO_SITES)
    mention = article.mentions.get(status=MentionStatus.AMBIGUOUS)
    page = curator_client.get(reverse("admin:register_article_change", args=[article.pk])).content.decode()
    assert "Ambiguous: Citadel, at Aleppo or Citadel, at Palmyra." in page
    resolve = reverse("admin:register_mention_change", args=[mention.pk])
    assert resolve in page
    queue = curator_client.get(reverse("admin:register_mention_changelist"), {"status__exact": "ambiguous"})
    assert list(queue.context["cl"].result_list) == [mention]

    form = curator_client.get(resolve)
    assert [str(label) for _, label in form.context["adminform"].form.fields["monument"].choices] == [
        "Citadel, at Aleppo",
        "Citadel, at Palmyra",
    ]
    assert "<mark>citadel</mark> on Wednesday" in form.content.decode()
    palmyra_citadel = Monument.objects.get(slug="palmyra-citadel")
    response = curator_client.post(resolve, {"monument": palmyra_citadel.pk})
    assert response.status_code == 302
    mention.refresh_from_db()
    assert (mention.status, mention.monument) == (MentionStatus.RESOLVED, palmyra_citadel)
    assert suggested(article) == {("palmyra-citadel", "damaged")}
    # Resolved, the article shows the monument, and the mention that a curator resolved it.
    page = curator_client.get(reverse("admin:register_article_change", args=[article.pk])).content.decode()
    assert "Ambiguous:" not in page
    resolved = curator_client.get(resolve)
    assert resolved.status_code == 200
    assert "resolved by a curator" in resolved.content.decode()
    assert 'type="radio"' not in resolved.content.decode()


def test_the_admin_refuses_a_monument_that_is_no_candidate(aleppo, curator_client):
    article = imported(TWO_SITES)
    mention = article.mentions.get(status=MentionStatus.AMBIGUOUS)
    theatre = Monument.objects.get(slug="palmyra-theatre")
    response = curator_client.post(
        reverse("admin:register_mention_change", args=[mention.pk]), {"monument": theatre.pk}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["monument"]
    mention.refresh_from_db()
    assert mention.status == MentionStatus.AMBIGUOUS


# The database holds the rules.


def test_the_database_refuses_an_ambiguous_mention_that_names_a_monument_or_a_resolution_without_a_date(aleppo):
    article = imported(TWO_SITES)
    mention = article.mentions.get(status=MentionStatus.AMBIGUOUS)
    citadel = Monument.objects.get(slug="aleppo-citadel")
    for wrong in (
        {"monument": citadel},
        {"status": MentionStatus.RESOLVED, "monument": citadel},
        {"status": MentionStatus.NAMED},
        {"status": "guessed", "monument": citadel},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Mention.objects.filter(pk=mention.pk).update(**wrong)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(
            article=article, position=mention.position, text=mention.text, status=MentionStatus.AMBIGUOUS
        )


# The matcher on its own: qualifiers it reads, and what it leaves alone.

PALMYRA = Subject("monument", 1, "palmyra", site=1, monument_kind="site")
PALMYRA_CITADEL = Subject("monument", 2, "palmyra-citadel", site=1, monument_kind="fortification")
ALEPPO = Subject("monument", 10, "aleppo", site=10, monument_kind="site")
ALEPPO_CITADEL = Subject("monument", 11, "aleppo-citadel", site=10, monument_kind="fortification")
ONLY_PALMYRA = Gazetteer(
    [(PALMYRA, "Palmyra"), (PALMYRA, "تدمر"), (PALMYRA_CITADEL, "Citadel"), (PALMYRA_CITADEL, "قلعة")]
)
BOTH = Gazetteer(
    [
        (PALMYRA, "Palmyra"),
        (PALMYRA, "تدمر"),
        (PALMYRA_CITADEL, "Citadel"),
        (PALMYRA_CITADEL, "قلعة"),
        (ALEPPO, "Aleppo"),
        (ALEPPO, "حلب"),
        (ALEPPO_CITADEL, "Citadel"),
        (ALEPPO_CITADEL, "قلعة"),
    ]
)


def parts(gazetteer, text):
    reading = gazetteer.read(text)
    found = [match.subject.slug for match in reading.matches if match.subject.is_part]
    return found, [sorted(c.slug for c in ambiguity.candidates) for ambiguity in reading.ambiguities]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # A month, a weekday or the group after "in" is no place; a contraction is no owner.
        ("In Palmyra, shelling hit the citadel in May.", ["palmyra-citadel"]),
        ("In Palmyra, shelling hit the citadel in IS hands.", ["palmyra-citadel"]),
        ("In Palmyra. It's the citadel that was hit.", ["palmyra-citadel"]),
        # A place in the next paragraph qualifies nothing.
        ("In Palmyra, shelling hit the citadel\n\nIn Homs, all was calm.", ["palmyra-citadel"]),
        # The owner of a place is no place of the part; an owner before it comes first.
        ("Shelling hit the citadel in Syria's Palmyra.", ["palmyra-citadel"]),
        ("Shelling hit Palmyra's citadel in Syria.", ["palmyra-citadel"]),
        ("In Palmyra, shelling hit the citadel in Syria's north.", ["palmyra-citadel"]),
        # Another place, registered or not, in any of the patterns.
        ("In Palmyra, shelling hit the citadel of Homs.", []),
        ("In Palmyra, shelling hit the citadel at Homs.", []),
        ("In Palmyra, shelling hit Homs's citadel.", []),
        ("In Palmyra, shelling hit Homs’ famous old citadel.", []),
        # The Arabic construct state: "the citadel of Aleppo", "the citadel of Palmyra".
        ("قصف قلعة حلب قرب تدمر", []),
        ("قصف قلعة تدمر", ["palmyra-citadel"]),
        ("قصف في تدمر: قلعة والمسرح", ["palmyra-citadel"]),
        ("قصف في تدمر: قلعة و مسرح", ["palmyra-citadel"]),
    ],
)
def test_qualifiers_are_read_generically(text, found):
    assert parts(ONLY_PALMYRA, text) == (found, [])


def test_a_registered_sites_name_right_before_a_part_qualifies_it():
    assert parts(BOTH, "In Palmyra and Aleppo, shelling hit the Aleppo citadel.") == (["aleppo-citadel"], [])
    assert parts(BOTH, "In Palmyra and Aleppo, shelling hit the old citadel.") == (
        [],
        [["aleppo-citadel", "palmyra-citadel"]],
    )


def test_the_arabic_construct_state_resolves_between_two_registered_sites():
    assert parts(BOTH, "قصف قلعة حلب و تدمر") == (["aleppo-citadel"], [])
    assert parts(BOTH, "حلب و تدمر: قصف قلعة") == ([], [["aleppo-citadel", "palmyra-citadel"]])


def test_a_name_shared_by_many_sites_is_resolved_by_the_one_in_context():
    sites = [Subject("monument", n, f"site-{n}", site=n, monument_kind="site") for n in range(100, 1100)]
    citadels = [
        Subject("monument", n + 5000, f"citadel-{n}", site=n, monument_kind="fortification") for n in range(100, 1100)
    ]
    gazetteer = Gazetteer(
        [(site, f"Site {site.id}") for site in sites] + [(citadel, "Citadel") for citadel in citadels]
    )
    assert parts(gazetteer, "At Site 517 the citadel was hit.") == (["citadel-517"], [])
    assert parts(gazetteer, "Site 517 and Site 900: the citadel was hit.") == ([], [["citadel-517", "citadel-900"]])
    assert parts(gazetteer, "The citadel was hit.") == ([], [])


def test_a_name_given_to_a_part_of_a_place_without_one_registered_is_ambiguous_elsewhere_in_the_text():
    aleppo_without_citadel = Gazetteer([(PALMYRA, "Palmyra"), (PALMYRA_CITADEL, "Citadel"), (ALEPPO, "Aleppo")])
    text = "Palmyra was retaken. The Citadel of Aleppo was shelled; the citadel is a medieval fortress."
    assert parts(aleppo_without_citadel, text) == ([], [["palmyra-citadel"]])
    # Qualified by its own site, the part is still resolved.
    assert parts(aleppo_without_citadel, text + " Palmyra's citadel was spared.") == (
        ["palmyra-citadel"],
        [["palmyra-citadel"]],
    )


def test_a_name_shared_by_more_sites_in_context_than_a_curator_could_choose_from_names_none():
    sites = [Subject("monument", n, f"site-{n}", site=n, monument_kind="site") for n in range(100, 100 + 30)]
    citadels = [
        Subject("monument", n + 5000, f"citadel-{n}", site=n, monument_kind="fortification") for n in range(100, 130)
    ]
    gazetteer = Gazetteer(
        [(site, f"Site {site.id}") for site in sites] + [(citadel, "Citadel") for citadel in citadels]
    )
    many = ", ".join(f"Site {n}" for n in range(100, 100 + MAX_CANDIDATES + 1))
    assert parts(gazetteer, f"{many}: the citadel was hit.") == ([], [])
    few = ", ".join(f"Site {n}" for n in range(100, 100 + MAX_CANDIDATES))
    assert len(parts(gazetteer, f"{few}: the citadel was hit.")[1][0]) == MAX_CANDIDATES
