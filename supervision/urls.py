from django.urls import include, path

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
    path("calendar/", calendar.calendar_list_view, name="calendar_list"),
    path("calendar/<int:year>/", calendar.calendar_year_view, name="calendar_year"),
    path("inspections/", include(inspection_urls.urlpatterns)),
]
