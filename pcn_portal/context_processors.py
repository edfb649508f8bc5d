from django.conf import settings


def site(request):
    """Values every page template needs."""
    vendor = f"vendor/nhsuk-frontend/{settings.NHSUK_FRONTEND_VERSION}"
    return {
        "service_name": settings.SERVICE_NAME,
        "nhsuk_frontend_css": f"{vendor}/nhsuk-frontend.min.css",
        "nhsuk_frontend_js": f"{vendor}/nhsuk-frontend.min.js",
        "nhsuk_assets": f"{vendor}/assets",
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
    }
