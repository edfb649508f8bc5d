"""The networks a user may see, and each network's overview.

These pages gather records of every app (members and list sizes, people, agreements), so
they belong to the site layer. They enter through the user's scope: the list through
PrimaryCareNetwork.objects.for_user, the overview through the load_pcn loader.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import render

from networks.loaders import load_pcn
from networks.models import (
    IntegratedCareBoard,
    NetworkAgreementStatus,
    PrimaryCareNetwork,
    Region,
    SubICBLocation,
    TeamRole,
)
from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from practices.calculations import (
    Footprint,
    footprint,
    has_member_today,
    latest_list_size,
    with_population,
)

PAGE_SIZE = 50


class NetworkFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="A network's ODS code or name, or a member practice's ODS code",
    )
    region = forms.ModelChoiceField(
        Region.objects.none(), required=False, to_field_name="code", empty_label="All regions"
    )
    icb = forms.ModelChoiceField(
        IntegratedCareBoard.objects.none(),
        required=False,
        to_field_name="code",
        label="ICB",
        empty_label="All ICBs",
    )
    sub_icb = forms.ModelChoiceField(
        SubICBLocation.objects.none(),
        required=False,
        to_field_name="code",
        label="Sub-ICB location (formerly CCG)",
        empty_label="All Sub-ICB locations",
    )
    status = forms.ChoiceField(
        choices=[("open", "Open today"), ("closed", "Closed"), ("all", "Open or closed")],
        required=False,
        label="Open or closed",
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["region"].queryset = Region.objects.for_user(user).order_by("name")
        self.fields["icb"].queryset = IntegratedCareBoard.objects.for_user(user).order_by("name")
        self.fields["sub_icb"].queryset = SubICBLocation.objects.for_user(user).order_by("name")
        for name in ("region", "icb", "sub_icb"):
            self.fields[name].label_from_instance = lambda o: o.display_name

    def filter(self, networks):
        if not self.is_valid():
            return networks.filter(close_date__isnull=True)
        data = self.cleaned_data
        if q := data["q"].strip():
            networks = networks.filter(
                Q(code__iexact=q) | Q(name__icontains=q) | has_member_today(q.upper())
            )
        if data["region"]:
            networks = networks.filter(lead_commissioner__icb__region=data["region"])
        if data["icb"]:
            networks = networks.filter(lead_commissioner__icb=data["icb"])
        if data["sub_icb"]:
            networks = networks.filter(lead_commissioner=data["sub_icb"])
        status = data["status"] or "open"
        if status == "open":
            networks = networks.open()
        elif status == "closed":
            networks = networks.closed()
        return networks

    @property
    def is_filtered(self):
        return self.is_valid() and any(
            self.cleaned_data[name] for name in ("q", "region", "icb", "sub_icb")
        )


def network_list(request):
    """Every network the user may see, with its commissioner and population today."""
    form = NetworkFilterForm(request.GET or None, user=request.user)
    visible = PrimaryCareNetwork.objects.for_user(request.user)
    networks = form.filter(visible).select_related("lead_commissioner__icb__region")
    networks = with_population(networks, today()).order_by("code")
    page = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
    for pcn in page:
        pcn.footprint = footprint(pcn.population)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "networks/network_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "sees_none": not visible.exists(),
        },
    )


class AsOfForm(forms.Form):
    on = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


@load_pcn
def network_detail(request, pcn):
    """A network's overview, as of a date (`?on=2023-04-01`; default today)."""
    as_of = AsOfForm(request.GET)
    on = (as_of.cleaned_data.get("on") if as_of.is_valid() else None) or today()
    members = list(
        pcn.memberships.current(on)
        .select_related("practice")
        .annotate(list_size=latest_list_size(on))
        .order_by("practice__code")
    )
    sizes = [m.list_size for m in members if m.list_size is not None]
    population = sum(sizes) if sizes else None
    flag = footprint(population)
    directors = list(pcn.clinical_directors.current(on).select_related("practice"))
    managers = list(pcn.team.current(on).filter(role=TeamRole.NETWORK_MANAGER))
    year = financial_year_of(on)
    agreement = (
        pcn.agreements.filter(financial_year=year).prefetch_related(Prefetch("schedules")).first()
    )
    warnings = []
    if pcn.is_open_on(on):
        if not directors:
            warnings.append("The network has no clinical director.")
        if flag in (Footprint.BELOW, Footprint.ABOVE):
            warnings.append(
                f"The registered population ({population:,}) is outside 30,000 to 50,000: "
                "allowed only with the commissioner's approval."
            )
        if agreement is None or agreement.signed_on is None:
            warnings.append(
                f"The Network Agreement for {financial_year_label(year)} is not recorded as signed."
            )
    return render(
        request,
        "networks/network_detail.html",
        {
            "pcn": pcn,
            "on": on,
            "is_today": on == today(),
            "as_of_invalid": bool(request.GET.get("on")) and not as_of.is_valid(),
            "members": members,
            "population": population,
            "footprint": flag,
            "directors": directors,
            "managers": managers,
            "year_label": financial_year_label(year),
            "agreement": agreement,
            "agreement_status": agreement_status(agreement),
            "warnings": warnings,
            "can_edit": request.can_edit,
        },
    )


def agreement_status(agreement):
    if agreement is None:
        return "Not recorded"
    if agreement.signed_on:
        return f"Signed on {agreement.signed_on.day} {agreement.signed_on:%B %Y}"
    statuses = {s.status for s in agreement.schedules.all()}
    if statuses and statuses <= {NetworkAgreementStatus.AGREED, NetworkAgreementStatus.SIGNED}:
        return "Agreed, not yet signed"
    return "In progress" if statuses - {NetworkAgreementStatus.NOT_STARTED} else "Not started"
