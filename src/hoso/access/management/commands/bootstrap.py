"""First start of a real installation: the top organization and the first administrator."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hoso.access.models import Grant, User
from hoso.access.roles import Role
from hoso.audit import events
from hoso.audit.chain import record
from hoso.orgs.models import Level, Organization


class Command(BaseCommand):
    help = (
        "Create the top organization and the first system administrator. Refuses when an "
        "administrator already exists. The password is asked for, or read from "
        "HOSO_BOOTSTRAP_PASSWORD for unattended installs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root-name", required=True, help='e.g. "Tỉnh ủy Hà Tĩnh"')
        parser.add_argument("--root-code", required=True, help="e.g. TU (used in numbers)")
        parser.add_argument("--root-level", default=Level.PROVINCIAL, choices=Level.values)
        parser.add_argument("--admin", required=True, help="username of the administrator")
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        if Grant.objects.filter(role=Role.ADMIN).exists():
            raise CommandError("an administrator already exists: manage accounts in the web pages")
        password = os.environ.get("HOSO_BOOTSTRAP_PASSWORD") or self._ask()
        user = User(username=opts["admin"], full_name=opts["full_name"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with transaction.atomic():
            root = Organization.objects.filter(code=opts["root_code"], depth=1).first()
            if root is None:
                root = Organization.objects.add_root(
                    create_kwargs={
                        "name": opts["root_name"],
                        "code": opts["root_code"],
                        "level": opts["root_level"],
                    }
                )
            user.organization = root
            user.set_password(password)
            user.save()
            Grant.objects.create(user=user, organization=root, role=Role.ADMIN)
            record(
                events.BOOTSTRAP.code, obj=root, details={"admin": user.username, "root": root.code}
            )
        self.stdout.write(f"created {root.name} ({root.code}) and administrator {user.username}")

    def _ask(self) -> str:
        first = getpass.getpass("Password for the administrator: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("the two passwords differ")
        return first
