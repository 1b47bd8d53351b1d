from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrailConfig(AppConfig):
    """The audit trail's pages and API, for auditors: reading and exporting what
    `hoso.audit` records (which sits below every app that writes to it), and the insider
    flags raised from it."""

    name = "hoso.trail"
    label = "trail"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from hoso.notices import passes
        from hoso.trail.worker import flags_pass

        passes.register("flags", flags_pass)
