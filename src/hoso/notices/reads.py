"""Reading notifications: nothing here writes (the worker writes them, see notices/due.py;
marking them read is notices/actions.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from hoso.access.backends import UNREAD
from hoso.access.models import User
from hoso.notices.models import Notification

INBOX_SIZE = 200


def unread_count(user: User) -> int:
    """Read with the session's user (access/backends.py), else counted here."""
    counted = getattr(user, UNREAD, None)
    if counted is not None:
        return int(counted)
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first (the latest INBOX_SIZE)."""
    return Notification.objects.filter(user=user)[:INBOX_SIZE]
