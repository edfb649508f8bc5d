"""ARRS pages: under each network (/networks/<ODS code>/workforce/…), and the approval
queue under the commissioner's area (/areas/<area code>/claims/)."""

from django.urls import path

from workforce.views import claims, posts

NETWORK = "networks/<str:code>/workforce/"

urlpatterns = [
    path(f"{NETWORK}posts/", posts.post_list, name="post_list"),
    path(f"{NETWORK}posts/add/", posts.post_add, name="post_add"),
    path(f"{NETWORK}posts/<int:post_id>/", posts.post_edit, name="post_edit"),
    path(f"{NETWORK}posts/<int:post_id>/end/", posts.post_end, name="post_end"),
    path(f"{NETWORK}claims/", claims.claim_list, name="claim_list"),
    path(f"{NETWORK}claims/start/", claims.claim_start, name="claim_start"),
    path(f"{NETWORK}claims/<str:month>/", claims.claim_detail, name="claim_detail"),
    path(
        f"{NETWORK}claims/<str:month>/lines/<int:post_id>/",
        claims.claim_line_edit,
        name="claim_line_edit",
    ),
    path(f"{NETWORK}claims/<str:month>/add-lines/", claims.claim_add_lines, name="claim_add_lines"),
    path(f"{NETWORK}claims/<str:month>/submit/", claims.claim_submit, name="claim_submit"),
    path(f"{NETWORK}claims/<str:month>/decide/", claims.claim_decide, name="claim_decide"),
    path("areas/<str:code>/claims/", claims.claim_queue, name="claim_queue"),
]
