"""A network's member practices, under /networks/<ODS code>/practices/."""

from django.urls import path

from practices import views

app_name = "practices"

urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("history/", views.membership_history, name="membership_history"),
    path("join/", views.member_join, name="member_join"),
    path("<str:practice>/", views.practice_detail, name="practice_detail"),
    path("<str:practice>/leave/", views.member_leave, name="member_leave"),
]
