"""Public pages: look up, call the models or a service, render.

Every page is public and the same for every visitor, its language given by its address (/en/, /ar/), so each
may be cached for a few minutes by browsers and shared caches.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.cache import cache_control

from register import visibility
from register.citation import record_citation
from register.feeds import MonumentFeed, RegisterFeed
from register.geojson import feature_collection
from register.models import (
    AlternateName,
    Artefact,
    Article,
    Assessment,
    Correction,
    Evidence,
    Incident,
    Monument,
    ReceivedFile,
    Restoration,
    Source,
)
from register.models.vocabularies import Condition, ReceivedFileFormat
from register.page_filters import (
    ArtefactPageFilter,
    ArticlePageFilter,
    AssessmentPageFilter,
    IncidentPageFilter,
    MonumentPageFilter,
    RestorationPageFilter,
    SearchForm,
    SourcePageFilter,
    api_query,
    list_page,
)
from register.services.condition import condition_timeline
from register.services.timeline_svg import timeline_layout

LATEST_INCIDENTS_ON_HOME = 8
# A monument page lists at most this many restorations and artefacts; its links lead to the lists of them all.
RELATED_ON_MONUMENT = 20
# The home map carries at most this many markers; the monuments list and the GeoJSON API have the rest.
HOME_MAP_MONUMENTS = 200
SEARCH_RESULTS_PER_KIND = 50
PUBLIC_MAX_AGE = 300
HOME_COUNTS_CACHE_KEY = "register:home:counts"
GZIP_MAGIC = b"\x1f\x8b"


def public_page(view):
    """Let browsers and shared caches keep the page five minutes."""
    # No Vary: Accept-Language, as the address names the page's language (/en/, /ar/).
    return cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view)


def _map_context(monuments, request, *, conditions=None) -> dict:
    # What the public sees, sensitive places rounded, whoever is signed in: every visitor gets the same page.
    features = feature_collection(monuments, exact_locations=False, conditions=conditions, request=request)
    return {
        "features": features,
        "has_extents": any(feature["geometry"]["type"] != "Point" for feature in features["features"]),
        "condition_labels": dict(Condition.choices),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def _citation(request, record):
    return record_citation(
        record, url=request.build_absolute_uri(record.get_absolute_url()), accessed=timezone.localdate()
    )


def _register_counts() -> dict[str, int]:
    """Return what the public can see, counted: monuments, quoted incidents and restorations, articles, quotes."""
    # Each monument stores its quoted incidents (register.services.condition keeps them true): summing them in
    # the one scan that counts monuments replaces a semi-join of every incident with its quotes.
    # The quotes likewise: each monument stores its public quotes; those about artefacts are counted here.
    monuments = Monument.objects.aggregate(
        monuments=Count("pk"),
        incidents=Coalesce(Sum("incident_count"), 0),
        quotes=Coalesce(Sum("evidence_count"), 0),
    )
    quotes = Evidence.objects.public().quotes().order_by().values("pk")
    about_artefacts = quotes.filter(incident__artefact__isnull=False).union(
        quotes.filter(restoration__artefact__isnull=False),
        quotes.filter(assessment__artefact__isnull=False),
        all=True,
    )
    return {
        "monuments": monuments["monuments"],
        "incidents": monuments["incidents"] + Incident.objects.filter(monument=None).public().count(),
        "restorations": Restoration.objects.public().count(),
        "articles": Article.objects.with_text().count(),
        # Quotes only: a report held by reference is no quote.
        "evidence": monuments["quotes"] + about_artefacts.count(),
    }


def _api_links(list_name: str, filters) -> dict[str, str] | None:
    """Return the same list's addresses in the API (as JSON, CSV, and in no format), or None for invalid filters."""
    if not filters.is_valid():
        return None
    address, pairs = reverse(list_name), api_query(filters)
    links = {format_: f"{address}?{urlencode([*pairs, ('format', format_)])}" for format_ in ("json", "csv")}
    # As the API answers a browser (its browsable page) or any client that sends no format.
    links["any"] = f"{address}?{urlencode(pairs)}" if pairs else address
    return links


