from django.urls import path

from riskpoints import views, views_jobs

app_name = "riskpoints"

urlpatterns = [
    path("", views.riskpoint_list_view, name="list"),
    path("queue/", views.queue_view, name="queue"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("grading-rule/", views.grading_rule_view, name="grading_rule"),
    path("import/", views_jobs.import_view, name="import"),
    path("export/", views_jobs.export_view, name="export"),
    path("powers/<int:power_pk>/", views.power_riskpoints_view, name="power"),
    path("powers/<int:power_pk>/new/", views.riskpoint_create_view, name="create"),
    path("powers/<int:power_pk>/benchmarks/new/", views.benchmark_create_view, name="benchmark_create"),
    path("<int:pk>/", views.riskpoint_detail_view, name="detail"),
    path("<int:pk>/edit/", views.riskpoint_edit_view, name="edit"),
    path("<int:pk>/delete/", views.riskpoint_delete_view, name="delete"),
    path("<int:pk>/experts/", views.assign_experts_view, name="assign_experts"),
    path("<int:pk>/opinion/", views.opinion_view, name="opinion"),
    path("<int:pk>/measures/new/", views.measure_create_view, name="measure_create"),
    path("measures/<int:pk>/edit/", views.measure_edit_view, name="measure_edit"),
    path("measures/<int:pk>/delete/", views.measure_delete_view, name="measure_delete"),
    path("measures/<int:pk>/in-force/", views.measure_in_force_view, name="measure_in_force"),
    path("measures/<int:pk>/attachment/", views.measure_attachment_view, name="measure_attachment"),
    path("benchmarks/", views.benchmark_list_view, name="benchmark_list"),
    path("benchmarks/<int:pk>/", views.benchmark_detail_view, name="benchmark_detail"),
    path("benchmarks/<int:pk>/edit/", views.benchmark_edit_view, name="benchmark_edit"),
]
