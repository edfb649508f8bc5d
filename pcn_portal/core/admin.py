"""What every model admin shares: formatting, open/closed filters, protected reference data.

Each change page links to its audit history ("Events", from pghistory.admin).
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.text import Truncator

from pcn_portal.core.dates import today


def format_date(value):
    return f"{value.day} {value:%b %Y}" if value else "–"


def format_money(value):
    return f"£{number_format(value, 2, force_grouping=True)}" if value is not None else "–"


def date_column(field, description=None):
    @admin.display(description=description or field.replace("_", " "), ordering=field)
    def column(obj):
        return format_date(getattr(obj, field))

    return column


def money_column(field, description=None):
    @admin.display(description=description or field.replace("_", " "), ordering=field)
    def column(obj):
        return format_money(getattr(obj, field))

    return column


@admin.display(description="source")
def source_column(obj):
    """Where a reference figure comes from, shortened in lists (whole on hover and on the
    change page), so long citations do not stretch every row."""
    return format_html('<span title="{}">{}</span>', obj.source, Truncator(obj.source).chars(48))


@admin.display(description="name", ordering="name")
def display_name(obj):
    """ODS names are stored in capitals; show them in title case."""
    return obj.display_name


def open_closed_filter(end_field, title="open or closed"):
    class OpenClosedFilter(admin.SimpleListFilter):
        parameter_name = "open"

        def lookups(self, request, model_admin):
            return [("yes", "Open today"), ("no", "Closed or ended")]

        def queryset(self, request, queryset):
            # The end date is the last day: a record ending today is still open today.
            open_ = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": today()})
            if self.value() == "yes":
                return queryset.filter(open_)
            if self.value() == "no":
                return queryset.exclude(open_)
            return queryset

    OpenClosedFilter.title = title
    return OpenClosedFilter


class HierarchyFilter(admin.RelatedFieldListFilter):
    """A filter on the ICB or region above a record. An ePCN file imported on its own
    leaves them blank until epraccur or the practice map fills them in, so the blank
    choice says so rather than showing a bare dash."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "Not known yet"


class ReferenceDataAdmin(admin.ModelAdmin):
    """National reference data: corrected in place, never deleted by accident."""

    def has_delete_permission(self, request, obj=None):
        return False


ADDRESS = ["address_line_1", "address_line_2", "address_line_3", "address_line_4",
           "address_line_5", "postcode"]  # fmt: skip


def organisation_fieldsets(*main, address=False, sections=()):
    """An organisation's form: its ODS code and name first, then what it belongs to and its
    dates; the address and other codes below."""
    fieldsets = [(None, {"fields": ["code", "name", *main, ("open_date", "close_date")]})]
    if address:
        fieldsets.append(("Address", {"fields": ADDRESS}))
    fieldsets += list(sections)
    fieldsets.append(("Other codes", {"fields": ["ons_code"], "classes": ["collapse"]}))
    return fieldsets
