from django.urls import path

from register import views

app_name = "register"

urlpatterns = [
    path("", views.home, name="home"),
    path("monuments/", views.monument_list, name="monument-list"),
    path("monuments/<slug:slug>/", views.monument_detail, name="monument-detail"),
    path("monuments/<slug:slug>/feed/", views.monument_feed, name="monument-feed"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident-detail"),
    path("restorations/", views.restoration_list, name="restoration-list"),
    path("restorations/<slug:slug>/", views.restoration_detail, name="restoration-detail"),
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/<slug:slug>/", views.assessment_detail, name="assessment-detail"),
    path("artefacts/", views.artefact_list, name="artefact-list"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/raw.txt", views.article_raw, name="article-raw"),
    path("files/<slug:sha256>", views.received_file, name="received-file"),
    path("sources/", views.source_list, name="source-list"),
    path("search/", views.search, name="search"),
    path("feed/", views.register_feed, name="feed"),
]
