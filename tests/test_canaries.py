"""Nothing the public may not see leaks, through any address of the project, in any format.

The register is seeded with canaries: incidents, a restoration and an assessment no quote supports (so not public),
drafts quoted verbatim that no curator has published, with distinctive slugs, summaries and places, reports held by
reference that point at them, and a monument only a hidden incident concerns. Then every URL pattern of the project
is walked as an anonymous client (the public pages under each language's prefix, /en/ and /ar/), each path parameter
filled from real records (the canaries' slugs and ids among them), every API route in every format it offers and
with each of its filters set to a canary's slug or id, and the bulk download's files read.

Two checks. No response to an address that names no canary contains a canary's text. And the canaries leave no
trace at all: after they are deleted, every address answers exactly as before (same status, same body), so an
unpublished record answers as an unknown one, and no count, list or relation shows that it existed.

A sensitive place walks with them: a public monument whose exact coordinates and extent have digits found nowhere
else. No public response holds those digits (the public sees the coordinates to one decimal and no extent), no
box of the bbox filter finer than that finds it, and a curator gets them exactly from every API format.
"""

import datetime as dt
import io
import itertools
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import LocalePrefixPattern, URLResolver, get_resolver, path, resolve
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.views import APIView

from register.models import Article, Assessment, Evidence, Incident, Monument, Restoration, Source
from register.models.vocabularies import IncidentKind, MonumentKind, RestorationKind
from register.services.bulk_export import bulk_export
from register.services.condition import conditions_refresh
from register.translation import LANGUAGE_CODES

pytestmark = pytest.mark.django_db

CANARY = "zq7x"
UNKNOWN = "no-such-record"
TODAY = dt.date(2024, 5, 1)
PUBLISHED = {"state": "published", "published": dt.datetime(2024, 5, 1, tzinfo=dt.UTC)}

# A sensitive place's exact location: each value's digits after the first decimal are found nowhere else.
SENSITIVE_LATITUDE, SENSITIVE_LONGITUDE = "35.1234567", "36.7654321"
SENSITIVE_EXTENT = {
    "type": "Polygon",
    "coordinates": [
        [[36.7612781, 35.1217493], [36.7698152, 35.1217493], [36.7698152, 35.1283946], [36.7612781, 35.1217493]]
    ],
}
# What must never reach the public: the digits beyond the first decimal of every exact coordinate.
EXACT_DIGITS = ["234567", "654321", "612781", "217493", "698152"]
# Boxes that hold the exact location but not the rounded one (35.1, 36.8), which alone the public may match.
LOOTED_TELL_URL = "/en/monuments/looted-tell/"
FINE_BOXES = ["36.76,35.12,36.77,35.13", "36.7654,35.1234,36.7655,35.1235", "36.7,35.11,36.75,35.2"]

# The public pages' own query parameters (the API's come from each list's FilterSet).
PAGE_QUERIES = {
    "register:search": [{"q": CANARY}, {"q": "canary"}, {"q": "hidden ties"}, {"q": "shrine"}, {"q": "looted tell"}],
    "register:incident-list": [
        {"monument": "hidden-ties-shrine"},
        {"monument": "canary-incident-zq7x"},
        {"monument": "Shrine of Hidden Ties"},
        {"monument": "shrine"},
        {"artefact": "funerary-busts"},
    ],
    "register:restoration-list": [
        {"monument": "hidden-ties-shrine"},
        {"monument": "Roman Theatre"},
        {"monument": "canary-restoration-zq7x"},
        {"artefact": "funerary-busts"},
    ],
    "register:assessment-list": [{"monument": "Roman Theatre"}, {"monument": "tetrapylon"}, {"condition": "destroyed"}],
    "register:artefact-list": [{"origin": "palmyra-museum"}, {"q": "busts"}],
    "register:article-list": [{"mentions": "hidden-ties-shrine"}, {"mentions": "Roman Theatre"}, {"publisher": "afp"}],
    "register:source-list": [{"q": "monitor"}, {"kind": "monitor"}],
    "register:monument-list": [{"q": "hidden"}, {"condition": "destroyed"}, {"q": "looted tell"}],
    "register:article-detail": [{"raw": "1"}],
}
# Addresses whose pattern has a part no parameter names (a catch-all): examples of what it answers.
SAMPLES = {
    r"api/[\s\S]*": ["api/v1/incidents/canary-incident-zq7x/evidence/", "api/v1/nothing-here/", "api/v2/"],
}


