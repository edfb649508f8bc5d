"""The services pages of a network, under /networks/<ODS code>/services/."""

from django.urls import path

from services.views import care_homes, evidence, priorities, specifications

REQUIREMENT = "<int:year>/<slug:spec>/requirements/<str:requirement>/"

app_name = "services"

urlpatterns = [
    path("", specifications.services_year, name="year"),
    path(
        "<int:year>/<slug:spec>/",
        specifications.specification_detail,
        name="specification",
    ),
    path(
        "<int:year>/<slug:spec>/delivery/",
        specifications.delivery_edit,
        name="delivery_edit",
    ),
    path(REQUIREMENT, specifications.requirement_edit, name="requirement_edit"),
    path(REQUIREMENT + "evidence/", specifications.evidence_add, name="evidence_add"),
    path("evidence/<int:evidence>/", evidence.evidence_file, name="evidence_file"),
    path(
        "evidence/<int:evidence>/remove/",
        evidence.evidence_remove,
        name="evidence_remove",
    ),
    path("care-homes/", care_homes.care_home_list, name="care_homes"),
    path("care-homes/add/", care_homes.care_home_add, name="care_home_add"),
    path("care-homes/<str:cqc>/", care_homes.care_home_detail, name="care_home"),
    path("care-homes/<str:cqc>/edit/", care_homes.care_home_edit, name="care_home_edit"),
    path("care-homes/<str:cqc>/beds/", care_homes.care_home_beds, name="care_home_beds"),
    path("care-homes/<str:cqc>/end/", care_homes.care_home_end, name="care_home_end"),
    path("priorities/", priorities.priority_list, name="priorities"),
    path("priorities/add/", priorities.priority_add, name="priority_add"),
    path("priorities/<int:priority>/", priorities.priority_edit, name="priority_edit"),
]
