"""Emergency access (break-glass, issue 14 item 4): one dossier outside one's grants, read only,
for a few hours, with a typed reason; every read under it carries its id; the heads above the
dossier review it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hoso.access.models import BreakGlass
from hoso.access.roles import Clearance, Role
from hoso.accounts import actions as access_actions
from hoso.audit.models import AuditEvent
from hoso.people.actions import glass
from hoso.people.models import DocumentType, DossierDocument, Member, Person
from hoso.vetting.models import Case
from tests.conftest import Personas, World, client_for, make_user

REASON = "Hội đồng kỷ luật họp sáng nay, cần đối chiếu lý lịch"


@pytest.fixture
def far(world: World) -> Member:
    """A member of commune B: outside commune A's grants."""
    person = Person.objects.create(family_name="Trần", given_name="Khẩn", sex="M",
                                   citizen_id="079090000777")  # fmt: skip
    return Member.objects.create(person=person, organization=world.cell_b, status="official",
                                 card_number="KC-777")  # fmt: skip


def _open(client: Any, **fields: Any) -> Any:
    data = {"card_number": "KC-777", "reason": REASON, "hours": 2, **fields}
    return client.post(reverse("glass-open"), data)


def test_a_dossier_outside_the_grants_opens_for_reading_only(
    world: World, personas: Personas, far: Member
) -> None:
    officer = client_for(personas.officer_a)
    detail = reverse("member-detail", args=[far.pk])
    assert officer.get(detail).status_code == 404  # outside the grants: as if missing
    answer = _open(officer)
    assert answer.status_code == 302 and answer["Location"] == detail
    (access,) = BreakGlass.objects.all()
    assert (access.user, access.organization, access.reason) == (
        personas.officer_a, world.cell_b, REASON
    )
    assert access.expires_at - access.opened_at == dt.timedelta(hours=2)
    page = officer.get(detail)
    assert page.status_code == 200 and b'data-testid="under-glass"' in page.content
    viewed = AuditEvent.objects.filter(event_type="member.viewed").latest("id")
    assert viewed.details["break_glass"] == [access.pk]
    assert officer.get(reverse("member-dossier", args=[far.pk])).status_code == 200
    # Reading only: no correction, no reveal, no other app's records of the dossier.
    assert officer.get(reverse("member-correct", args=[far.pk])).status_code in (403, 404)
    reveal = officer.post(reverse("member-reveal", args=[far.pk]), {"reason": REASON})
    assert reveal.status_code in (403, 404)
    assert not Case.objects.visible_to(personas.officer_a).exists()
    assert not Member.objects.visible_to(personas.officer_a, "member.manage").filter(pk=far.pk)


