from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hoso.reports"
    label = "reports"
    verbose_name = _("Periodic reports and statistics")

    def ready(self) -> None:
        from hoso.reports import figures

        figures.register_all()
