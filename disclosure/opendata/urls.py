"""/opendata/: the open data page, the bulk files and the DCAT catalogue."""

from django.urls import path

from disclosure.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.datasets_page, name="datasets"),
    path("catalog.jsonld", views.catalogue_jsonld, name="catalogue"),
    path("catalog.ttl", views.catalogue_turtle, name="catalogue_turtle"),
    path("files/<str:identifier>.<str:fmt>", views.download, name="download"),
]
