from django.urls import path

from disclosure import views
from disclosure.pdf.views import pdf_download

app_name = "disclosure"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("r/<str:region_code>/", views.region, name="region"),
    path("r/<str:region_code>/d/<int:department_id>/", views.department, name="department"),
    path("r/<str:region_code>/d/<int:department_id>/c/<int:category_id>/", views.category, name="category"),
    path("r/<str:region_code>/d/<int:department_id>/changes/", views.changes, name="changes"),
    path("r/<str:region_code>/d/<int:department_id>/changes/feed/", views.department_feed, name="changes_feed"),
    path("p/<str:region_code>/<str:code>/", views.power, name="power"),
    path("p/<str:region_code>/<str:code>/v<int:version>/", views.power_version, name="power_version"),
    path("p/<str:region_code>/<str:code>/compare/", views.power_compare, name="power_compare"),
    path("files/pdf/<int:file_id>/", pdf_download, name="pdf"),
    path("publish/<int:department_id>/", views.publish, name="publish"),
]
