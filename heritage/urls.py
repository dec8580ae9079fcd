from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from heritage.media import media_serve
from register.api.views import not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("register.api.urls")),
    # Every other address under /api/, whatever the method, answers 404 in JSON as the API's own errors do.
    re_path(r"^api/[\s\S]*$", not_found),
    # The language switcher posts here and is answered with the same page in the chosen language. Without a CSRF
    # token, so that no public page carries one and every page stays the same for every reader, cacheable by shared
    # caches; a forged post could only change a reader's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]
# Public pages under /en/ and /ar/, so a shared link opens in its language. Every address carries its prefix, English
# too: Django serves an unprefixed address in the default language whatever the browser asks when the default has no
# prefix, whereas here LocaleMiddleware redirects it (an old address, a first visit) by the cookie or Accept-Language.
urlpatterns += i18n_patterns(path("", include("register.urls")), prefix_default_language=True)

# Uploaded photographs, unless a proxy in front serves MEDIA_ROOT itself (SERVE_MEDIA=false).
if settings.SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_serve, name="media"))
