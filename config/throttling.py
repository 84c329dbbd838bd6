"""API throttling: requests per client (DEFAULT_THROTTLE_CLASSES) and failed token logins.

Rates are read from settings.API_THROTTLE_RATES on every request (not once at import, as DRF's
own classes do), so they follow the environment and test settings; API_THROTTLE_ENABLED=False
switches all of them off. A refusal is DRF's 429 with a Retry-After header.
"""

from django.conf import settings
from rest_framework import exceptions, throttling
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from config.auth import client_ip


class _SettingsRateMixin:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request) or ""

    def allow_request(self, request, view):
        if not settings.API_THROTTLE_ENABLED:
            return True
        # The rate may have changed since __init__ (settings are read per request).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by address (API_THROTTLE_ANON)."""


class UserThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    """Signed-in users and token clients, by user (API_THROTTLE_USER)."""


class FailedTokenThrottle(_SettingsRateMixin, throttling.SimpleRateThrottle):
    """Counts wrong tokens per address (API_THROTTLE_TOKEN_FAILURES)."""

    scope = "token_failure"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def blocked(self, request):
        """True while the address has used up its wrong tokens; records nothing."""
        if not settings.API_THROTTLE_ENABLED:
            return False
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests


class ThrottledTokenAuthentication(TokenAuthentication):
    """Token authentication that answers 429 to an address after too many wrong tokens
    (also for a right one, until the window has passed), so tokens cannot be guessed at speed.
    DRF's per-view throttles run only after authentication and never see these requests."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None  # no token offered: nothing to count
        throttle = FailedTokenThrottle()
        if throttle.blocked(request):
            raise exceptions.Throttled(throttle.wait())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            if settings.API_THROTTLE_ENABLED and not throttle.allow_request(request, None):
                raise exceptions.Throttled(throttle.wait()) from None
            raise
