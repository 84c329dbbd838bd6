"""Included by supervision/urls.py under inspections/ (same "supervision" namespace)."""

from django.urls import path

from supervision.inspections import views

urlpatterns = [
    path("", views.inspection_list_view, name="inspection_list"),
    path("new/", views.inspection_create_view, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail_view, name="inspection_detail"),
    path("findings/<int:pk>/rectification/", views.rectification_create_view, name="rectification_create"),
    path("findings/<int:pk>/accountability/", views.accountability_create_view, name="accountability_create"),
    path("rectifications/", views.rectification_list_view, name="rectification_list"),
    path("rectifications/<int:pk>/", views.rectification_detail_view, name="rectification_detail"),
    path("accountability/", views.accountability_list_view, name="accountability_list"),
    path("riskpoints-fired/", views.coverage_view, name="riskpoint_coverage"),
]
