from django.urls import path

from supervision.views import calendar

app_name = "supervision"

urlpatterns = [
    path("calendar/", calendar.calendar_list_view, name="calendar_list"),
    path("calendar/<int:year>/", calendar.calendar_year_view, name="calendar_year"),
]
