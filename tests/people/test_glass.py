"""Emergency access (break-glass, issue 14 item 4): one dossier outside one's grants, viewed
only, for a few hours, with a typed reason; each read through it carries its id; the heads
above the dossier review it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hoso.access import policy
from hoso.access.models import BreakGlass, Grant
from hoso.access.roles import Clearance, Role
from hoso.accounts import actions as access_actions
from hoso.audit.models import AuditEvent
from hoso.people.actions import glass
from hoso.people.actions import resume as resume_actions
from hoso.people.models import DocumentType, DossierDocument, Member, Person, Relationship
from tests.conftest import Personas, World, client_for, make_user, xlsx_cells

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


def _opened(user: Any, far: Member, hours: int = 1) -> BreakGlass:
    return glass.open_glass(user, reason=REASON, hours=hours, card_number=far.card_number)


def test_a_dossier_outside_the_grants_opens_for_viewing_only(
    world: World, personas: Personas, far: Member
) -> None:
    officer = client_for(personas.officer_a)
    detail = reverse("member-detail", args=[far.pk])
    assert officer.get(detail).status_code == 404  # outside the grants: as if missing
    answer = _open(officer)
    assert answer.status_code == 302 and answer["Location"] == detail
    (access,) = BreakGlass.objects.all()
    assert (access.user, access.organization, access.reason, access.member_id) == (
        personas.officer_a,
        world.cell_b,
        REASON,
        far.pk,
    )
    assert access.expires_at - access.opened_at == dt.timedelta(hours=2)
    page = officer.get(detail)
    assert page.status_code == 200 and b'data-testid="under-glass"' in page.content
    viewed = AuditEvent.objects.filter(event_type="member.viewed").latest("id")
    assert viewed.details["break_glass"] == access.pk
    for name in ("member-dossier", "member-resume"):
        assert officer.get(reverse(name, args=[far.pk])).status_code == 200
    # Viewing only: no correction, no reveal, no form or other app's record of the person.
    assert officer.get(reverse("member-correct", args=[far.pk])).status_code in (403, 404)
    reveal = officer.post(reverse("member-reveal", args=[far.pk]), {"reason": REASON})
    assert reveal.status_code in (403, 404)
    for name in ("case-new", "petition-new", "trip-new"):
        assert officer.get(reverse(name), {"member": far.pk}).status_code == 404, name
    # The resume page opens, but its actions check their own permission.
    father = Relationship.objects.get(code="bo-de")
    with pytest.raises(policy.Denied):
        resume_actions.add_relative(personas.officer_a, far, full_name="Bố", relationship=father)


def test_the_opened_dossier_is_in_no_list_export_or_api_list(
    personas: Personas, far: Member, world: World
) -> None:
    near = Member.objects.create(
        person=Person.objects.create(family_name="Trần", given_name="Gần", sex="M"),
        organization=world.cell_a, status="official", card_number="KC-111",
    )  # fmt: skip
    _opened(personas.officer_a, far)
    officer = client_for(personas.officer_a)
    listed = officer.get(reverse("member-list"), {"q": "Trần"}).content
    assert b"KC-111" in listed and b"KC-777" not in listed
    export = officer.get(reverse("member-export"), {"q": "Trần"})
    content = b"".join(export.streaming_content) if export.streaming else export.content
    cells = " ".join(str(cell.value) for row in xlsx_cells(content) for cell in row).upper()
    assert near.person.given_name.upper() in cells and "KHẨN" not in cells
    api = officer.get(reverse("api-member-list"), {"search": "trần"}).json()["results"]
    assert [row["id"] for row in api] == [near.pk]


def test_it_ends_when_it_expires_or_its_holder_ends_it(personas: Personas, far: Member) -> None:
    officer = client_for(personas.officer_a)
    _open(officer)
    access = BreakGlass.objects.get()
    detail = reverse("member-detail", args=[far.pk])
    BreakGlass.objects.filter(pk=access.pk).update(expires_at=timezone.now())
    assert officer.get(detail).status_code == 404
    _open(officer)
    second = BreakGlass.objects.latest("id")
    # Another account neither ends it nor sees it.
    other = client_for(personas.clerk_a)
    assert other.post(reverse("glass-close", args=[second.pk])).status_code == 404
    assert b"KC-777" not in other.get(reverse("glass-open")).content
    assert officer.post(reverse("glass-close", args=[second.pk])).status_code == 302
    assert officer.get(detail).status_code == 404
    assert AuditEvent.objects.filter(event_type="access.break_glass_closed").count() == 1


def test_it_ends_with_the_holders_dossier_role(
    world: World, personas: Personas, far: Member
) -> None:
    _opened(personas.officer_a, far)
    detail = reverse("member-detail", args=[far.pk])
    assert client_for(personas.officer_a).get(detail).status_code == 200
    Grant.objects.filter(user=personas.officer_a).delete()
    assert client_for(personas.officer_a).get(detail).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message", "audited"),
    [
        ({"reason": "vì"}, "characters", False),
        ({"card_number": "KHONG-CO"}, "No member has this card number", True),
        ({"hours": 9}, "Select a valid choice", False),
    ],
)
def test_refusals_say_why_and_a_number_looked_up_is_recorded(
    personas: Personas, far: Member, fields: dict[str, Any], message: str, audited: bool,
    settings: Any,
) -> None:  # fmt: skip
    settings.LANGUAGE_CODE = "en"
    answer = _open(client_for(personas.officer_a), **fields)
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not BreakGlass.objects.exists()
    refused = AuditEvent.objects.filter(event_type="access.break_glass_refused")
    assert refused.exists() == audited
    if audited:
        assert refused.get().details["card_number"] == "KHONG-CO"


def test_refused_in_scope_twice_beyond_the_cap_and_for_staff_without_dossiers(
    world: World, personas: Personas, far: Member, settings: Any
) -> None:
    with translation.override("en"):
        with pytest.raises(glass.GlassError, match="in your scope"):
            _opened(personas.officer_b, far)
        with pytest.raises(glass.GlassError, match="Only staff"):
            _opened(personas.auditor_a, far)
        _opened(personas.officer_a, far)
        with pytest.raises(glass.GlassError, match="already"):
            _opened(personas.officer_a, far)
        settings.BREAK_GLASS_MAX_OPEN = 1
        other = Member.objects.create(
            person=Person.objects.create(family_name="Lê", given_name="Khác", sex="F"),
            organization=world.cell_b, status="official", card_number="KC-778",
        )  # fmt: skip
        with pytest.raises(glass.GlassError, match="end one first"):
            _opened(personas.officer_a, other)
    assert BreakGlass.objects.count() == 1
    assert client_for(personas.nobody).get(reverse("glass-open")).status_code == 404


def test_never_above_the_clearance_nor_through_an_api_token(
    personas: Personas, far: Member
) -> None:
    secret = DossierDocument.objects.create(
        member=far, doc_type=DocumentType.objects.get(code="2-KNĐ"), number="MAT-1",
        classification=Clearance.TOP_SECRET, recorded_by=personas.officer_b,
    )  # fmt: skip
    _opened(personas.officer_a, far)
    officer = client_for(personas.officer_a)
    assert officer.get(reverse("document-detail", args=[secret.pk])).status_code == 404
    assert b"MAT-1" not in officer.get(reverse("member-dossier", args=[far.pk])).content
    url = reverse("api-member-detail", args=[far.pk])
    assert officer.get(url).status_code == 200  # the session at the interface: opened
    _token, text = access_actions.create_token(personas.officer_a, "tích hợp", "read", 30)
    assert officer.get(url, HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 404


def test_the_heads_above_the_dossier_review_what_was_read_through_it(
    world: World, personas: Personas, far: Member
) -> None:
    near = Member.objects.create(
        person=Person.objects.create(family_name="Đỗ", given_name="Gần", sex="M"),
        organization=world.cell_a, status="official",
    )  # fmt: skip
    officer = client_for(personas.officer_a)
    _open(officer)
    officer.get(reverse("member-detail", args=[far.pk]))
    officer.get(reverse("member-resume", args=[far.pk]))
    officer.get(reverse("member-detail", args=[near.pk]))  # in scope: not the access's read
    access = BreakGlass.objects.get()
    head = client_for(personas.head_p)  # the province covers commune B
    queue = head.get(reverse("glass-review"))
    assert queue.status_code == 200 and b"KC-777" in queue.content
    detail = head.get(reverse("glass-detail", args=[access.pk]))
    assert detail.status_code == 200
    read = [(e.event_type, e.object_id) for e, _label in detail.context["reads"]]
    assert read == [("member.viewed", str(far.pk))] * 2  # the page and the resume
    # Not justified needs a note; then the verdict is recorded once, audited.
    assert (
        head.post(reverse("glass-detail", args=[access.pk]), {"justified": "no"}).status_code == 200
    )
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
    access = _opened(personas.officer_a, far)
    commune_a_head = make_user("head_a", world.commune_a, Role.HEAD, Clearance.CONFIDENTIAL)
    for user in (commune_a_head, personas.officer_a, personas.auditor_a):
        assert client_for(user).get(reverse("glass-detail", args=[access.pk])).status_code == 404
        assert b"KC-777" not in client_for(user).get(reverse("glass-review")).content
    # A head who opened a dossier elsewhere, and is granted above it later, does not review
    # that access themselves.
    other = make_user("head_b2", world.commune_b, Role.HEAD, Clearance.CONFIDENTIAL)
    Member.objects.create(
        person=Person.objects.create(family_name="Lê", given_name="Xa", sex="F"),
        organization=world.cell_a, status="official", card_number="KC-888",
    )  # fmt: skip
    own = glass.open_glass(other, reason=REASON, hours=1, card_number="KC-888")
    Grant.objects.create(user=other, organization=world.province, role=Role.HEAD)
    other = type(other).objects.get(pk=other.pk)
    with translation.override("en"), pytest.raises(glass.GlassError, match="own"):
        glass.review_glass(other, own, justified=True, note="")
