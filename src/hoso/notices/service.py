"""Writing and reading notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from hoso.access.models import User
from hoso.notices.models import Notification


def build(users: Iterable[User], key: str, text: str, url: str = "") -> list[Notification]:
    """One unsaved notification per user (callers claim the fact first, so no duplicates)."""
    return [Notification(user=u, key=key, text=text[:500], url=url) for u in set(users)]


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
