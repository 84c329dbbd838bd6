from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("公开")

    def ready(self):
        from powerlist.catalogue.hooks import on_power_confirmed
        from disclosure.services import publication_auto

        on_power_confirmed(publication_auto)
