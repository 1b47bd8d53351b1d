"""The one change a user makes to notifications: marking their own as read. Nobody else's
can be touched, so there is no policy question; it is not audited (nothing about a record
changes)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hoso.access.models import User
from hoso.notices.models import Notification


def mark_read(user: User) -> int:
    """Mark every unread notification of `user` read now; returns how many."""
    with transaction.atomic():
        return Notification.objects.filter(user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