def _quotes_of(model):
    """Return each record's count of quotes, for a page of it: counted per row, not over the whole filtered set."""
    quotes = Evidence.objects.quotes().filter(**{model._meta.model_name: OuterRef("pk")}).order_by()
    quotes = quotes.values(model._meta.model_name).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(quotes, output_field=IntegerField()), 0)


def _filtered_list(request, filters, template: str, api_list: str, **context):
    """Render a list page: the page of the filtered rows, or why there is none, and the same list in the API."""
    page, page_error = list_page(request, filters.qs) if filters.is_valid() else (None, None)
    return render(
        request,
        template,
        {"filters": filters, "page": page, "page_error": page_error, "api": _api_links(api_list, filters), **context},
        status=400 if page_error else 200,
    )


@public_page
def home(request):
    # Counting a large register takes a while; the page itself may be PUBLIC_MAX_AGE old in any cache anyway.
    counts = cache.get_or_set(HOME_COUNTS_CACHE_KEY, _register_counts, PUBLIC_MAX_AGE)
    latest = Incident.objects.public().select_related("monument", "artefact").latest_first()
    # At most HOME_MAP_MONUMENTS, those with the most evidenced incidents first, read with their stored counts and
    # conditions: a small register's map shows every located monument, a large one's the most damaged.
    mapped = list(
        Monument.objects.with_coordinates()
        .select_related("part_of")
        .order_by("-incident_count", "name", "pk")[: HOME_MAP_MONUMENTS + 1]
    )
    return render(
        request,
        "register/home.html",
        {
            "counts": counts,
            "latest_incidents": latest[:LATEST_INCIDENTS_ON_HOME],
            "map": _map_context(mapped[:HOME_MAP_MONUMENTS], request),
            "map_is_capped": len(mapped) > HOME_MAP_MONUMENTS,
            "map_limit": HOME_MAP_MONUMENTS,
        },
    )


@public_page
def monument_list(request):
    filters = MonumentPageFilter(
        request.GET, queryset=Monument.objects.select_related("part_of").order_by("name", "pk")
    )
    page, page_error = list_page(request, filters.qs) if filters.is_valid() else (None, None)
    # The condition and counts are stored on each row, kept true by register.services.condition.
    rows = [(monument, monument.condition) for monument in page] if page is not None else []
    return render(
        request,
        "register/monument_list.html",
        {
            "rows": rows,
            "filters": filters,
            "page": page,
            "page_error": page_error,
            "api": _api_links("api:monument-list", filters),
        },
        status=400 if page_error else 200,
    )


@public_page
def monument_detail(request, slug):
    monument = get_object_or_404(
        Monument.objects.select_related("part_of").prefetch_related(
            Prefetch("names", queryset=AlternateName.objects.order_by("language", "name")),
            Prefetch("parts", queryset=Monument.objects.order_by("name")),
            "images",
        ),
        slug=slug,
    )
    timeline = condition_timeline(monument)
    condition = timeline[-1].condition if timeline else monument.condition_baseline
    parts = list(monument.parts.all())
    # The parts' stored conditions, kept true by register.services.condition: a site of any size costs no query.
    conditions = {monument.pk: condition, **{part.pk: part.condition for part in parts}}
    return render(
        request,
        "register/monument_detail.html",
        {
            "monument": monument,
            "timeline": timeline,
            "timeline_layout": timeline_layout(timeline, today=timezone.localdate()),
            "condition": condition,
            # Every visitor gets the same page (and caches keep it): where the public sees a sensitive place.
            "location": visibility.public_location(monument),
            "parts": [(part, conditions[part.pk]) for part in parts],
            "map": _map_context([monument, *parts], request, conditions=conditions),
            "citation": _citation(request, monument),
            # Of its parts and the artefacts from them too, as its feed and the lists filtered by it hold them.
            "restorations": list(
                visibility.public(Restoration.objects.all())
                .for_monument(monument)
                .select_related("monument", "artefact")
                .order_by("-finished_latest", "-finished_earliest", "-pk")[: RELATED_ON_MONUMENT + 1]
            ),
            "artefacts": list(
                Artefact.objects.filter(origin__in=Monument.objects.within(monument))
                .select_related("origin")
                .order_by("name", "pk")[: RELATED_ON_MONUMENT + 1]
            ),
            "related_limit": RELATED_ON_MONUMENT,
        },
    )


