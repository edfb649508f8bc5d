"""A read-only JSON API of the public directory's data (pcn_portal.directory.public): no login,
GET only, cacheable like the directory pages.

    GET /api/v1/networks/?q=&region=&icb=&sub_icb=&page=
    GET /api/v1/networks/<code>/
"""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import reverse

from pcn_portal.directory import public
from pcn_portal.directory.views import DirectoryFilter, published

PAGE_SIZE = 100


def page_url(request, number):
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@published
def networks(request):
    """Every open network, in pages of 100, ordered by ODS code, with the directory's
    search and filters."""
    filters = DirectoryFilter(request.GET or None, queryset=public.networks(), request=request)
    if filters.is_bound and not filters.is_valid():
        return JsonResponse({"errors": filters.errors.get_json_data()}, status=400)
    paginator = Paginator(filters.qs.order_by("code"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    results = []
    for pcn in page.object_list:
        data = public.network_data(pcn)
        data["url"] = request.build_absolute_uri(reverse("api:network", args=[pcn.code]))
        results.append(data)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "results": results,
        }
    )


@published
def network(request, code):
    """One open network with its member practices today."""
    pcn = public.network(code)
    if pcn is None:
        return JsonResponse({"error": f"No open network has the ODS code {code!r}."}, status=404)
    data = public.network_data(pcn)
    data["practices"] = [public.practice_data(p) for p in public.members(pcn)]
    return JsonResponse(data)
