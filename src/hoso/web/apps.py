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

        from hoso.notices import passes
        from hoso.web.calendar_watch import calendar_pass

        # Each due pass: is the working-day calendar entered as far as the deadlines reach?
        passes.register("calendar", calendar_pass)
