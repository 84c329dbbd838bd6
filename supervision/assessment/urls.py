"""Included by supervision/urls.py under assessment/ (same "supervision" namespace)."""

from django.urls import path

from supervision.assessment import views

urlpatterns = [
    path("", views.assessment_view, name="assessment"),
    path("compute/", views.assessment_compute_view, name="assessment_compute"),
    path("export/<str:fmt>/", views.assessment_export_view, name="assessment_export"),
    path("weights/", views.assessment_weights_view, name="assessment_weights"),
    path("departments/<int:pk>/", views.assessment_department_view, name="assessment_department"),
    path("public/<str:region_code>/", views.assessment_public_view, name="assessment_public"),
]
