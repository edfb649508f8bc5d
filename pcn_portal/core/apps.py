from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared helpers (importing no app of the project). Its one table is the forms
    already saved (pcn_portal.core.submissions), which save_form reads and writes."""

    name = "pcn_portal.core"
    label = "core"
    verbose_name = "Shared helpers"
