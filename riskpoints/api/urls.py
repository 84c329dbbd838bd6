from django.urls import path
from rest_framework.routers import SimpleRouter

from riskpoints.api import views

router = SimpleRouter()
router.register("riskpoints/benchmarks", views.BenchmarkViewSet, basename="benchmark")
router.register("riskpoints", views.RiskPointViewSet, basename="riskpoint")

urlpatterns = [
    path("riskpoints/coverage/", views.CoverageView.as_view(), name="riskpoint-coverage"),
    *router.urls,
]