def test_it_ends_when_it_expires_or_its_holder_ends_it(personas: Personas, far: Member) -> None:
    officer = client_for(personas.officer_a)
    _open(officer)
    access = BreakGlass.objects.get()
    detail = reverse("member-detail", args=[far.pk])
    BreakGlass.objects.filter(pk=access.pk).update(expires_at=timezone.now())
    assert officer.get(detail).status_code == 404
    _open(officer)
    second = BreakGlass.objects.latest("id")
    assert officer.post(reverse("glass-close", args=[second.pk])).status_code == 302
    assert officer.get(detail).status_code == 404
    assert AuditEvent.objects.filter(event_type="access.break_glass_closed").count() == 1
    # Another account cannot end it, nor see it.
    other = client_for(personas.clerk_a)
    assert other.post(reverse("glass-close", args=[second.pk])).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "vì"}, "characters"),
        ({"card_number": "KHONG-CO"}, "No member has this card number"),
        ({"hours": 9}, "Select a valid choice"),
    ],
)
def test_refusals_say_why_and_open_nothing(
    personas: Personas, far: Member, fields: dict[str, Any], message: str, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    answer = _open(client_for(personas.officer_a, enrol=True), **fields)
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not BreakGlass.objects.exists()


def test_refused_for_a_dossier_in_scope_and_for_staff_without_dossiers(
    world: World, personas: Personas, far: Member
) -> None:
    with translation.override("en"), pytest.raises(glass.GlassError, match="in your scope"):
        glass.open_glass(personas.officer_b, far, reason=REASON, hours=1)
    with translation.override("en"), pytest.raises(glass.GlassError, match="Only staff"):
        glass.open_glass(personas.auditor_a, far, reason=REASON, hours=1)
    glass.open_glass(personas.officer_a, far, reason=REASON, hours=1)
    with translation.override("en"), pytest.raises(glass.GlassError, match="already"):
        glass.open_glass(personas.officer_a, far, reason=REASON, hours=1)
    assert BreakGlass.objects.count() == 1
    assert client_for(personas.nobody).get(reverse("glass-open")).status_code == 404


def test_never_above_the_clearance_nor_through_an_api_token(
    personas: Personas, far: Member
) -> None:
    secret = DossierDocument.objects.create(
        member=far, doc_type=DocumentType.objects.get(code="2-KNĐ"), number="MAT-1",
        classification=Clearance.TOP_SECRET, recorded_by=personas.officer_b,
    )  # fmt: skip
    glass.open_glass(personas.officer_a, far, reason=REASON, hours=1)
    officer = client_for(personas.officer_a)
    assert officer.get(reverse("document-detail", args=[secret.pk])).status_code == 404
    assert b"MAT-1" not in officer.get(reverse("member-dossier", args=[far.pk])).content
    _token, text = access_actions.create_token(personas.officer_a, "tích hợp", "read", 30)
    api = client_for(personas.officer_a)
    answer = api.get(reverse("api-member-detail", args=[far.pk]),
                     HTTP_AUTHORIZATION=f"Bearer {text}")  # fmt: skip
    assert answer.status_code == 404


def test_the_heads_above_the_dossier_review_it(
    world: World, personas: Personas, far: Member
) -> None:
    officer = client_for(personas.officer_a)
    _open(officer)
    officer.get(reverse("member-detail", args=[far.pk]))
    officer.get(reverse("member-resume", args=[far.pk]))
    access = BreakGlass.objects.get()
    head = client_for(personas.head_p)  # the province covers commune B
    queue = head.get(reverse("glass-review"))
    assert queue.status_code == 200 and b"KC-777" in queue.content
    detail = head.get(reverse("glass-detail", args=[access.pk]))
    assert detail.status_code == 200
    read = [event.event_type for event, _label in detail.context["reads"]]
    assert read == ["member.viewed", "member.viewed"]  # the page and the resume
    # Not justified needs a note; then the verdict is recorded once, audited.
    refused = head.post(reverse("glass-detail", args=[access.pk]), {"justified": "no"})
    assert refused.status_code == 200
    BreakGlass.objects.get(review=BreakGlass.Review.PENDING)
    decided = head.post(reverse("glass-detail", args=[access.pk]),
                        {"justified": "no", "note": "Không có cuộc họp kỷ luật nào"})  # fmt: skip
    assert decided.status_code == 302
    access.refresh_from_db()
    assert (access.review, access.reviewed_by) == ("unjustified", personas.head_p)
    event = AuditEvent.objects.get(event_type="access.break_glass_reviewed")
    assert (event.organization, event.details["justified"]) == (world.cell_b, False)


def test_nobody_else_sees_the_review_and_nobody_reviews_their_own(
    world: World, personas: Personas, far: Member
) -> None:
    glass.open_glass(personas.officer_a, far, reason=REASON, hours=1)
    access = BreakGlass.objects.get()
    commune_a_head = make_user("head_a", world.commune_a, Role.HEAD, Clearance.CONFIDENTIAL)
    for user in (commune_a_head, personas.officer_a, personas.auditor_a):
        assert client_for(user).get(reverse("glass-detail", args=[access.pk])).status_code == 404
    # A head who opened a dossier elsewhere does not review that access themselves.
    other = make_user("head_b2", world.commune_b, Role.HEAD, Clearance.CONFIDENTIAL)
    elsewhere = Member.objects.create(
        person=Person.objects.create(family_name="Lê", given_name="Xa", sex="F"),
        organization=world.cell_a, status="official", card_number="KC-888",
    )  # fmt: skip
    own = glass.open_glass(other, elsewhere, reason=REASON, hours=1)
    from hoso.access.models import Grant

    Grant.objects.create(user=other, organization=world.province, role=Role.HEAD)
    other = type(other).objects.get(pk=other.pk)
    with translation.override("en"), pytest.raises(glass.GlassError, match="own"):
        glass.review_glass(other, own, justified=True, note="")
