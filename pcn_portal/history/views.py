"""A network's history page: the changes pcn_portal.history.network reads, filtered by kind of
record, by who made them and by date, paginated, and downloadable."""

from django import forms

from networks.loaders import load_pcn
from networks.pages import render_network
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.forms_nhsuk import DateInputField
from pcn_portal.core.tables import Column, Table, breakable
from pcn_portal.history.network import (
    BY_KEY,
    SOURCES,
    event_keys,
    keys_with_total,
    people_who_changed,
    resolve,
)


class HistoryFilterForm(NHSMessagesMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of record",
        required=False,
        choices=[("", "Every kind of record")] + [(s.key, s.label) for s in SOURCES],
    )
    who = forms.TypedChoiceField(label="Changed by", required=False, coerce=int, empty_value=None)
    since = DateInputField(label="Changed on or after", required=False)
    until = DateInputField(label="Changed on or before", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", "Anyone")] + [(str(i), n) for i, n in people]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day must be on or after the first day")
        return cleaned


class PagedKeys:
    """The keys of the changes as the table's paginator reads them: the count it asks
    first is read with the page it then asks for, in one query; a download reads them
    all."""

    ordered = True

    def __init__(self, keys, *, page, per_page):
        self.keys, self.per_page = keys, per_page
        self.offset = (page - 1) * per_page
        self.total, self.rows = None, None

    def count(self):
        if self.total is None:
            self.rows, self.total, self.offset = keys_with_total(
                self.keys, self.offset, self.per_page
            )
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice) and self.rows is not None and index.start == self.offset:
            return self.rows[: index.stop - index.start]
        return list(self.keys[index])

    def __iter__(self):
        return iter(self.keys)

    def __len__(self):
        return self.count()


def requested_page(request):
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


class HistoryTable(Table):
    when = Column("When")
    kind = Column("Kind of record")
    record = Column("Record")
    action = Column("Change")
    changes = Column("What changed", "changes_text", format=breakable)
    by = Column("By", format=breakable)

    caption = "Changes, newest first"
    per_page = 50
    filename = "network-history"
    empty_message = "No change matches these filters."

    @property
    def rows(self):
        keys = [(k, pk) for k, _, pk in self.pagination.page.object_list]
        return [self.cells(entry) for entry in resolve(keys)]

    def plain_rows(self):
        columns = self.download_columns
        keys = [(k, pk) for k, _, pk in self.queryset]
        for start in range(0, len(keys), 500):
            for entry in resolve(keys[start : start + 500]):
                yield [column.plain(entry) for column in columns]


@load_pcn
def network_history(request, pcn):
    form = HistoryFilterForm(request.GET or None, people=people_who_changed(pcn))
    filters = form.cleaned_data if form.is_valid() else {}
    sources = [BY_KEY[filters["kind"]]] if filters.get("kind") else SOURCES
    keys = event_keys(
        pcn, sources, who=filters.get("who"), since=filters.get("since"), until=filters.get("until")
    )
    if form.is_bound and not form.is_valid():
        keys = keys.none() if hasattr(keys, "none") else keys
    table = HistoryTable(
        request, PagedKeys(keys, page=requested_page(request), per_page=HistoryTable.per_page)
    )
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "history/network_history.html",
        {"heading": "History", "table": table, "filter_form": form},
        section="history",
    )
