import functools

from django.conf import settings


@functools.cache
def vendored(library):
    """Where a vendored library's files are under the static files, read once from its
    VERSION: scripts/vendor-<library>.sh puts them in static/vendor/<library>/<version>/
    and writes that version beside them, so a template never names a version that a
    refresh has removed."""
    version = (settings.BASE_DIR / "static/vendor" / library / "VERSION").read_text().strip()
    return f"vendor/{library}/{version}"


def site(request):
    """Values every page template needs."""
    nhsuk = vendored("nhsuk-frontend")
    return {
        "service_name": settings.SERVICE_NAME,
        "nhsuk_frontend_css": f"{nhsuk}/nhsuk-frontend.min.css",
        "nhsuk_frontend_js": f"{nhsuk}/nhsuk-frontend.min.js",
        "nhsuk_assets": f"{nhsuk}/assets",
        "chartjs_js": f"{vendored('chartjs')}/chart.umd.min.js",
        "htmx_js": f"{vendored('htmx')}/htmx.min.js",
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
    }
