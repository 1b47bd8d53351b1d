"""Reading notifications (the worker writes them, see vetting/worker.py)."""

from __future__ import annotations

from django.utils import timezone

from hoso.access.models import User
from hoso.notices.models import Notification


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