@pytest.fixture
def canaries(site, tetrapylon, palmyra_names, article, incident, make_evidence, afp):
    """Seed public records and the canaries; return the canaries' records and the values that name them."""
    theatre, busts = palmyra_names["roman-theatre"], palmyra_names["funerary-busts"]
    make_evidence(incident)
    theatre_damaged = Incident.objects.create(
        slug="theatre-facade-damaged", monument=theatre, kind=IncidentKind.DAMAGED, occurred="2017-01", summary="S.",
        **PUBLISHED,
    )  # fmt: skip
    make_evidence(theatre_damaged, quote="satellite images showed damage to the theatre's facade")
    busts_restored = Restoration.objects.create(
        slug="busts-restored", artefact=busts, kind=RestorationKind.RESTORATION, finished="2017-02", summary="R.",
        **PUBLISHED,
    )  # fmt: skip
    make_evidence(busts_restored, quote="condemned by the United Nations")
    tetrapylon_assessed = Assessment.objects.create(
        slug="tetrapylon-assessed", monument=tetrapylon, assessed="2017-02", condition="destroyed",
        method="satellite_imagery", summary="A.", **PUBLISHED,
    )  # fmt: skip
    make_evidence(tetrapylon_assessed)
    reference = Article.objects.create(title="A report held by reference", publisher=afp, url="https://example.org/r")
    Evidence.objects.create(article=reference, incident=incident, note="Says the tetrapylon was blown up.")

    hidden = Monument.objects.create(
        name="Shrine of Hidden Ties", slug="hidden-ties-shrine", kind=MonumentKind.TEMPLE, part_of=site,
        latitude="34.55", longitude="38.27",
    )  # fmt: skip
    events = [
        Incident.objects.create(
            slug="canary-incident-zq7x", monument=hidden, kind=IncidentKind.DESTROYED, grade="destroyed",
            occurred="2016-03", summary="Canary incident zq7x: a summary no quote supports.",
            perpetrator="Canary perpetrator zq7x",
        ),
        Incident.objects.create(
            slug="canary-tetrapylon-zq7x", monument=tetrapylon, kind=IncidentKind.LOOTED, occurred="2018",
            summary="Canary looting zq7x of a public monument.",
        ),
        Incident.objects.create(
            slug="canary-busts-zq7x", artefact=busts, kind=IncidentKind.VANDALISED, occurred="2015-10",
            summary="Canary vandalism zq7x of an artefact.",
        ),
        Restoration.objects.create(
            slug="canary-restoration-zq7x", monument=theatre, kind=RestorationKind.RECONSTRUCTION,
            finished="2019", summary="Canary restoration zq7x.", place="Canarytown zq7x", condition_after="good",
        ),
        Assessment.objects.create(
            slug="canary-assessment-zq7x", monument=theatre, assessed="2020-05", condition="destroyed",
            extent="91-100", trend="declining", threats="Canary threat zq7x", priority="A", method="field_visit",
            summary="Canary assessment zq7x no quote supports.",
        ),
    ]  # fmt: skip
    # Drafts: each quoted verbatim, so only its state keeps it from the public.
    drafts = [
        Incident.objects.create(
            slug="canary-draft-incident-zq7x", monument=hidden, kind=IncidentKind.DAMAGED, grade="severe",
            occurred="2016-05", summary="Canary draft zq7x: quoted, but no curator has published it.",
            perpetrator="Canary draft perpetrator zq7x",
        ),
        Restoration.objects.create(
            slug="canary-draft-restoration-zq7x", artefact=busts, kind=RestorationKind.RESTORATION, finished="2019",
            summary="Canary draft restoration zq7x.", place="Draftville zq7x",
        ),
        Assessment.objects.create(
            slug="canary-draft-assessment-zq7x", monument=tetrapylon, assessed="2021-05", condition="good",
            method="field_visit", summary="Canary draft assessment zq7x.", threats="Canary draft threat zq7x",
        ),
    ]  # fmt: skip
    quoted = [make_evidence(draft, quote="The new destruction was condemned") for draft in drafts]
    events += drafts
    monitor = Source.objects.create(slug="canary-monitor", name="A monitor only hidden reports cite", kind="monitor")
    held = [
        Evidence.objects.create(
            article=where, note=f"Canary note {CANARY} on {event.slug}.", cited_person=f"Canary witness {CANARY}",
            cited_source=monitor, **{event._meta.model_name: event},
        )
        for event in events
        for where in (reference, article)
    ]  # fmt: skip
    sensitive = Monument.objects.create(
        name="Looted Tell", slug="looted-tell", kind=MonumentKind.SITE, sensitive=True, extent=SENSITIVE_EXTENT,
        latitude=SENSITIVE_LATITUDE, longitude=SENSITIVE_LONGITUDE, part_of=site,
    )  # fmt: skip
    Monument.objects.filter(pk=site.pk).update(latitude="34.55", longitude="38.27")
    conditions_refresh()
    evidence = [*quoted, *held]
    return {"events": events, "evidence": evidence, "hidden": hidden, "reference": reference, "sensitive": sensitive}


