from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

from register.api.views import not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("register.api.urls")),
    # Every other address under /api/, whatever the method, answers 404 in JSON as the API's own errors do.
    re_path(r"^api/[\s\S]*$", not_found),
    path("", include("register.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
