"""ARRS pages of a network, under /networks/<ODS code>/workforce/: the staff register, the
monthly claims and the budget position, where the year is the calendar year the financial
year starts in (2025 for 2025/26). The approval queue of a commissioner's area is under
/areas/ (pcn_portal.areas.urls)."""

from django.urls import path

from workforce.views import budget, claims, posts, whatif

app_name = "workforce"

urlpatterns = [
    path("posts/", posts.post_list, name="post_list"),
    path("posts/add/", posts.post_add, name="post_add"),
    path("posts/<int:post_id>/", posts.post_edit, name="post_edit"),
    path("posts/<int:post_id>/end/", posts.post_end, name="post_end"),
    path("claims/", claims.claim_list, name="claim_list"),
    path("claims/start/", claims.claim_start, name="claim_start"),
    path("claims/<str:month>/", claims.claim_detail, name="claim_detail"),
    path(
        "claims/<str:month>/lines/<int:post_id>/",
        claims.claim_line_edit,
        name="claim_line_edit",
    ),
    path("claims/<str:month>/add-lines/", claims.claim_add_lines, name="claim_add_lines"),
    path("claims/<str:month>/adjust/", claims.claim_adjust, name="claim_adjust"),
    path("claims/<str:month>/submit/", claims.claim_submit, name="claim_submit"),
    path("claims/<str:month>/held-lines/", claims.claim_held_work_out, name="claim_held_work_out"),
    path("claims/<str:month>/decide/", claims.claim_decide, name="claim_decide"),
    path("budget/", budget.budget_current, name="budget_current"),
    path("budget/<int:year>/", budget.budget_detail, name="budget_detail"),
    path(
        "budget/<int:year>/weighted-population/",
        budget.weighted_population_edit,
        name="weighted_population_edit",
    ),
    path("budget/<int:year>/what-if/", whatif.whatif_page, name="whatif"),
]