def endpoints(patterns=None, prefix="", namespace="", language=None):
    """Yield (pattern text from the root, namespaced name or None, URLPattern, language) for every endpoint.

    The public pages (i18n_patterns) are yielded once under each language's prefix, with that language; the
    addresses without a prefix (the API, the admin) once, with None.
    """
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            if isinstance(entry.pattern, LocalePrefixPattern):
                for code in LANGUAGE_CODES:
                    # The prefix is the active language's: "en/", "ar/".
                    with translation.override(code):
                        prefixed = prefix + str(entry.pattern)
                    yield from endpoints(entry.url_patterns, prefixed, inner, code)
            else:
                yield from endpoints(entry.url_patterns, prefix + str(entry.pattern), inner, language)
        else:
            name = ":".join(part for part in (namespace, entry.name) if part) if entry.name else None
            yield prefix + str(entry.pattern), name, entry, language


# A path converter (<slug:slug>), a named regex group, or an unnamed one.
PARAMETER = re.compile(
    r"<(?:\w+:)?(?P<route>\w+)>|\(\?P<(?P<named>\w+)>(?:[^()\\]|\\.)*\)|(?P<unnamed>\((?!\?)(?:[^()\\]|\\.)*\))"
)
REGEX_LEFT = re.compile(r"[\[\]()*+?|{}\\]")


def fill(text: str, values: list[str]) -> str:
    """Return the pattern ``text`` with each parameter, in order, replaced by one of ``values``."""
    given = iter(values)
    filled = PARAMETER.sub(lambda match: next(given), text)
    return filled.replace("^", "").replace("$", "").replace(r"\Z", "").replace(r"\.", ".")


def parameters(text: str, name: str | None) -> list[str]:
    """Return the names of the pattern's parameters in order; unnamed groups are named from the view."""
    found = []
    for match in PARAMETER.finditer(text):
        if match["unnamed"]:
            if not (name or "").endswith("_simple_history"):
                raise LookupError(f"an unnamed parameter in {text!r} ({name})")
            found.append(("object_id", "history_id")[sum(1 for item in found if item in {"object_id", "history_id"})])
        else:
            found.append(match["route"] or match["named"])
    return found


def parameter_values(parameter: str, name: str | None, seeded: dict) -> list[str]:
    """Return the values to try for one parameter of the pattern called ``name``: real records', canaries' first."""
    canary_ids = [str(record.pk) for record in [*seeded["events"], *seeded["evidence"]]]
    # The API's and the pages' patterns are named after their records: "api:incident-detail", "register:article-raw".
    record = (name or "").partition(":")[2].partition("-")[0]
    if parameter == "slug" and record in {"monument", "artefact", "incident", "restoration", "assessment", "source"}:
        slugs = apps.get_model("register", record).objects.order_by("pk").values_list("slug", flat=True)
        return [*slugs, UNKNOWN]
    if parameter == "pk" and record in {"article", "evidence"}:
        ids = apps.get_model("register", record).objects.order_by("pk").values_list("pk", flat=True)
        return [*(str(pk) for pk in ids), "999999"]
    by_parameter = {
        "object_id": canary_ids[:2] + [str(seeded["hidden"].pk)],
        "history_id": [str(seeded["events"][0].history.get().history_id)],
        "content_type_id": [str(ContentType.objects.get_for_model(Incident).pk)],
        "app_label": ["register"],
        "id": canary_ids[:1],
        "pk": canary_ids[:1],
        "url": [f"nothing/{seeded['events'][0].pk}/"],
        "path": ["canary-zq7x.jpg", "images/none.jpg"],
        # A received file is addressed by its SHA-256; the canaries hold none.
        "sha256": ["0" * 64],
    }
    if parameter not in by_parameter:
        raise LookupError(f"no values for the parameter {parameter!r} of {name}")
    return by_parameter[parameter]


