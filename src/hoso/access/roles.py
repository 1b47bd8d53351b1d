"""Roles and clearance levels. Which role may do what lives in policy.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Records clerk")
    OFFICER = "officer", _("Specialist officer")
    HEAD = "head", _("Head of office")
    LEADER = "leader", _("Committee leader")
    ADMIN = "admin", _("System administrator")
    AUDITOR = "auditor", _("Auditor")


class Clearance(models.IntegerChoices):
    """The three state-secret levels, plus none. A record is visible up to the user's level."""

    NONE = 0, _("None")
    CONFIDENTIAL = 1, _("Confidential (Mật)")
    SECRET = 2, _("Secret (Tối mật)")
    TOP_SECRET = 3, _("Top secret (Tuyệt mật)")
