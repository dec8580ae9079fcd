"""Public pages: look up, call the models or a service, render.

Every page is public and the same for every visitor in a language, so each
may be cached for a few minutes by browsers and shared caches.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from register.citation import record_citation
from register.geojson import feature_collection
from register.models import AlternateName, Article, Evidence, Incident, Monument, Restoration
from register.models.vocabularies import Condition
from register.page_filters import IncidentPageFilter, MonumentPageFilter
from register.services.condition import condition_timeline, conditions_now
from register.services.timeline_svg import timeline_svg

LATEST_INCIDENTS_ON_HOME = 8
INCIDENTS_PER_PAGE = 50
SEARCH_RESULTS_PER_KIND = 50
PUBLIC_MAX_AGE = 300


def public_page(view):
    """Let browsers and shared caches keep the page five minutes, per language."""
    return cache_control(public=True, max_age=PUBLIC_MAX_AGE)(vary_on_headers("Accept-Language")(view))


def _map_context(monuments, conditions, request) -> dict:
    return {
        "features": feature_collection(monuments, conditions=conditions, request=request),
        "condition_labels": dict(Condition.choices),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def _citation(request, record):
    return record_citation(
        record, url=request.build_absolute_uri(record.get_absolute_url()), accessed=timezone.localdate()
    )


@public_page
def home(request):
    counts = {
        "monuments": Monument.objects.count(),
        "incidents": Incident.objects.with_evidence().count(),
        "restorations": Restoration.objects.with_evidence().count(),
        "articles": Article.objects.with_text().count(),
        "evidence": Evidence.objects.count(),
    }
    latest = Incident.objects.with_evidence().select_related("monument", "artefact").latest_first()
    monuments = list(Monument.objects.select_related("part_of"))
    return render(
        request,
        "register/home.html",
        {
            "counts": counts,
            "latest_incidents": latest[:LATEST_INCIDENTS_ON_HOME],
            "map": _map_context(monuments, conditions_now(monuments), request),
        },
    )


@public_page
def monument_list(request):
    filters = MonumentPageFilter(request.GET, queryset=Monument.objects.select_related("part_of"))
    monuments = list(filters.qs) if filters.is_valid() else []
    rows = [(monument, monument.condition) for monument in monuments]
    return render(request, "register/monument_list.html", {"rows": rows, "filters": filters})


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
    conditions = {monument.pk: condition, **conditions_now(parts)} if parts else {monument.pk: condition}
    return render(
        request,
        "register/monument_detail.html",
        {
            "monument": monument,
            "timeline": timeline,
            "timeline_svg": timeline_svg(timeline, today=timezone.localdate()),
            "condition": condition,
            "parts": [(part, conditions[part.pk]) for part in parts],
            "map": _map_context([monument, *parts], conditions, request),
            "citation": _citation(request, monument),
        },
    )


@public_page
def incident_list(request):
    incidents = (
        Incident.objects.with_evidence().select_related("monument", "artefact").annotate(quotes=Count("evidence"))
    )
    filters = IncidentPageFilter(request.GET, queryset=incidents.latest_first())
    page = None
    if filters.is_valid():
        page = Paginator(filters.qs, INCIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "register/incident_list.html", {"filters": filters, "page": page})


@public_page
def incident_detail(request, slug):
    incident = get_object_or_404(
        Incident.objects.with_evidence().with_public_evidence().select_related("monument", "artefact"), slug=slug
    )
    return render(request, "register/event_detail.html", {"event": incident, "citation": _citation(request, incident)})


@public_page
def restoration_detail(request, slug):
    restoration = get_object_or_404(
        Restoration.objects.with_evidence()
        .with_public_evidence()
        .select_related("monument", "artefact", "institution"),
        slug=slug,
    )
    return render(
        request, "register/event_detail.html", {"event": restoration, "citation": _citation(request, restoration)}
    )


@public_page
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.select_related("publisher", "carried_by"), pk=pk)
    evidence = list(
        article.evidence.with_citation()
        .select_related("incident__monument", "incident__artefact", "restoration__monument", "restoration__artefact")
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


@public_page
def article_raw(request, pk):
    """Serve the raw text exactly as stored, in UTF-8, so anyone can check it against its SHA-256."""
    article = get_object_or_404(Article.objects.with_text().only("raw_text"), pk=pk)
    return HttpResponse(article.raw_text, content_type="text/plain; charset=utf-8")


@public_page
def search(request):
    query = request.GET.get("q", "").strip()
    results = None
    if query:
        limit = SEARCH_RESULTS_PER_KIND
        results = {
            "monuments": list(
                Monument.objects.matching_name(query).by_relevance(query).select_related("part_of")[: limit + 1]
            ),
            "incidents": list(
                Incident.objects.with_evidence()
                .matching_text(query)
                .select_related("monument", "artefact")
                .latest_first()[: limit + 1]
            ),
            "articles": list(
                Article.objects.matching_text(query).select_related("publisher", "carried_by")[: limit + 1]
            ),
        }
    return render(
        request, "register/search.html", {"query": query, "results": results, "limit": SEARCH_RESULTS_PER_KIND}
    )
