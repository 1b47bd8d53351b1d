from typing import Any

from django.apps import AppConfig
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hoso.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        post_migrate.connect(_introduce_key, sender=self)


def _introduce_key(**kwargs: Any) -> None:
    """The installation's key made and introduced once the tables are there (audit/keys.py)."""
    if "audit_chainhead" not in connection.introspection.table_names():
        return
    from hoso.audit.chain import introduce_key

    introduce_key()
