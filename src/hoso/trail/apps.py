from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrailConfig(AppConfig):
    """The audit trail's pages and API, for auditors: reading and exporting what
    `hoso.audit` records (which sits below every app that writes to it)."""

    name = "hoso.trail"
    label = "trail"
    verbose_name = _("Audit trail")
