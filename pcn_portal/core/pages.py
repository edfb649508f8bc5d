"""Pages of a list, and links that keep the page's query string.

`Pagination(request, queryset, per_page)` cuts a queryset into pages with Django's
Paginator and gives what the NHS.UK pagination component shows: previous and next links
and the numbered pages around the current one, each link keeping the filters and sort
in the query string. A page number past the end gives the last page and one that is not
a number the first (`Paginator.get_page`): a link kept from before the rows changed still
lands on rows, never on an error.
"""

from django.core.paginator import Paginator


def query_string(request, **changes):
    """The request's query string with `changes` applied (None removes a parameter), as a
    relative link: "?name=north&sort=-code"; "?" alone when nothing is left."""
    params = request.GET.copy()
    for name in list(params):
        # An empty filter asks for nothing: the links are shorter without it.
        if not any(params.getlist(name)):
            del params[name]
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return "?" + params.urlencode()


class PageLink:
    def __init__(self, number, href, *, current=False):
        self.number = number
        self.href = href
        self.current = current
        self.ellipsis = number is None


class Pagination:
    """One page of `queryset` from `?page=N`, and the links to the others."""

    def __init__(self, request, queryset, per_page, *, on_each_side=2, on_ends=1):
        self.request = request
        self.paginator = Paginator(queryset, per_page)
        self.page = self.paginator.get_page(request.GET.get("page"))
        self.on_each_side = on_each_side
        self.on_ends = on_ends

    def href(self, number):
        return query_string(self.request, page=None if number == 1 else number)

    @property
    def count(self):
        return self.paginator.count

    @property
    def count_text(self):
        return f"{self.count:,}"

    @property
    def has_pages(self):
        return self.paginator.num_pages > 1

    @property
    def previous_url(self):
        page = self.page
        return self.href(page.previous_page_number()) if page.has_previous() else None

    @property
    def next_url(self):
        page = self.page
        return self.href(page.next_page_number()) if page.has_next() else None

    @property
    def items(self):
        links = []
        for number in self.paginator.get_elided_page_range(
            self.page.number, on_each_side=self.on_each_side, on_ends=self.on_ends
        ):
            if not isinstance(number, int):  # Paginator.ELLIPSIS
                links.append(PageLink(None, None))
            else:
                links.append(
                    PageLink(number, self.href(number), current=number == self.page.number)
                )
        return links

    @property
    def summary(self):
        """ "Showing 51 to 100 of 1,234", or None when everything fits one page."""
        if not self.has_pages:
            return None
        page = self.page
        return f"Showing {page.start_index():,} to {page.end_index():,} of {self.count:,}"
