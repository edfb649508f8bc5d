"""An area's exceptions page, /areas/<code>/exceptions/: every exception of the area as of
a date in one table (pcn_portal.areas.exceptions), filtered by kind, sorted, and
downloaded like the area's sections."""

import datetime

import django_filters
from django.shortcuts import render

from pcn_portal.areas import exceptions, figures
from pcn_portal.areas.tables import AsOfFilter
from pcn_portal.areas.views import (
    as_of,
    breadcrumbs,
    download_about,
    load_area_or_england,
    page_context,
)
from pcn_portal.core.tables import Column, Rows, RowsTable, Table


class ExceptionRows(Rows):
    """The rows as the filters read them: a list, filtered in Python."""

    model = None

    def all(self):
        return self

    def none(self):
        """No rows: what a table shows when its filters are not valid."""
        return ExceptionRows()


class ExceptionFilter(AsOfFilter):
    show = django_filters.ChoiceFilter(
        label="Kind of exception",
        choices=list(exceptions.KINDS.items()),
        empty_label="Every kind",
        method="keep",
    )

    class Meta:
        model = None
        fields = []

    def filter_queryset(self, rows):
        kind = self.form.cleaned_data.get("show")
        return ExceptionRows(r for r in rows if r.kind == kind) if kind else rows


# The keys each sortable column sorts the rows by (rows without a date last).
SORTS = {
    "kind": lambda r: list(exceptions.KINDS).index(r.kind),
    "code": lambda r: r.code,
    "since": lambda r: (r.since is None, r.since or datetime.date.min),
}


class ExceptionTable(RowsTable):
    kind = Column("Exception", "kind_label", sort=True)
    code = Column("ODS code", sort=True, link=lambda r: r.code_href)
    name = Column("Network or practice")
    sub_icb = Column("Sub-ICB location (formerly CCG)")
    detail = Column("What")
    since = Column("Since", sort=True)
    since_what = Column("Since: what that day is")
    fix = Column("Put it right on", "fix_text", link=lambda r: r.fix_href, download=False)

    caption = "Exceptions"
    compact = True  # eight columns of short text side by side
    default_sort = "since"
    per_page = 50
    filename = "exceptions"
    filterset_class = ExceptionFilter
    empty_message = "No exception in the area matches these filters: nothing needs attention."

    def __init__(self, request, rows, **options):
        # A Table's own start (RowsTable's makes plain Rows, which the filters cannot read).
        Table.__init__(self, request, ExceptionRows(rows), **options)

    def _sorted(self, rows):
        if self.sort_key not in SORTS:
            return rows
        # Python's sort keeps the order of equal rows (oldest first, then by code).
        return ExceptionRows(
            sorted(rows, key=lambda r: SORTS[self.sort_key](r), reverse=self.descending)
        )


@load_area_or_england
def area_exceptions(request, area):
    """The area's exceptions as of a date, each saying since when and where it is put
    right."""
    on, invalid, _ = as_of(request)
    context = page_context(request, area, on, invalid)
    rows = exceptions.area_exceptions(request.user, area, on, context["on_query"])
    table = ExceptionTable(
        request,
        ExceptionRows(rows),
        off_screen=("sub_icb",) if isinstance(area, figures.SubICBLocation) else (),
        about=download_about(area, on, year=True),
    )
    if download := table.download():
        return download
    context.update(
        {
            "table": table,
            "breadcrumbs": breadcrumbs(request, area, current=True),
            "waiting_days": exceptions.waiting_days(),
        }
    )
    return render(request, "areas/area_exceptions.html", context)
