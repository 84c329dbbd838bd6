from django.urls import path

from supervision.complaints import views_public as views

app_name = "complaints"

urlpatterns = [
    path("new/", views.complaint_new_view, name="new"),
    path("track/", views.complaint_track_view, name="track"),
    path("track/end/", views.complaint_track_end_view, name="track_end"),
    path("status/", views.complaint_status_view, name="status"),
    path("status/<str:action>/", views.complaint_status_action_view, name="status_action"),
]
