"""Public pages: look up, call the models or a service, render."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from register.models import AlternateName, Article, Evidence, Incident, Monument, Restoration
from register.services.condition import condition_timeline, conditions_now

LATEST_INCIDENTS_ON_HOME = 10


def home(request):
    latest = (
        Incident.objects.with_evidence()
        .select_related("monument", "artefact")
        .order_by("-occurred_latest", "-pk")[:LATEST_INCIDENTS_ON_HOME]
    )
    counts = {
        "monuments": Monument.objects.count(),
        "incidents": Incident.objects.with_evidence().count(),
        "restorations": Restoration.objects.with_evidence().count(),
        "articles": Article.objects.with_text().count(),
        "evidence": Evidence.objects.count(),
    }
    return render(request, "register/home.html", {"counts": counts, "latest_incidents": latest})


def monument_list(request):
    query = request.GET.get("q", "").strip()
    monuments = list(Monument.objects.matching_name(query).select_related("part_of"))
    conditions = conditions_now(monuments)
    rows = [(monument, conditions[monument.pk]) for monument in monuments]
    return render(request, "register/monument_list.html", {"rows": rows, "query": query})


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
    return render(
        request,
        "register/monument_detail.html",
        {"monument": monument, "timeline": timeline, "condition": condition},
    )


def incident_detail(request, slug):
    incident = get_object_or_404(
        Incident.objects.with_evidence().with_public_evidence().select_related("monument", "artefact"), slug=slug
    )
    return render(request, "register/event_detail.html", {"event": incident})


def restoration_detail(request, slug):
    restoration = get_object_or_404(
        Restoration.objects.with_evidence()
        .with_public_evidence()
        .select_related("monument", "artefact", "institution"),
        slug=slug,
    )
    return render(request, "register/event_detail.html", {"event": restoration})


def article_detail(request, pk):
    article = get_object_or_404(
        Article.objects.select_related("publisher", "carried_by").annotate(evidence_count=Count("evidence")), pk=pk
    )
    evidence = article.evidence.select_related("incident", "restoration", "cited_source").order_by("position")
    return render(request, "register/article_detail.html", {"article": article, "evidence": evidence})
