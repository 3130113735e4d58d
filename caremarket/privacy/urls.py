from django.urls import path

from . import views

urlpatterns = [
    path("data-protection/", views.overview, name="data-protection"),
    path("data-protection/retention/<str:kind>/", views.change_rule, name="retention-rule"),
    path("data-protection/dry-run/", views.dry_run, name="retention-dry-run"),
    path("data-protection/find/", views.find, name="subject-access-find"),
    path("data-protection/holds/<id:pk>/lift/", views.lift_hold, name="legal-hold-lift"),
    path("data-protection/carer/<id:pk>/erase/", views.erase, name="carer-erase"),
    path("data-protection/<str:whom>/<id:pk>/", views.person, name="data-protection-person"),
    path("data-protection/<str:whom>/<id:pk>/hold/", views.place_hold, name="legal-hold-place"),
    path("data-protection/<str:whom>/<id:pk>/subject-access.json", views.export_json, name="subject-access-json"),
    path("data-protection/<str:whom>/<id:pk>/subject-access.pdf", views.export_pdf, name="subject-access-pdf"),
]
