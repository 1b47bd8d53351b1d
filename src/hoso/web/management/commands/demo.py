"""Prepare the demo: synthetic organizations and members, and one account per role."""

import secrets
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hoso.access.models import User
from hoso.access.roles import Clearance, Role
from hoso.accounts.actions import bootstrap_account
from hoso.cadres import demo as cadres_demo
from hoso.notices.due import run_once
from hoso.orgs.models import Level, Organization
from hoso.people import demo as people_demo
from hoso.people.models import Member
from hoso.petitions import demo as petitions_demo
from hoso.travel import demo as travel_demo
from hoso.vetting import demo as vetting_demo

SEED = 1


def demo_personas(root: Organization) -> list[tuple[str, str, Organization, Role, int]]:
    """(username, full name, organization, role, clearance) for each role."""
    province = Organization.objects.get_children(root)[0]
    units = list(Organization.objects.get_children(province)[:2])
    return [
        ("vanthu", "Nguyễn Thị Lan", units[0], Role.CLERK, Clearance.CONFIDENTIAL),
        ("chuyenvien", "Trần Văn Hùng", units[1], Role.OFFICER, Clearance.CONFIDENTIAL),
        ("chuyenvien2", "Vũ Thị Mai", units[1], Role.OFFICER, Clearance.CONFIDENTIAL),
        ("chuyenvien3", "Bùi Đức Anh", units[1], Role.OFFICER, Clearance.CONFIDENTIAL),
        ("truongphong", "Lê Minh Tuấn", province, Role.HEAD, Clearance.CONFIDENTIAL),
        ("lanhdao", "Phạm Quốc Việt", province, Role.LEADER, Clearance.SECRET),
        ("quantri", "Hoàng Văn Nam", root, Role.ADMIN, Clearance.NONE),
        ("kiemtra", "Đặng Thu Hà", province, Role.AUDITOR, Clearance.NONE),
    ]


class Command(BaseCommand):
    help = "Load demo data (once) and reset the demo accounts' passwords, printing them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=3000)

    def handle(self, *args: Any, members: int, **options: Any) -> None:
        code = f"SYN{SEED}"
        if not Organization.objects.filter(code=code).exists():
            call_command("synth", members=members, seed=SEED)
            call_command("load_admin_units")
        root = Organization.objects.get(code=code, level=Level.CENTRAL)
        self.stdout.write("\nDemo accounts (tài khoản dùng thử) — passwords are new each run:")
        for username, name, org, role, clearance in demo_personas(root):
            password = secrets.token_urlsafe(9) + "-Aa1"
            # Made on the host like `hoso bootstrap` accounts: audited, nobody to approve yet.
            user = bootstrap_account(
                username=username,
                full_name=name,
                organization=org,
                role=role,
                clearance=clearance,
                password=password,
                source="hoso demo",
            )
            second = " (+TOTP at first login)" if user.totp_required else ""
            self.stdout.write(f"  {username:12} {password:20} {role.label} @ {org.name}{second}")
        self.stdout.write("")
        accounts = {
            u.username: u
            for u in User.objects.filter(
                username__in=["chuyenvien", "chuyenvien2", "chuyenvien3", "truongphong", "lanhdao"]
            )
        }
        officers = [accounts[n] for n in ("chuyenvien", "chuyenvien2", "chuyenvien3")]
        made = vetting_demo.load(
            officers[0].organization, officers, accounts["truongphong"], accounts["lanhdao"]
        )
        if made:
            self.stdout.write(f"Demo vetting cases: {made}\n")
        office = officers[0].organization
        subjects = list(Member.objects.filter(org_path__startswith=office.path)[6:15])
        petitions = petitions_demo.load(accounts["chuyenvien"], officers[0], subjects[:3])
        trips = travel_demo.load(officers[0], accounts["truongphong"], subjects[3:])
        people_demo.load(officers[0], subjects)
        if petitions or trips:
            self.stdout.write(f"Demo petitions: {petitions}, trips and stays abroad: {trips}\n")
        cadres = cadres_demo.load(
            officers[0],
            accounts["truongphong"],
            list(Member.objects.filter(organization__path__startswith=office.path)[:6]),
        )
        if cadres:
            self.stdout.write(f"Demo cadres: {cadres}, with a planning list\n")
        # One pass of the worker, so the demo shows its notifications (run `hoso worker` for more).
        run_once(timezone.localdate())
