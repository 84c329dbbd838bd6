"""/api/v1/ routes of the powerlist app (config/api_urls.py joins every app's)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from powerlist.catalogue.api import views
from powerlist.flowcharts import api as flowcharts
from powerlist.org.api import MeView
from powerlist.posts import api as posts
from powerlist.review.api import FlowActionView, FlowItemView

router = SimpleRouter()
router.register("powers", views.PowerViewSet, basename="power")
router.register("flowcharts", flowcharts.FlowchartViewSet, basename="flowchart")
router.register("posts", posts.PostViewSet, basename="post")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("review-queue/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("flow/<str:label>/<int:pk>/", FlowItemView.as_view(), name="flow-item"),
    path("flow/<str:label>/<int:pk>/<str:action>/", FlowActionView.as_view(), name="flow-action"),
    *router.urls,
]
