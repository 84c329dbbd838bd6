from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """Open data (issue 11 item 6): the public read-only API, bulk downloads and the DCAT
    catalogue. A room of disclosure with its own tables and migrations."""

    name = "disclosure.opendata"
    label = "opendata"
    verbose_name = _("开放数据")

    def ready(self):
        from disclosure.opendata import tasks  # noqa: F401  (registers the Celery task)
