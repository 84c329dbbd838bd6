from django.urls import include, path

from supervision.assessment import urls as assessment_urls
from supervision.complaints import views as complaints
from supervision.inspections import urls as inspection_urls
from supervision.views import calendar, cases

app_name = "supervision"

urlpatterns = [
    path("", cases.board_view, name="board"),
    path("cases/", cases.case_list_view, name="case_list"),
    path("cases/new/", cases.case_create_view, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail_view, name="case_detail"),
    path("alerts/", cases.alert_list_view, name="alert_list"),
    path("alerts/<int:pk>/", cases.alert_detail_view, name="alert_detail"),
    path("complaints/", complaints.complaint_list_view, name="complaint_list"),
    path("complaints/<int:pk>/", complaints.complaint_detail_view, name="complaint_detail"),
    path("complaints/<int:pk>/act/<str:action>/", complaints.complaint_action_view, name="complaint_action"),
    path("complaints/<int:pk>/identity/", complaints.complaint_identity_view, name="complaint_identity"),
    path("complaints/<int:pk>/attachments/<int:attachment_id>/", complaints.complaint_attachment_view,
         name="complaint_attachment"),
    path("complaints/copies/", complaints.complaint_copy_list_view, name="complaint_copy_list"),
    path("complaints/copies/<int:pk>/", complaints.complaint_copy_view, name="complaint_copy"),
    path("calendar/", calendar.calendar_list_view, name="calendar_list"),
    path("calendar/<int:year>/", calendar.calendar_year_view, name="calendar_year"),
    path("inspections/", include(inspection_urls.urlpatterns)),
    path("assessment/", include(assessment_urls.urlpatterns)),
]
