"""`hoso persons`: identity work from the console, as a given user sees it.

  hoso persons duplicates --user hoa [--org CODE]   candidate pairs under an organization
  hoso persons candidates --user hoa --person 42     candidates for one person

Proposals only: the decisions are taken on the pages or through the API, with a reason. The
console sees exactly what the user would see; each listing is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import translation

from hoso.access import policy
from hoso.access.models import User
from hoso.orgs.models import Organization
from hoso.people import identity, reads


class Command(BaseCommand):
    help = "List candidate duplicate persons as a given user sees them (proposals only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["duplicates", "candidates"])
        parser.add_argument("--user", required=True)
        parser.add_argument("--org", default="", help="organization code (default: first grant)")
        parser.add_argument("--person", type=int)
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args: Any, what: str, user: str, lang: str, **options: Any) -> None:
        translation.activate(lang)
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"unknown user {user!r}")
        if what == "candidates":
            pairs = self._candidates(actor, options["person"])
        else:
            pairs = reads.list_duplicates(actor, self._org(actor, options["org"]), via="console")
        for pair in pairs:
            self.stdout.write(_line(pair))
        self.stderr.write(f"{len(pairs)} pair(s)")

    def _org(self, actor: User, code: str) -> Organization:
        paths = policy.scope_paths(actor, policy.Action.PERSON_LINK)
        visible = Organization.objects.visible_to(actor, policy.Action.PERSON_LINK)
        org: Organization | None = visible.filter(code=code.upper()).first() if code else None
        if org is None and not code and paths:
            org = visible.filter(path=paths[0]).first()
        if org is None:
            raise CommandError(f"no organization {code!r} where {actor.username} may link persons")
        return org

    def _candidates(self, actor: User, pk: int | None) -> list[identity.Pair]:
        if pk is None:
            raise CommandError("--person ID is required")
        try:
            person = reads.open_person(actor, pk)
        except Http404:
            raise CommandError(f"no person {pk} visible to {actor.username}") from None
        return identity.candidates_for(actor, person)


def _line(pair: identity.Pair) -> str:
    a, b = pair.person, pair.other
    if pair.is_relative:
        other = f"r{b.pk}\t{b.full_name}\t{b.birth_year}"
    else:
        other = f"p{b.pk}\t{b}\t{b.birth_date_display()}"  # type: ignore[union-attr]
    return f"p{a.pk}\t{a}\t{a.birth_date_display()}\t{other}\t{'; '.join(pair.evidence)}"
