"""A page with a table over networks, for the tests of pcn_portal.core.tables only."""

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from networks.models import PrimaryCareNetwork
from pcn_portal.core.tables import Column, Table


class NetworkFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains")
    opened_after = django_filters.DateFilter(
        field_name="open_date", lookup_expr="gte", label="Opened on or after (YYYY-MM-DD)"
    )

    class Meta:
        model = PrimaryCareNetwork
        fields = ["name", "opened_after"]


class NetworkTable(Table):
    name = Column("Name", sort="name", link=lambda pcn: f"/networks/{pcn.code}/")
    code = Column("ODS code", sort="code")
    commissioner = Column("Lead commissioner", "lead_commissioner.name")
    opened = Column("Opened", "open_date", sort="open_date")
    footprint_notes = Column("Notes", screen=False)

    caption = "Primary care networks"
    default_sort = "name"
    per_page = 5
    filename = "networks"
    filterset_class = NetworkFilter
    empty_message = "No networks match these filters."


PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
    {% block content %}
    <h1>Networks</h1>
    {% include "_components/filter_form.html" with table=table %}
    {% include "_components/table.html" with table=table %}
    {% endblock %}"""
)


@login_not_required
def network_list(request):
    networks = PrimaryCareNetwork.objects.select_related("lead_commissioner")
    table = NetworkTable(request, networks)
    if download := table.download():
        return download
    return HttpResponse(PAGE.render({"table": table}, request))


# The site's own URLs too: the page's header and footer link to them.
urlpatterns = [
    path("test/networks/", network_list, name="test-network-list"),
    path("", include("pcn_portal.urls")),
]
