from django.apps import AppConfig
from pghistory.apps import PGHistoryConfig


class PCNPortalConfig(AppConfig):
    default = True
    name = "pcn_portal"
    verbose_name = "PCN Portal"

    def ready(self):
        from pcn_portal import checks  # noqa: F401 (registers the migration history check)


class AuditHistoryConfig(PGHistoryConfig):
    """django-pghistory, under the names national admins read in the admin index."""

    default = False
    verbose_name = "Audit history"

    def ready(self):
        super().ready()
        from pghistory.models import MiddlewareEvents

        # Display names only: migrations read the model's declared options, not these.
        MiddlewareEvents._meta.verbose_name = "change"
        MiddlewareEvents._meta.verbose_name_plural = "changes"
