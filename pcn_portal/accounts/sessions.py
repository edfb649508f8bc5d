"""Sessions that end: after a spell without requests, and a fixed time after login.

Django ends a session when the browser closes (SESSION_EXPIRE_AT_BROWSER_CLOSE) and gives a
new session key at login; this middleware adds the idle limit (SESSION_IDLE_TIMEOUT) and
the absolute one (SESSION_COOKIE_AGE after login), and tells the user why they were
logged out.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

LOGGED_IN_AT = "portal_logged_in_at"
LAST_SEEN_AT = "portal_last_seen_at"
# The last request's time is saved at most this often, so a page of requests costs one
# session write, not one each; idle expiry is exact to within this many seconds.
SEEN_RESOLUTION = 60


def ended(session, now):
    """Why this session has ended ("inactive" or "expired"), or None while it lasts."""
    logged_in_at = session.get(LOGGED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if logged_in_at is not None and now - logged_in_at >= settings.SESSION_COOKIE_AGE:
        return "expired"
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    if last_seen_at is not None and now - last_seen_at >= idle:
        return "inactive"
    return None


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        session = request.session
        if request.user.is_authenticated:
            reason = ended(session, now)
            if reason:
                logout(request)
                return redirect_signed_out(request, reason)
            if now - session.get(LAST_SEEN_AT, 0) >= SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
        response = self.get_response(request)
        # Just logged in (through any login form or single sign-on): start the clocks.
        if request.user.is_authenticated and LOGGED_IN_AT not in session:
            session[LOGGED_IN_AT] = now
            session[LAST_SEEN_AT] = now
        return response


def redirect_signed_out(request, reason):
    url = reverse("accounts:signed_out", args=[reason])
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
