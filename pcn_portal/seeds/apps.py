from django.apps import AppConfig


class SeedsConfig(AppConfig):
    """The demo and national data sets, and their commands (seed_demo, seed_national)."""

    name = "pcn_portal.seeds"
    label = "seeds"
    verbose_name = "Demo and national data sets"
