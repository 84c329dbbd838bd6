from django.urls import path

from supervision.api import EventIntakeView

urlpatterns = [
    path("supervision/events/", EventIntakeView.as_view(), name="supervision_events"),
]
