from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from hoso.audit.models import AuditEvent
from hoso.people import actions
from hoso.people.models import DocumentType, MemberStatus
from hoso.people.transitions import Move
from tests.conftest import Personas, World, client_for, make_user


def test_national_admin_edits_the_document_catalogue(world: World, personas: Personas) -> None:
    url = reverse("catalogue", args=["document-types"])
    assert client_for(personas.admin_a).get(url).status_code == 404  # commune admin
    assert client_for(personas.head_p).get(url).status_code == 404
    national = client_for(make_user("admin_tw", world.root, "admin"))
    national.post(
        url,
        {
            "code": "5-HSĐV",
            "name": "Phiếu báo đảng viên từ trần",
            "order": 95,
            "active": "on",
            "required": "on",
            "statuses": ["deceased"],
        },
    )
    added = DocumentType.objects.get(code="5-HSĐV")
    assert added.required and added.statuses == ["deceased"]
    assert added.applies_to("deceased") and not added.applies_to("official")
    event = AuditEvent.objects.get(event_type="config.catalogue_changed")
    assert event.details["catalogue"] == "document-types"


def test_deadlines_page_lists_due_and_overdue(world: World, personas: Personas) -> None:
    clerk = personas.clerk_a
    member = actions.members.register_member(
        clerk,
        world.cell_a,
        {"family_name": "Hà", "given_name": "Mai", "sex": "F"},
        {"status": MemberStatus.CANDIDATE},
    )
    decided = timezone.localdate() - dt.timedelta(days=60)
    actions.members.record_move(clerk, member, Move.ADMIT, date=decided, decision_number="4-QĐ/ĐU")
    page = client_for(clerk).get(reverse("deadlines"))
    assert [m.pk for m in page.context["ceremonies"]] == [member.pk]
    assert member.ceremony_due_on is not None and member.ceremony_due_on < timezone.localdate()
    assert 'class="error"' in page.content.decode()
    assert (
        list(client_for(personas.officer_b).get(reverse("deadlines")).context["ceremonies"]) == []
    )
