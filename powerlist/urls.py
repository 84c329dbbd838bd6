from django.urls import path

from powerlist.catalogue.views import catalogue, powers, spreadsheets
from powerlist.flowcharts import views as flowcharts
from powerlist.jobs import views as jobs
from powerlist.org.administration import views as administration
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
    path("powers/catalogue/", catalogue.catalogue_view, name="catalogue"),
    path("powers/catalogue/working/", catalogue.catalogue_working_view, name="catalogue_working"),
    path("powers/import/", spreadsheets.power_import_view, name="power_import"),
    path("powers/import/<int:pk>/preview/", spreadsheets.power_import_preview_view, name="power_import_preview"),
    path("powers/import/template/", spreadsheets.power_template_view, name="power_import_template"),
    path("powers/export/", spreadsheets.power_export_view, name="power_export"),
    path("powers/<int:pk>/", powers.power_detail_view, name="power_detail"),
    path("powers/<int:pk>/edit/", powers.power_edit_view, name="power_edit"),
    path("powers/<int:parent_pk>/sub-items/new/", powers.power_create_view, name="power_create_sub_item"),
    path("powers/<int:pk>/with-sub-items/<str:action>/", powers.power_family_action_view,
         name="power_family_action"),
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
    # User administration (docs/administration.md) and the change-password page.
    path("account/password/", administration.PasswordChangeView.as_view(), name="password_change"),
    path("administration/users/", administration.user_list_view, name="user_admin_list"),
    path("administration/users/new/", administration.user_create_view, name="user_admin_create"),
    path("administration/users/import/", administration.user_import_view, name="user_admin_import"),
    path("administration/users/import/template/", administration.user_import_template_view,
         name="user_admin_import_template"),
    path("administration/users/divisions/", administration.division_options_view, name="user_admin_divisions"),
    path("administration/users/<int:pk>/", administration.user_detail_view, name="user_admin_detail"),
    path("administration/users/<int:pk>/deactivate/", administration.user_deactivate_view,
         name="user_admin_deactivate"),
    path("administration/users/<int:pk>/reactivate/", administration.user_reactivate_view,
         name="user_admin_reactivate"),
    path("administration/users/<int:pk>/password/", administration.user_password_reset_view,
         name="user_admin_password_reset"),
    path("administration/users/<int:pk>/roles/", administration.user_role_grant_view, name="user_admin_role_grant"),
    path("administration/users/<int:pk>/roles/<str:role>/revoke/", administration.user_role_revoke_view,
         name="user_admin_role_revoke"),
    path("administration/users/<int:pk>/stand-ins/", administration.user_stand_in_grant_view,
         name="user_admin_stand_in_grant"),
    path("administration/users/<int:pk>/department-administrator/", administration.user_administrator_grant_view,
         name="user_admin_administrator_grant"),
    path("administration/users/<int:pk>/grants/<int:grant_pk>/revoke/", administration.department_grant_revoke_view,
         name="user_admin_grant_revoke"),
]
