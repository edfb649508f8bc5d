"""Commissioner pages: /areas/<ODS code>/ for a Sub-ICB location, ICB or region, and
/areas/england/ for national staff, with one table page per section."""

from django.urls import path

from pcn_portal import area_views

urlpatterns = [
    path("<str:code>/", area_views.area_detail, name="area_detail"),
    *(
        path(
            f"<str:code>/{slug}/",
            area_views.area_section(slug),
            name=f"area_{slug.replace('-', '_')}",
        )
        for slug in area_views.SECTIONS
    ),
]
