"""A read-only JSON API of the public directory's data (pcn_portal.directory.public): no login,
GET and HEAD only, cacheable like the directory pages when anonymous.

    GET /api/v1/                                    what the API offers
    GET /api/v1/networks/?q=&region=&icb=&sub_icb=&page=
    GET /api/v1/networks/<code>/

Every answer is JSON, errors included: 400 for a filter or page that is not one, 404 for
a network or address the API does not have, 405 for any method but GET and HEAD. Errors
are never kept by a shared cache.
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from pcn_portal.directory import public
from pcn_portal.directory.views import DirectoryFilter, cache_for_the_public, published

PAGE_SIZE = 100
SAFE_METHODS = ("GET", "HEAD")


def api_view(view):
    """A view of the API: published data; any other method than GET or HEAD is refused in
    JSON (no CSRF page: the API takes no form)."""
    page = published(view)

    @csrf_exempt
    @login_not_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            response = JsonResponse(
                {"error": f"The API is read-only: it answers GET and HEAD, not {request.method}."},
                status=405,
            )
            response["Allow"] = ", ".join(SAFE_METHODS)
            return cache_for_the_public(request, response)
        return page(request, *args, **kwargs)

    return wrapper


def page_url(request, number):
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def page_number(value, pages):
    """The page asked for (1 when not given), or None when it is not a page there is."""
    if value in (None, ""):
        return 1
    if not value.isdigit() or not 1 <= int(value) <= pages:
        return None
    return int(value)


@api_view
def index(request):
    """What the API offers, with links."""
    return JsonResponse(
        {
            "networks": request.build_absolute_uri(reverse("api:networks")),
            "documentation": request.build_absolute_uri(reverse("directory:api")),
        }
    )


@api_view
def networks(request):
    """Every open network, in pages of 100, ordered by ODS code, with the directory's
    search and filters."""
    filters = DirectoryFilter(request.GET or None, queryset=public.networks(), request=request)
    if filters.is_bound and not filters.is_valid():
        return JsonResponse({"errors": filters.errors.get_json_data()}, status=400)
    paginator = Paginator(filters.qs.order_by("code"), PAGE_SIZE)
    number = page_number(request.GET.get("page"), paginator.num_pages)
    if number is None:
        message = (
            f"Enter a whole number of a page from 1 to {paginator.num_pages}: "
            f"{paginator.count:,} networks match, {PAGE_SIZE} a page."
        )
        return JsonResponse({"errors": {"page": [{"message": message}]}}, status=400)
    page = paginator.page(number)
    results = []
    patients_at = request.patients_at
    for pcn in page.object_list:
        data = public.network_data(pcn, patients_at)
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


@api_view
def network(request, code):
    """One open network with its member practices today."""
    pcn = public.network(code)
    if pcn is None:
        return JsonResponse({"error": f"No open network has the ODS code {code!r}."}, status=404)
    data = public.network_data(pcn, request.patients_at)
    data["practices"] = [public.practice_data(p) for p in public.members(pcn)]
    return JsonResponse(data)


@api_view
def not_found(request, path=""):
    """Any other address under the API: a 404 in JSON, naming what there is."""
    return JsonResponse(
        {
            "error": f"The API has no address {request.path}.",
            "documentation": request.build_absolute_uri(reverse("directory:api")),
        },
        status=404,
    )
