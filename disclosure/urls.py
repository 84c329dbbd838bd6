from django.urls import path

from disclosure import register_views, views
from disclosure.pdf.views import pdf_download

app_name = "disclosure"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("r/<str:region_code>/", views.region, name="region"),
    path("r/<str:region_code>/changes/", views.region_changes, name="region_changes"),
    path("r/<str:region_code>/changes/feed/", views.region_feed, name="region_changes_feed"),
    path("r/<str:region_code>/d/<int:department_id>/", views.department, name="department"),
    path("r/<str:region_code>/d/<int:department_id>/c/<int:category_id>/", views.category, name="category"),
    path("r/<str:region_code>/d/<int:department_id>/changes/", views.changes, name="changes"),
    path("r/<str:region_code>/d/<int:department_id>/changes/feed/", views.department_feed, name="changes_feed"),
    path("p/<str:region_code>/<str:code>/", views.power, name="power"),
    path("p/<str:region_code>/<str:code>/v<int:version>/", views.power_version, name="power_version"),
    path("p/<str:region_code>/<str:code>/compare/", views.power_compare, name="power_compare"),
    path("files/pdf/<int:file_id>/", pdf_download, name="pdf"),
    path("publish/<int:department_id>/", views.publish, name="publish"),
    # The register (staff pages).
    path("register/", register_views.non_disclosure_list_view, name="non_disclosure_list"),
    path("register/new/", register_views.non_disclosure_create_view, name="non_disclosure_create"),
    path("register/<int:pk>/", register_views.non_disclosure_detail_view, name="non_disclosure"),
    path("register/<int:pk>/edit/", register_views.non_disclosure_edit_view, name="non_disclosure_edit"),
    path("adjustments/", register_views.adjustment_list_view, name="adjustment_list"),
    path("adjustments/new/", register_views.adjustment_create_view, name="adjustment_create"),
    path("adjustments/<int:pk>/", register_views.adjustment_detail_view, name="adjustment"),
    path("adjustments/<int:pk>/edit/", register_views.adjustment_edit_view, name="adjustment_edit"),
    path("retract/<int:power_id>/", register_views.retract_view, name="retract"),
    path("retractions/<int:pk>/", register_views.retraction_detail_view, name="retraction"),
]