@public_page
def incident_list(request):
    # Every piece of evidence for a public incident is public; a report held by reference is no quote.
    incidents = Incident.objects.public().select_related("monument", "artefact").annotate(quotes=_quotes_of(Incident))
    filters = IncidentPageFilter(request.GET, queryset=incidents.latest_first())
    return _filtered_list(request, filters, "register/incident_list.html", "api:incident-list")


@public_page
def restoration_list(request):
    restorations = (
        visibility.public(Restoration.objects.all())
        .select_related("monument", "artefact", "institution")
        .annotate(quotes=_quotes_of(Restoration))
        .order_by("-finished_latest", "-finished_earliest", "-pk")
    )
    filters = RestorationPageFilter(request.GET, queryset=restorations)
    return _filtered_list(request, filters, "register/restoration_list.html", "api:restoration-list")


@public_page
def assessment_list(request):
    assessments = (
        visibility.public(Assessment.objects.all())
        .select_related("monument", "artefact")
        .annotate(quotes=_quotes_of(Assessment))
        .order_by("-assessed_latest", "-assessed_earliest", "-pk")
    )
    filters = AssessmentPageFilter(request.GET, queryset=assessments)
    return _filtered_list(request, filters, "register/assessment_list.html", "api:assessment-list")


@public_page
def artefact_list(request):
    def public_events_of(model):
        events = visibility.public(model.objects.filter(artefact=OuterRef("pk"))).order_by()
        return Coalesce(Subquery(events.values("artefact").annotate(n=Count("pk")).values("n")), 0)

    artefacts = (
        Artefact.objects.select_related("origin")
        .annotate(incident_count=public_events_of(Incident), restoration_count=public_events_of(Restoration))
        .order_by("name", "pk")
    )
    filters = ArtefactPageFilter(request.GET, queryset=artefacts)
    return _filtered_list(request, filters, "register/artefact_list.html", "api:artefact-list")


@public_page
def article_list(request):
    quotes = Evidence.objects.public().quotes().filter(article=OuterRef("pk")).order_by()
    articles = (
        Article.objects.select_related("publisher", "carried_by")
        # The page shows no article's text; a body is kilobytes per row.
        .defer("raw_text", "body")
        .annotate(
            held_in_full=ExpressionWrapper(~Q(raw_text="") | Q(original__isnull=False), output_field=BooleanField()),
            quotes=Coalesce(Subquery(quotes.values("article").annotate(n=Count("pk")).values("n")), 0),
        )
        .order_by("-published", "title", "pk")
    )
    filters = ArticlePageFilter(request.GET, queryset=articles)
    return _filtered_list(request, filters, "register/article_list.html", "api:article-list")


@public_page
def source_list(request):
    published = Article.objects.filter(publisher=OuterRef("pk")).order_by()
    sources = Source.objects.annotate(
        articles=Coalesce(Subquery(published.values("publisher").annotate(n=Count("pk")).values("n")), 0)
    ).order_by("name", "pk")
    filters = SourcePageFilter(request.GET, queryset=sources)
    return _filtered_list(request, filters, "register/source_list.html", "api:source-list")


def _same_subject(model, event) -> list:
    """Return the public records of ``model`` about the event's own monument or artefact, latest first."""
    records = visibility.public(model.objects.for_subject(event.subject))
    return list(records.order_by(f"-{model.date_field}_latest", "-pk")[:RELATED_ON_MONUMENT])


@public_page
def incident_detail(request, slug):
    incident = get_object_or_404(
        visibility.with_page(Incident.objects.with_public_evidence().select_related("monument", "artefact")), slug=slug
    )
    context = {
        "event": incident,
        "corrections": Correction.objects.of(incident),
        "citation": _citation(request, incident),
        "related": _same_subject(Restoration, incident),
    }
    return render(request, "register/event_detail.html", context)