def requests_for(seeded: dict, patterns=None) -> list[str]:
    """Return every address to ask for: each endpoint, its parameters filled every way, in every format it offers.

    Raise LookupError for a pattern the walk cannot fill, so a new address cannot be left out unnoticed.
    """
    probes = [
        *(event.slug for event in seeded["events"]),
        *(str(item.pk) for item in seeded["evidence"][:2]),
        seeded["hidden"].slug,
        "canary-monitor",
        str(seeded["reference"].pk),
        CANARY,
    ]
    addresses = []
    for text, name, entry, language in endpoints(patterns):
        names = parameters(text, name)
        combinations = itertools.product(*(parameter_values(parameter, name, seeded) for parameter in names))
        paths = [fill(text, list(values)) for values in combinations]
        if any(REGEX_LEFT.search(address) for address in paths):
            if fill(text, []) not in SAMPLES:
                raise LookupError(f"no example of {text!r}: add one to SAMPLES")
            paths = SAMPLES[fill(text, [])]
        for address in paths:
            # A language's prefix resolves only while that language is active, as LocaleMiddleware makes it.
            with translation.override(language):
                match = resolve("/" + address)
            if match.func is not entry.callback:
                raise LookupError(f"{address!r} filled from {text!r} resolves to {match.view_name}, not {name}")
        queries = [{}, *PAGE_QUERIES.get(name, [])]
        view = getattr(entry.callback, "cls", None)
        if view is not None and issubclass(view, APIView):
            formats = [renderer.format for renderer in view.renderer_classes]
            queries = [{"format": format_} for format_ in formats]
            if getattr(entry.callback, "actions", {}).get("get") == "list":
                filters = view.filterset_class.base_filters
                queries += [{parameter: value, "format": "json"} for parameter in filters for value in probes]
                if "bbox" in filters:
                    queries += [{"bbox": box, "format": format_} for box in FINE_BOXES for format_ in formats]
                # The browsable API's form shows a filter's value back: once per filter is enough.
                queries += [{parameter: probes[0], "format": "api"} for parameter in filters]
        addresses += [(address, query) for address in paths for query in queries]
    return addresses


CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"csrfToken": ")[^"]*')


def normalized(response) -> str:
    """Return what the response shows, with each request's own CSRF token left out; a ZIP as its files' text."""
    if response.get("Content-Type", "").startswith("application/zip"):
        content = b"".join(response.streaming_content)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(f"== {name}\n{archive.read(name).decode()}" for name in sorted(archive.namelist()))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    return CSRF_TOKEN.sub(r"\1", text)


def answers(requests: list) -> dict:
    """Return each request's status, type, redirect and body, asked anonymously of a fresh cache."""
    cache.clear()
    client = APIClient()
    shown = {}
    for address, query in requests:
        response = client.get("/" + address, query)
        key = "/" + address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        headers = {name: response.get(name, "") for name in ("Content-Type", "Location", "Link")}
        shown[key] = (response.status_code, headers, normalized(response), dict(response.items()))
    return shown


