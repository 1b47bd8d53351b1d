from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "hoso.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from hoso.lib.query import IdConverter

        # Before any URLconf is imported: every `<id:pk>` of the apps and the API router.
        register_converter(IdConverter, "id")
