"""Signing in and out: why a session ended, and django-axes' answers to repeated failed
logins (the address an attempt came from, and the page shown while locked out)."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

SIGNED_OUT_REASONS = {"inactive", "expired"}


@require_GET
@never_cache
@login_not_required
def signed_out(request, reason):
    """Why the session ended, with a way back in to the page the user was on."""
    if reason not in SIGNED_OUT_REASONS:
        raise Http404("No such page.")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {
        "reason": reason,
        "next": next_url,
        "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
        "max_hours": settings.SESSION_COOKIE_AGE // 3600,
    }
    return render(request, "registration/signed_out.html", context)


def client_address(request):
    """The address a login attempt came from, for throttling: the one the nearest
    TRUSTED_PROXIES proxies report in X-Forwarded-For, else the connection's own."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def login_locked_out(request, response=None, credentials=None):
    """django-axes' answer to a login attempt while its username or address is locked."""
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    last_failure = max(
        (at for queryset in attempts for at in queryset.values_list("attempt_time", flat=True)),
        default=timezone.now(),
    )
    context = {
        "until": last_failure + settings.AXES_COOLOFF_TIME,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
