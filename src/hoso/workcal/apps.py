from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalConfig(AppConfig):
    name = "hoso.workcal"
    label = "workcal"
    verbose_name = _("Working-day calendar")
