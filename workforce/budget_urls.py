"""The ARRS budget pages, under a network: /networks/<code>/workforce/budget/<year>/, where
the year is the calendar year the financial year starts in (2025 for 2025/26)."""

from django.urls import path

from workforce import budget_views

urlpatterns = [
    path("", budget_views.budget_current, name="budget_current"),
    path("<int:year>/", budget_views.budget_detail, name="budget_detail"),
    path(
        "<int:year>/weighted-population/",
        budget_views.weighted_population_edit,
        name="weighted_population_edit",
    ),
]
