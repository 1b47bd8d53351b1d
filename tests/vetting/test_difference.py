"""Re-vetting by difference: the earlier conclusion and what was recorded since its date."""

from __future__ import annotations

from django.utils import timezone

from hoso.people.models import AnnualSupplement, MemberEvent, Relative
from hoso.travel import actions
from hoso.vetting import difference
from tests.conftest import World
from tests.vetting.office import D, Office, conclude, open_case, proposed_with_reply


def _concluded(office: Office, world: World) -> object:
    return conclude(office, proposed_with_reply(office, world), signed_on=D(2026, 4, 20))


def test_nothing_to_show_without_an_earlier_conclusion(office: Office, world: World) -> None:
    assert difference.since(office.member.person, office.officer) is None


def test_what_was_recorded_since_the_last_conclusion(office: Office, world: World) -> None:
    first = _concluded(office, world)
    # Recorded before the conclusion: not shown. After: shown.
    AnnualSupplement.objects.create(
        member=office.member,
        year=2025,
        declared_on=D(2026, 1, 15),
        changes="Không thay đổi",
        recorded_by=office.officer,
    )
    AnnualSupplement.objects.create(
        member=office.member,
        year=2026,
        declared_on=D(2026, 6, 2),
        changes="Con trai đi du học Nhật Bản",
        recorded_by=office.officer,
    )
    MemberEvent.objects.create(
        member=office.member,
        kind="suspension",
        date=D(2026, 7, 1),
        organization=world.cell_a,
        decision_number="3-QĐ/CB",
        recorded_by=office.officer,
    )
    Relative.objects.filter(pk=office.father.pk).update(recorded_at=timezone.now())
    actions.request_trip(
        office.officer,
        office.member,
        purpose="private",
        countries="Lào",
        planned_from=D(2026, 6, 1),
        planned_to=D(2026, 6, 5),
        funding="self",
        passport_type="ordinary",
        requested_on=D(2026, 5, 10),
    )
    second = open_case(office, world, received_on=D(2026, 8, 3), request_date=D(2026, 8, 1))
    found = difference.since(office.member.person, office.officer, before=second)
    assert found is not None and found.conclusion == first
    sections = dict(found.sections)
    assert [text for _d, text in sections["Phiếu bổ sung hồ sơ"]] == [
        "2026: Con trai đi du học Nhật Bản"
    ]
    assert sections["Sự kiện đảng tịch và kỷ luật"] == [
        (D(2026, 7, 1), "Đình chỉ sinh hoạt 3-QĐ/CB")
    ]
    assert sections["Ra nước ngoài, quan hệ nước ngoài"] == [
        (D(2026, 5, 10), "Lào (Việc riêng), Đã đề nghị")
    ]
    names = [text for _d, text in sections["Lý lịch: thân nhân được ghi thêm"]]
    assert names == ["Bố đẻ: Trần Văn Bình", "Mẹ đẻ: Lê Thị Cúc"]  # recorded "today", after April


def test_the_new_case_page_shows_the_earlier_conclusion(office: Office, world: World) -> None:
    from tests.conftest import client_for

    _concluded(office, world)
    page = client_for(office.officer).get(f"/cases/new/?member={office.member.pk}")
    text = page.content.decode()
    assert "Kết luận số 15-KL/ĐU ngày 20/04/2026" in text
    assert "Đủ tiêu chuẩn chính trị" in text


def test_long_stays_abroad_recorded_since_the_conclusion(office: Office, world: World) -> None:
    import datetime as dt

    from hoso.travel.models import Stay
    from tests.travel.test_stays import record as record_stay

    _concluded(office, world)  # signed 20/4/2026
    before = record_stay(office, country="Pháp", since=D(2025, 1, 5))
    long_ago = timezone.make_aware(dt.datetime(2025, 1, 6, 9))
    Stay.objects.filter(pk=before.pk).update(created_at=long_ago)  # recorded before it: left out
    record_stay(office, since=D(2026, 5, 2), decision_date=D(2026, 4, 25))
    mistake = record_stay(office, country="Đức", since=D(2026, 6, 1))
    actions.cancel_stay(office.officer, mistake, reason="Ghi nhầm")
    second = open_case(office, world, received_on=D(2026, 8, 3), request_date=D(2026, 8, 1))
    found = difference.since(office.member.person, office.officer, before=second)
    assert found is not None
    assert dict(found.sections)["Công tác, học tập dài hạn ở nước ngoài"] == [
        (
            D(2026, 5, 2),
            "Học tập dài hạn: Nhật Bản, Đại học Tokyo (45-QĐ/UBND, Ủy ban nhân dân tỉnh);"
            " Chi bộ lưu học sinh tại Tokyo, Đảng bộ ngoài nước; dự kiến về 31/08/2028",
        )
    ]
    actions.record_return(office.officer, before, on=D(2026, 9, 1))  # came back since: shown
    found = difference.since(office.member.person, office.officer, before=second)
    assert found is not None
    rows = dict(found.sections)["Công tác, học tập dài hạn ở nước ngoài"]
    assert [text.split(":")[1].split(",")[0] for _d, text in rows] == [" Pháp", " Nhật Bản"]
    assert rows[0][1].endswith("đã về nước 01/09/2026")
