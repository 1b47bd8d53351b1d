from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Account administration: signing in, accounts, grants and clearances, the requests
    that need a second person, bootstrap. The rules it applies are `hoso.access`'s."""

    name = "hoso.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