def test_no_address_shows_an_unpublished_record_or_any_trace_of_it(canaries, settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path
    requests = requests_for(canaries)
    bulk_export(today=TODAY)
    before = answers(requests)

    leaks = [
        f"{key} ({status})"
        for key, (status, _headers, body, all_headers) in before.items()
        if CANARY not in key and (CANARY in body.lower() or CANARY in str(all_headers).lower())
    ]
    assert not leaks, f"{len(leaks)} responses show a canary: " + ", ".join(leaks[:200])

    for item in canaries["evidence"]:
        item.delete()
    for event in canaries["events"]:
        event.delete()
    conditions_refresh()
    bulk_export(today=TODAY)
    after = answers(requests)
    traces = [key for key in before if before[key][:3] != after[key][:3]]
    assert not traces, f"{len(traces)} responses change when the canaries go: " + ", ".join(traces[:20])


def test_no_public_address_shows_a_sensitive_place_exactly_or_finds_it_by_a_fine_box(canaries, settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path
    requests = requests_for(canaries)
    bulk_export(today=TODAY)
    shown = answers(requests)

    leaks = [
        f"{key} ({status}): {digits}"
        for key, (status, _headers, body, all_headers) in shown.items()
        for digits in EXACT_DIGITS
        if digits in body or digits in str(all_headers)
    ]
    assert not leaks, f"{len(leaks)} public responses show an exact location: " + ", ".join(leaks[:50])
    # By its address, which every format's records carry (the browsable API's filter form names every slug).
    found_by_box = [key for key, (_s, _h, body, _a) in shown.items() if "bbox=" in key and LOOTED_TELL_URL in body]
    assert not found_by_box, "a fine box finds the sensitive place: " + ", ".join(found_by_box)
    # The public does see the place, where it is to one decimal, on its page, in the API and in the download.
    assert "35.1, 36.8" in shown[LOOTED_TELL_URL][2]
    assert "35.1, 36.8" in shown[LOOTED_TELL_URL.replace("/en/", "/ar/")][2]
    record = json.loads(shown["/api/v1/monuments/looted-tell/?format=json"][2])
    assert (record["latitude"], record["longitude"], record["extent"]) == (35.1, 36.8, None)
    [feature] = json.loads(shown["/api/v1/monuments/looted-tell/?format=geojson"][2])["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [36.8, 35.1]}
    assert "POINT(36.8 35.1)" in shown["/api/v1/monuments/looted-tell/?format=jsonld"][2]
    assert LOOTED_TELL_URL in shown["/api/v1/bulk/latest.zip?format=zip"][2]
    rounded_box = answers([("api/v1/monuments/", {"bbox": "36.75,35.05,36.85,35.15", "format": "json"})])
    assert LOOTED_TELL_URL in next(iter(rounded_box.values()))[2]


def test_a_curator_sees_a_sensitive_place_exactly_in_every_api_format(canaries, curator):
    client = APIClient()
    client.force_authenticate(curator)
    for address in ("/api/v1/monuments/looted-tell/", "/api/v1/monuments/"):
        for format_ in ("json", "csv", "geojson", "jsonld", "api"):
            body = normalized(client.get(address, {"format": format_}))
            # JSON-LD defines a place by its extent where it has one, so its point is not given there.
            wanted = EXACT_DIGITS[2:] if format_ == "jsonld" else EXACT_DIGITS
            missing = [digits for digits in wanted if digits not in body]
            assert not missing, f"{address}?format={format_} lacks {missing}"
    fine = client.get("/api/v1/monuments/", {"bbox": FINE_BOXES[0], "format": "json"}).json()
    assert [record["slug"] for record in fine["results"]] == ["looted-tell"]


def test_the_walk_covers_every_kind_of_address(canaries):
    requests = requests_for(canaries)
    asked = {address for address, _query in requests}
    assert "api/v1/incidents/canary-incident-zq7x/" in asked
    assert "en/restorations/canary-restoration-zq7x/" in asked
    assert "en/assessments/canary-assessment-zq7x/" in asked
    assert "api/v1/assessments/canary-assessment-zq7x/" in asked
    assert f"api/v1/evidence/{canaries['evidence'][0].pk}/" in asked
    assert f"admin/register/incident/{canaries['events'][0].pk}/change/" in asked
    assert "api/v1/bulk/latest.zip" in asked
    assert ("api/v1/evidence/", {"format": "api"}) in requests
    assert ("api/v1/evidence/", {"incident": "canary-incident-zq7x", "format": "json"}) in requests
    # The public pages under each language's prefix, every one in both; the API and the admin have no prefix.
    for language in ("en", "ar"):
        assert (f"{language}/search/", {"q": CANARY}) in requests
        assert (f"{language}/feed/", {}) in requests
        assert (f"{language}/monuments/hidden-ties-shrine/feed/", {}) in requests
        assert f"{language}/incidents/canary-draft-incident-zq7x/" in asked
        for listed in ("restorations/", "assessments/", "artefacts/", "articles/", "sources/"):
            assert (f"{language}/{listed}", {}) in requests

    def pages_in(language):
        prefix = f"{language}/"
        return [(address.removeprefix(prefix), query) for address, query in requests if address.startswith(prefix)]

    assert pages_in("ar") == pages_in("en")
    assert not [address for address in asked if address.startswith(("en/api", "ar/api", "en/admin", "ar/admin"))]


def test_the_walk_refuses_a_pattern_it_cannot_fill(canaries):
    def view(request, gizmo):
        raise AssertionError("never called")

    with pytest.raises(LookupError, match="gizmo"):
        requests_for(canaries, [path("gadgets/<uuid:gizmo>/", view)])
