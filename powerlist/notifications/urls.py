from django.urls import path

from powerlist.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read-all/", views.notification_read_all_view, name="read_all"),
    path("<int:pk>/read/", views.notification_read_view, name="read"),
]
