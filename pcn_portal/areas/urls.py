"""Commissioner pages: /areas/<ODS code>/ for a Sub-ICB location, ICB or region, and
/areas/england/ for national staff, with one table page per section, and the area's queue
of ARRS claims to approve (its page is workforce's: workforce.views.claims), its exceptions
and the commissioner's notes on each of its networks."""

from django.urls import path

from pcn_portal.areas import exception_views, note_views, views

app_name = "areas"

urlpatterns = [
    path("<str:code>/", views.area_detail, name="detail"),
    path("<str:code>/claims/", views.claim_queue, name="claim_queue"),
    path("<str:code>/claims/approve/", views.claim_queue_approve, name="claim_queue_approve"),
    path("<str:code>/exceptions/", exception_views.area_exceptions, name="exceptions"),
    path(
        "<str:code>/networks/<str:network>/notes/",
        note_views.network_notes,
        name="network_notes",
    ),
    path("<str:code>/board-pack/", views.board_pack, name="board_pack"),
    *(
        path(f"<str:code>/{slug}/", views.area_section(slug), name=slug.replace("-", "_"))
        for slug in views.SECTIONS
    ),
]
