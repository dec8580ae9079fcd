from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from heritage.media import media_serve
from register.api.views import not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("register.api.urls")),
    # Every other address under /api/, whatever the method, answers 404 in JSON as the API's own errors do.
    re_path(r"^api/[\s\S]*$", not_found),
    path("", include("register.urls")),
]

# Uploaded photographs, unless a proxy in front serves MEDIA_ROOT itself (SERVE_MEDIA=false).
if settings.SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_serve, name="media"))
