"""A network's people and governance, under /networks/<ODS code>/."""

from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("clinical-directors/", views.director_list, name="director_list"),
    path("clinical-directors/add/", views.director_add, name="director_add"),
    path("clinical-directors/<int:director>/", views.director_edit, name="director_edit"),
    path("clinical-directors/<int:director>/end/", views.director_end, name="director_end"),
    path("team/", views.team_list, name="team_list"),
    path("team/add/", views.team_add, name="team_add"),
    path("team/<int:member>/", views.team_edit, name="team_edit"),
    path("team/<int:member>/end/", views.team_end, name="team_end"),
    path("governance/", views.governance, name="governance"),
    path("governance/agreement/<int:year>/", views.agreement_edit, name="agreement_edit"),
    path("governance/payee/", views.payee_edit, name="payee_edit"),
    path("governance/footprint/", views.footprint_edit, name="footprint_edit"),
    path("partners/", views.collaboration_list, name="collaboration_list"),
    path("partners/add/", views.collaboration_add, name="collaboration_add"),
    path("partners/<int:collaboration>/", views.collaboration_edit, name="collaboration_edit"),
    path("partners/organisations/<int:partner>/", views.partner_edit, name="partner_edit"),
]
