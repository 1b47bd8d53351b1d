"""Who sees a case: scope, clearance, and restricted cases (team and heads above only)."""

from __future__ import annotations

from hoso.access.roles import Clearance, Role
from hoso.vetting import actions
from hoso.vetting.models import Case, VerificationRequest
from tests.conftest import Personas, World, client_for, make_user
from tests.vetting.office import Office, issue, open_case, to_verifying


def test_an_officer_of_another_commune_cannot_see_or_guess_a_case(
    office: Office, world: World, personas: Personas
) -> None:
    case = to_verifying(office, open_case(office, world))
    (request,) = issue(office, case)
    stranger = client_for(personas.officer_b)  # officer of commune B, same clearance
    for url in (
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/requests/",
        f"/cases/requests/{request.pk}/",
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/verification-requests/{request.pk}/",
    ):
        assert stranger.get(url).status_code == 404, url
    # A number never used answers exactly the same.
    assert stranger.get(f"/cases/{case.pk + 1000}/").status_code == 404
    assert stranger.post(f"/cases/{case.pk}/move/", {"move": "compile"}).status_code == 404
    listing = stranger.get("/cases/?queue=open").content.decode()
    assert "TRẦN THỊ HOÀ" not in listing and "Trần Thị Hoà" not in listing
    assert stranger.get("/api/v1/cases/?queue=open").json()["results"] == []
    assert not Case.objects.visible_to(personas.officer_b).exists()
    assert not VerificationRequest.objects.visible_to(personas.officer_b).exists()
    # The province head above both communes sees it.
    assert client_for(personas.head_p).get(f"/cases/{case.pk}/").status_code == 200


def test_a_restricted_case_is_for_its_team_and_the_heads_above(
    office: Office, world: World, personas: Personas
) -> None:
    case = open_case(office, world, restricted=True)
    outsider = make_user("officer_a9", world.commune_a, Role.OFFICER, Clearance.CONFIDENTIAL)
    assert Case.objects.visible_to(office.officer).filter(pk=case.pk).exists()  # in charge
    assert not Case.objects.visible_to(office.officer2).filter(pk=case.pk).exists()
    assert client_for(outsider).get(f"/cases/{case.pk}/").status_code == 404
    actions.cases.set_team(office.head, case, [office.officer2, office.officer3], office.officer2)
    assert Case.objects.visible_to(office.officer2).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(office.head).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(personas.head_p).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(outsider).exists()


def test_clearance_limits_what_is_seen(office: Office, world: World) -> None:
    secret = open_case(office, world, classification=Clearance.SECRET, opened_by=office.head)
    assert secret.classification == Clearance.SECRET
    assert not Case.objects.visible_to(office.officer).filter(pk=secret.pk).exists()
    assert Case.objects.visible_to(office.head).filter(pk=secret.pk).exists()


def test_a_records_clerk_has_no_vetting_work(office: Office, world: World) -> None:
    case = open_case(office, world)
    assert client_for(office.clerk).get(f"/cases/{case.pk}/").status_code == 404
    assert client_for(office.clerk).get("/cases/").status_code == 404
