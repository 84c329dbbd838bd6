"""/api/open/v1/: the open data API (docs/open-data.md)."""

from django.urls import path

from disclosure.opendata import api

app_name = "opendata_api"

POWER = "powers/<str:region_code>/<str:code>/"

urlpatterns = [
    path("regions/", api.RegionList.as_view(), name="region-list"),
    path("regions/<str:code>/", api.RegionDetail.as_view(), name="region-detail"),
    path("departments/", api.DepartmentList.as_view(), name="department-list"),
    path("departments/<int:pk>/", api.DepartmentDetail.as_view(), name="department-detail"),
    path("categories/", api.CategoryList.as_view(), name="category-list"),
    path("publications/", api.PublicationList.as_view(), name="publication-list"),
    path("powers/", api.PowerList.as_view(), name="power-list"),
    path(POWER, api.PowerDetail.as_view(), name="power-detail"),
    path(POWER + "versions/", api.PowerVersions.as_view(), name="power-versions"),
    path(POWER + "versions/<int:version>/", api.PowerVersion.as_view(), name="power-version"),
    path(POWER + "versions/<int:version>/flowchart.svg", api.PowerVersionSvg.as_view(), name="power-version-svg"),
]
