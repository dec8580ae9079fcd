"""Throttling of anonymous clients."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Throttle anonymous clients per IP at the rate in settings (API_ANON_RATE).

    DRF's own class copies the rates once at import; reading them per request
    lets a test (or a settings change) take effect without a restart.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
