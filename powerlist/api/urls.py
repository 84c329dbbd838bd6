from django.urls import path
from rest_framework.routers import SimpleRouter

from powerlist.api import flowcharts, views

router = SimpleRouter()
router.register("powers", views.PowerViewSet, basename="power")
router.register("flowcharts", flowcharts.FlowchartViewSet, basename="flowchart")
router.register("posts", flowcharts.PostViewSet, basename="post")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("review-queue/", views.ReviewQueueView.as_view(), name="review-queue"),
    *router.urls,
]
