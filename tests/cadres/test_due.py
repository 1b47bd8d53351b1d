"""The worker tells the cadre officers once before a conclusion a post or an entry depends on
expires, with the configured lead time, from what vetting recorded."""

from __future__ import annotations

import datetime as dt

from hoso.cadres import actions
from hoso.notices.due import run_once
from hoso.notices.models import Notification
from tests.cadres.helpers import cadre, concluded, entry, kind, plan, post, rule
from tests.conftest import Personas, World
from tests.vetting.office import D, Office

ENDS = D(2027, 4, 20)  # signed 20/04/2026, serving 12 months


def _told(prefix: str) -> set[tuple[int, str]]:
    return set(Notification.objects.filter(key__startswith=prefix).values_list("user_id", "text"))


def test_a_key_post_is_reminded_once_before_its_conclusion_ends(
    office: Office, world: World, personas: Personas
) -> None:
    post(office, cadre(office, world))
    concluded(office, world, months=12)
    warned = ENDS - dt.timedelta(days=60)
    assert run_once(warned - dt.timedelta(days=1)).by_source["cadre-conclusion"] == (0, 0)
    claimed, told = run_once(warned).by_source["cadre-conclusion"]
    assert claimed == 1
    people = {user for user, _text in _told("cadre-conclusion:")}
    assert people == {office.officer.pk, office.officer2.pk, office.officer3.pk,
                      office.head.pk, personas.officer_a.pk}  # fmt: skip
    assert told == len(people)
    assert run_once(warned).by_source["cadre-conclusion"] == (0, 0)  # once
    assert run_once(ENDS).by_source["cadre-conclusion"] == (0, 0)
    text = next(iter(_told("cadre-conclusion:")))[1]
    assert "20/04/2027" in text and "Trần Thị Hoà" in text


def test_the_lead_time_is_configured(office: Office, world: World) -> None:
    post(office, cadre(office, world))
    concluded(office, world, months=12)
    rule(lead_days=10)
    assert run_once(ENDS - dt.timedelta(days=11)).by_source["cadre-conclusion"] == (0, 0)
    assert run_once(ENDS - dt.timedelta(days=10)).by_source["cadre-conclusion"][0] == 1


def test_only_posts_and_entries_that_depend_on_it(office: Office, world: World) -> None:
    record = cadre(office, world)
    held = post(office, record, kind=kind("T_THUONG", key=False, mode="appointed"),
                elected_body="", term="")  # fmt: skip
    listed = plan(office, world, ends_on=D(2027, 1, 1))  # no longer in use by then
    entry(office, listed)
    concluded(office, world, months=12)
    assert run_once(ENDS).by_source["cadre-conclusion"] == (0, 0)  # an ordinary post
    assert run_once(ENDS).by_source["entry-conclusion"] == (0, 0)
    actions.records.end_post(office.officer, held, ended_on=D(2026, 6, 1))


def test_an_entry_is_reminded_once(office: Office, world: World) -> None:
    cadre(office, world)
    listed = plan(office, world)
    entry(office, listed)
    concluded(office, world, months=12)
    assert run_once(ENDS - dt.timedelta(days=60)).by_source["entry-conclusion"][0] == 1
    assert run_once(ENDS - dt.timedelta(days=59)).by_source["entry-conclusion"] == (0, 0)
    assert run_once(ENDS + dt.timedelta(days=1)).by_source["entry-conclusion"][0] == 1  # ended
    assert run_once(ENDS + dt.timedelta(days=2)).by_source["entry-conclusion"] == (0, 0)
    texts = {text for _user, text in _told("entry-conclusion:")}
    assert any(listed.name in text and "hết giá trị" in text for text in texts)
