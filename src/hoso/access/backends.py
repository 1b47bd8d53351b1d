"""The session's user, read with its organization, its grants and its unread notifications'
count in one query: every page files its audit events under the organization, asks the
policy about the grants (`policy._grants` reads them from here) and shows the count in its
header (notices.reads.unread_count), three queries less on each request."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import IntegerField, TextField
from django.db.models.expressions import RawSQL

GRANT_ROWS = "hoso_grant_rows"  # the annotation: a JSON array of [role, path, name]
UNREAD = "hoso_unread"  # the annotation: how many of the user's notifications are unread

# One JSON array of the user's grants, each [role, organization path, organization name].
_AGGREGATE = {
    "postgresql": "COALESCE(json_agg(json_build_array(g.role, o.path, o.name)), '[]')::text",
    "sqlite": "COALESCE(json_group_array(json_array(g.role, o.path, o.name)), '[]')",
}


def grant_rows() -> RawSQL:
    from hoso.access.models import Grant, User

    organizations = apps.get_model("orgs", "Organization")._meta.db_table
    sql = (
        f"SELECT {_AGGREGATE[connection.vendor]} FROM {Grant._meta.db_table} g"  # noqa: S608
        f" JOIN {organizations} o ON o.id = g.organization_id"
        f' WHERE g.user_id = "{User._meta.db_table}"."id"'
    )
    return RawSQL(f"({sql})", [], output_field=TextField())  # noqa: S611


def unread() -> RawSQL:
    from hoso.access.models import User

    notifications = apps.get_model("notices", "Notification")._meta.db_table
    sql = (
        f"SELECT COUNT(*) FROM {notifications} n"  # noqa: S608
        f' WHERE n.user_id = "{User._meta.db_table}"."id" AND n.read_at IS NULL'
    )
    return RawSQL(f"({sql})", [], output_field=IntegerField())  # noqa: S611


class Backend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from hoso.access.models import User

        user = (
            User._default_manager.select_related("organization")
            .annotate(**{GRANT_ROWS: grant_rows(), UNREAD: unread()})
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
