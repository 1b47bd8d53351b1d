from __future__ import annotations

import pytest
from django.db import models

from hoso.people import bulk
from hoso.people.models import Member, Person
from tests.conftest import World


def _required(model: type[models.Model]) -> set[str]:
    return {f.column for f in model._meta.concrete_fields if not f.null}


def test_bulk_columns_cover_every_not_null_column() -> None:
    """Bulk loads bypass the models: a new NOT NULL field must be added to bulk.py."""
    assert _required(Person) <= set(bulk.PERSON_COLUMNS)
    assert _required(Member) <= set(bulk.MEMBER_COLUMNS)
    assert set(bulk.PERSON_COLUMNS) <= {f.column for f in Person._meta.concrete_fields}
    assert set(bulk.MEMBER_COLUMNS) <= {f.column for f in Member._meta.concrete_fields}


@pytest.mark.audit_guard_off  # writes through the bulk writer itself, as importers do
@pytest.mark.counts_stale  # the bulk rows bypass the models' member counts, as imports' do
def test_bulk_rows_equal_rows_saved_by_the_models(world: World) -> None:
    saved = Person.objects.create(
        family_name="Tôn Nữ",
        middle_name="Thị",
        given_name="Hoà",
        sex="F",
        other_names="Bé, Út",
        citizen_id="046190000001",
    )
    member = Member.objects.create(person=saved, organization=world.cell_a, status="official")
    pid, mid = bulk.reserve_ids("people_person", 1)[0], bulk.reserve_ids("people_member", 1)[0]
    person = bulk.person_values(
        {
            "id": pid,
            "family_name": "Tôn Nữ",
            "middle_name": "Thị",
            "given_name": "Hoà",
            "sex": "F",
            "other_names": "Bé, Út",
        }
    )
    bulk.write("people_person", bulk.PERSON_COLUMNS, [person])
    bulk.write(
        "people_member",
        bulk.MEMBER_COLUMNS,
        [
            bulk.member_values(
                {"id": mid, "organization_id": world.cell_a.pk, "status": "official"},
                person,
                world.cell_a.path,
            )
        ],
    )
    copy = Member.objects.get(pk=mid)
    assert copy.search_text == member.search_text
    assert bytes(copy.sort_key) == bytes(member.sort_key)
    assert copy.person.name_folded == saved.name_folded
    # The model path still works after ids were taken in bulk.
    later = Person.objects.create(family_name="Lê", given_name="Ba", sex="M")
    assert later.pk > pid
