"""/api/v1/: each app contributes its routes to one router."""

from django.urls import include, path

from powerlist.api_urls import urlpatterns as powerlist_api
from powerlist.notifications.api import urlpatterns as notifications_api
from riskpoints.api.urls import urlpatterns as riskpoints_api
from supervision.api_urls import urlpatterns as supervision_api

app_name = "api"

urlpatterns = [
    path("", include(powerlist_api)),
    path("", include(riskpoints_api)),
    path("", include(notifications_api)),
    path("", include(supervision_api)),
]
