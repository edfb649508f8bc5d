"""What every model admin shares: formatting, open/closed filters, protected reference data.

Each change page links to its audit history ("Events", from pghistory.admin).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator

from pcn_portal.core.dates import today
from pcn_portal.core.versions import VersionedModelForm
from pcn_portal.core.writing import writing


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


@admin.display(description="sources")
def source_column(obj):
    """The public documents a reference figure comes from, shortened in lists (whole on
    hover and on the change page), so long citations do not stretch every row."""
    text = obj.citation()
    return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(48))


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


@dataclass(frozen=True)
class Writes:
    """The actions an admin page saves and deletes through, so Django admin obeys the rules
    the portal's pages obey: `save(record=…, by=…)` for a new or changed record (the action
    checks which fields may change), `delete(record=…, by=…)` or None where records are
    never deleted here."""

    save: Callable
    delete: Callable | None = None


class WritesThroughActions:
    """Saves and deletes of a model admin — and of its inlines' rows — go through the
    actions its `writes` names. An inline declares its own `writes`; a read-only inline
    (no rows added, changed or deleted) needs none."""

    writes = None

    def get_writes(self):
        if self.writes is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no writes.")
        return self.writes

    def has_delete_permission(self, request, obj=None):
        return self.get_writes().delete is not None and super().has_delete_permission(request, obj)


class VersionedAdmin(WritesThroughActions, admin.ModelAdmin):
    """A change form that refuses to save over a change someone made after it was opened
    (pcn_portal.core.versions), saving and deleting through the app's actions."""

    form = VersionedModelForm

    def save_model(self, request, obj, form, change):
        self.get_writes().save(record=obj, by=request.user)

    def delete_model(self, request, obj):
        self.get_writes().delete(record=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        delete = self.get_writes().delete
        with writing(request.user):
            for record in queryset:
                delete(record=record, by=request.user)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.writes = inline.writes
            yield formset, inline

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        changed = [*formset.new_objects, *(record for record, _ in formset.changed_objects)]
        if not (changed or formset.deleted_objects):
            return
        writes = formset.writes
        if writes is None:
            raise ImproperlyConfigured(f"The {formset.model.__name__} inline declares no writes.")
        for record in formset.deleted_objects:
            writes.delete(record=record, by=request.user)
        for record in changed:
            writes.save(record=record, by=request.user)
        formset.save_m2m()


class Inline(WritesThroughActions):
    """An inline whose rows are saved and deleted through `writes` (see VersionedAdmin);
    with no `writes` its rows are shown, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return self.writes is not None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.writes is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.writes is not None and super().has_delete_permission(request, obj)


class ReferenceDataAdmin(VersionedAdmin):
    """National reference data: corrected in place, never deleted by accident. Rows that
    cite public documents are read with them (their model's `with_sources`), so a list of
    rows spends no query per row on its sources column."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        with_sources = getattr(queryset.model, "with_sources", None)
        return with_sources(queryset) if with_sources else queryset

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


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that shows its selected record from `known` (records the page has
    already read) instead of asking the database for it: one query per row otherwise."""

    def __init__(self, *args, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = {} if known is None else known  # shared by the copies in every row

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            obj = self.known[pk]
            label = self.choices.field.label_from_instance(obj)
            default[1].append(self.create_option(name, obj.pk, label, selected, len(default[1])))
        return [default]


class LoadedInline:
    """An inline whose rows read the records they show with them (`row_select_related`),
    so a change page costs the same few queries for 3 rows or 300: each row's name, and
    the selected record of each autocomplete field, come from that one query.

    Rendering a form row takes milliseconds, so a record with hundreds of rows (a claim's
    lines) shows its first `rows_shown` in the inline's order and links to the rest in
    their own list, paginated and filtered to the record."""

    row_select_related = ()
    rows_shown = None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.row_select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        rows_shown = self.rows_shown if obj is not None else None
        if rows_shown:
            self.say_rows_not_shown(request, obj, formset)
        widgets = {}
        for name, field in formset.form.base_fields.items():
            widget = field.widget
            if isinstance(widget, RelatedFieldWidgetWrapper):
                # A row names an existing record: no add, change, delete or view icons on
                # every row (each costs URL lookups to draw).
                widget.can_add_related = widget.can_change_related = False
                widget.can_delete_related = widget.can_view_related = False
                widget = widget.widget
            if isinstance(widget, LoadedAutocompleteSelect):
                widgets[name] = widget

        class LoadedFormSet(formset):
            def get_queryset(self):
                if not hasattr(self, "_queryset"):
                    rows = super().get_queryset()
                    self._queryset = rows[:rows_shown] if rows_shown else rows
                return self._queryset

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for row in self.get_queryset():
                    for name, widget in widgets.items():
                        related = getattr(row, name)
                        if related is not None:
                            widget.known[str(related.pk)] = related

        return LoadedFormSet

    def say_rows_not_shown(self, request, obj, formset):
        told = request.__dict__.setdefault("_rows_not_shown", set())
        if self.model in told or request.method != "GET":
            return
        told.add(self.model)
        fk = formset.fk
        total = self.get_queryset(request).filter(**{fk.name: obj}).count()
        if total <= self.rows_shown:
            return
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        messages.info(
            request,
            format_html(
                'The {} shows the first {} of its {} {}: <a href="{}?{}">all of them</a>.',
                obj._meta.verbose_name,
                self.rows_shown,
                f"{total:,}",
                opts.verbose_name_plural,
                url,
                f"{fk.name}__id__exact={obj.pk}",
            ),
        )


class EstimatedCountPaginator(Paginator):
    """Counting a million rows takes a fifth of a second on every page of a list; with no
    filter applied, a table larger than ESTIMATE_ABOVE is counted by PostgreSQL's own
    estimate (pg_class.reltuples, kept by ANALYZE), and the list says "about"."""

    ESTIMATE_ABOVE = 100_000
    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > self.ESTIMATE_ABOVE:
                self.estimated = True
                return row[0]
        return super().count


class LargeTableAdmin(VersionedAdmin):
    """A list over hundreds of thousands of rows: estimated when unfiltered, newest first
    by id (the primary key's index, instead of sorting every row by a related name)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    ordering = ["-pk"]


def year_filter(field, title):
    """A filter by year of a date, its choices from the first and last dates (an index
    gives both at once), where listing every distinct date would read every row."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_year"

        def lookups(self, request, model_admin):
            bounds = model_admin.model.objects.aggregate(first=Min(field), last=Max(field))
            if bounds["first"] is None:
                return []
            years = range(bounds["last"].year, bounds["first"].year - 1, -1)
            return [(str(year), str(year)) for year in years]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            try:
                year = int(self.value())
            except ValueError:
                raise IncorrectLookupParameters(f"Not a year: {self.value()}") from None
            return queryset.filter(**{f"{field}__year": year})

    YearFilter.title = title
    return YearFilter
