"""First start of a real installation: the top organization, the first administrator and the
first head of office.

Everywhere else a grant that reads dossiers, or a clearance, needs a second person to approve
it. At first start there is nobody to approve, so whoever holds the machine makes these two
accounts here, on the host, and each is audited as made by bootstrap.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hoso.access.models import Grant, User
from hoso.access.roles import Clearance, Role
from hoso.accounts.actions import bootstrap_account
from hoso.orgs import actions as orgs
from hoso.orgs.models import Level, Organization


class Command(BaseCommand):
    help = (
        "Create the top organization, the first system administrator (--admin) and the first "
        "head of office (--head). Each is refused when one already exists. Passwords are asked "
        "for, or read from HOSO_BOOTSTRAP_PASSWORD and HOSO_BOOTSTRAP_HEAD_PASSWORD."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root-name", required=True, help='e.g. "Tỉnh ủy Hà Tĩnh"')
        parser.add_argument("--root-code", required=True, help="e.g. TU (used in numbers)")
        parser.add_argument("--root-level", default=Level.PROVINCIAL, choices=Level.values)
        parser.add_argument("--admin", default="", help="username of the administrator")
        parser.add_argument("--full-name", default="", help="the administrator's full name")
        parser.add_argument("--head", default="", help="username of the first head of office")
        parser.add_argument("--head-name", default="", help="the head's full name")
        parser.add_argument(
            "--head-clearance",
            type=int,
            default=Clearance.SECRET,
            choices=Clearance.values,
            help="the head's clearance (default 2, Tối mật: a second factor at first sign-in)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["admin"] and not opts["head"]:
            raise CommandError("give --admin, --head or both")
        if opts["admin"] and Grant.objects.filter(role=Role.ADMIN).exists():
            raise CommandError("an administrator already exists: manage accounts in the web pages")
        if opts["head"] and Grant.objects.filter(role__in=[Role.HEAD, Role.LEADER]).exists():
            raise CommandError("a head or leader already exists: ask for grants in the web pages")
        accounts = []
        if opts["admin"]:
            password = self._password("HOSO_BOOTSTRAP_PASSWORD", "the administrator", opts["admin"])
            accounts.append((opts["admin"], opts["full_name"], Role.ADMIN, 0, password, False))
        if opts["head"]:
            password = self._password("HOSO_BOOTSTRAP_HEAD_PASSWORD", "the head", opts["head"])
            # The machine holder typed it: the head chooses their own at first sign-in.
            accounts.append(
                (opts["head"], opts["head_name"], Role.HEAD, opts["head_clearance"], password, True)
            )
        with transaction.atomic():
            root = self._root(opts)
            for username, name, role, clearance, password, must_change in accounts:
                bootstrap_account(
                    username=username,
                    full_name=name,
                    organization=root,
                    role=role,
                    clearance=clearance,
                    password=password,
                    source="hoso bootstrap",
                    must_change_password=must_change,
                )
                self.stdout.write(f"{root.name} ({root.code}): {role.label} {username}")

    def _root(self, opts: dict[str, Any]) -> Organization:
        root: Organization | None = Organization.objects.filter(
            code=opts["root_code"], depth=1
        ).first()
        if root is None:
            root = orgs.create_root(
                name=opts["root_name"],
                code=opts["root_code"],
                level=opts["root_level"],
                source="hoso bootstrap",
            )
        return root

    def _password(self, variable: str, who: str, username: str) -> str:
        password = os.environ.get(variable) or self._ask(who)
        try:
            validate_password(password, User(username=username))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return password

    def _ask(self, who: str) -> str:
        first = getpass.getpass(f"Password for {who}: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("the two passwords differ")
        return first