@public_page
def restoration_detail(request, slug):
    restoration = get_object_or_404(
        visibility.with_page(
            Restoration.objects.with_public_evidence().select_related("monument", "artefact", "institution")
        ),
        slug=slug,
    )
    context = {
        "event": restoration,
        "corrections": Correction.objects.of(restoration),
        "citation": _citation(request, restoration),
        "related": _same_subject(Incident, restoration),
    }
    return render(request, "register/event_detail.html", context)


@public_page
def assessment_detail(request, slug):
    assessment = get_object_or_404(
        visibility.with_page(Assessment.objects.with_public_evidence().select_related("monument", "artefact")),
        slug=slug,
    )
    context = {
        "event": assessment,
        "corrections": Correction.objects.of(assessment),
        "citation": _citation(request, assessment),
    }
    return render(request, "register/event_detail.html", context)


@public_page
def article_detail(request, pk):
    # The archive's SHA-256 is shown, never its bytes, which may be megabytes.
    articles = Article.objects.select_related("publisher", "carried_by", "archive").defer("archive__content")
    article = get_object_or_404(articles, pk=pk)
    evidence = list(
        article.evidence.public()
        .with_citation()
        .select_related(
            "incident__monument",
            "incident__artefact",
            "restoration__monument",
            "restoration__artefact",
            "assessment__monument",
            "assessment__artefact",
        )
        .order_by("position", "pk")
    )
    return render(
        request,
        "register/article_detail.html",
        {
            "article": article,
            "evidence": evidence,
            "monuments": Monument.objects.mentioned_in(article).select_related("part_of"),
            "show_raw": request.GET.get("raw") == "1",
        },
    )


# What a received file or a raw text may do when opened: nothing. It is shown as text, or saved, never run.
INERT = "sandbox; default-src 'none'"


@public_page
def article_raw(request, pk):
    """Serve the raw text exactly as stored, in UTF-8, so anyone can check it against its SHA-256.

    A web page's raw text is its HTML: it is served as plain text, never as a page (nosniff, and sandboxed).
    """
    article = get_object_or_404(Article.objects.with_text().only("raw_text"), pk=pk)
    response = HttpResponse(article.raw_text, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INERT
    return response


@public_page
def received_file(request, sha256):
    """Serve a file a document was read from (a web page, a PDF, a web archive) byte for byte, to be saved.

    Its SHA-256 is its address, and ``sha256sum`` of the download prints it. It is always an attachment of no
    type a browser opens, so a saved page's scripts never run on this site.
    """
    received = get_object_or_404(ReceivedFile.objects.cited(), sha256=sha256)
    extension = received.format
    if received.format == ReceivedFileFormat.WARC and bytes(received.content[:2]) == GZIP_MAGIC:
        extension = "warc.gz"
    response = HttpResponse(bytes(received.content), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, f"{received.sha256}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INERT
    return response


@public_page
def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = None
    if query:
        limit = SEARCH_RESULTS_PER_KIND
        results = {
            "monuments": list(
                Monument.objects.best_matching(query, first=limit + 1).select_related("part_of")[: limit + 1]
            ),
            # Only the latest few of each way of matching are read: a common word matches much of a large
            # register, and reading, sorting or joining every match would be most of the page's cost.
            "incidents": list(
                Incident.objects.public()
                .latest_matching(query, first=limit + 1)
                .select_related("monument", "artefact")[: limit + 1]
            ),
            # The page shows no article's text; a body is kilobytes per row.
            "articles": list(
                Article.objects.matching_text(query)
                .defer("raw_text", "body")
                .select_related("publisher", "carried_by")[: limit + 1]
            ),
        }
    return render(
        request,
        "register/search.html",
        {"query": query, "results": results, "limit": SEARCH_RESULTS_PER_KIND, "errors": form.errors.get("q")},
        status=400 if form.errors else 200,
    )


# The Atom feeds (register.feeds), cached as the pages are.
register_feed = public_page(RegisterFeed())
monument_feed = public_page(MonumentFeed())
