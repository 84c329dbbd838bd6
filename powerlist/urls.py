from django.urls import path

from powerlist.catalogue.views import powers, spreadsheets
from powerlist.flowcharts import views as flowcharts
from powerlist.jobs import views as jobs
from powerlist.posts import views as posts
from powerlist.review import views as review
from powerlist.workspace import views as workspace

app_name = "powerlist"

urlpatterns = [
    path("workspace/", workspace.WorkspaceView.as_view(), name="workspace"),
    path("workspace/<slug:slug>/", workspace.WorkspaceRoleView.as_view(), name="workspace_role"),
    path("powers/", powers.power_list_view, name="power_list"),
    path("powers/new/", powers.power_create_view, name="power_create"),
    path("powers/adopt/", powers.power_adopt_view, name="power_adopt"),
    path("powers/catalogue/", powers.catalogue_view, name="catalogue"),
    path("powers/import/", spreadsheets.power_import_view, name="power_import"),
    path("powers/import/template/", spreadsheets.power_template_view, name="power_import_template"),
    path("powers/export/", spreadsheets.power_export_view, name="power_export"),
    path("powers/<int:pk>/", powers.power_detail_view, name="power_detail"),
    path("powers/<int:pk>/edit/", powers.power_edit_view, name="power_edit"),
    path("review/<str:label>/batch/", review.review_batch_action, name="review_batch"),
    path("review/<str:label>/<int:pk>/<str:action>/", review.review_action, name="review_action"),
    path("jobs/<uuid:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", jobs.job_download, name="job_download"),
    path("powers/<int:power_pk>/flowchart/", flowcharts.flowchart_start_view, name="flowchart_start"),
    path("flowcharts/", flowcharts.flowchart_list_view, name="flowchart_list"),
    path("flowcharts/category/new/", flowcharts.flowchart_category_create_view, name="flowchart_category_create"),
    path("flowcharts/<int:pk>/", flowcharts.flowchart_detail_view, name="flowchart_detail"),
    path("flowcharts/<int:pk>/edit/", flowcharts.flowchart_edit_view, name="flowchart_edit"),
    path("flowcharts/<int:pk>/preview/", flowcharts.flowchart_preview_view, name="flowchart_preview"),
    path("flowcharts/<int:pk>/svg/", flowcharts.flowchart_svg_view, name="flowchart_svg"),
    path("posts/", posts.post_list_view, name="post_list"),
    path("posts/department/<int:department_id>/", posts.post_list_view, name="post_list_department"),
    path("posts/new/", posts.post_create_view, name="post_create"),
    path("posts/<int:pk>/", posts.post_detail_view, name="post_detail"),
    path("posts/<int:pk>/edit/", posts.post_edit_view, name="post_edit"),
    path("posts/<int:pk>/delete/", posts.post_delete_view, name="post_delete"),
]
