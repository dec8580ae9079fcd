"""Throttling of anonymous clients, counted per address in a cache every worker shares."""

import ipaddress

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle

# The CACHES alias that holds the counts: Redis, or files every worker on the machine reads (heritage.env.env_caches).
THROTTLE_CACHE = "throttle"


def client_address(request) -> str | None:
    """Return the client's address: REMOTE_ADDR, or the one NUM_PROXIES trusted proxies in front saw.

    The throttle and the login lock-out (AXES_CLIENT_IP_CALLABLE) count by it. A forwarded value that is not an
    address (a proxy count set too high lets the client write it) falls back to REMOTE_ADDR.
    """
    address = BaseThrottle().get_ident(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return request.META.get("REMOTE_ADDR")
    return address


class AnonymousRateThrottle(AnonRateThrottle):
    """Throttle anonymous clients per address at the rate in settings (API_ANON_RATE).

    DRF's own class copies the rates once at import and counts in the default cache; this one reads the rates per
    request (so a test or a settings change takes effect without a restart) and counts in the shared cache.
    """

    @property
    def cache(self):
        return caches[THROTTLE_CACHE]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request)
