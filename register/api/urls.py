"""/api/v1/: the records, the schema and its docs, and the bulk download."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from register.api import views

app_name = "api"


class Router(DefaultRouter):
    # ?format= selects the format; a suffix such as .json would make a dot in a slug ambiguous.
    include_format_suffixes = False
    APIRootView = views.RootView


router = Router()
router.register("monuments", views.MonumentViewSet, basename="monument")
router.register("artefacts", views.ArtefactViewSet, basename="artefact")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("restorations", views.RestorationViewSet, basename="restoration")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("sources", views.SourceViewSet, basename="source")
router.register("evidence", views.EvidenceViewSet, basename="evidence")


urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, which the Content-Security-Policy allows.
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("bulk/latest.zip", views.BulkDownloadView.as_view(), name="bulk-latest"),
    *router.urls,
]
