"""Many officers issuing verification requests at once never share or skip a number."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from hoso.documents.models import OutgoingDocument
from hoso.vetting.models import VerificationRequest
from hoso.vetting.verification import Target
from tests.conftest import World
from tests.vetting.office import D, Office, issue, open_case, to_verifying


@pytest.mark.django_db(transaction=True)
def test_parallel_request_numbers_never_duplicate(
    transactional_db: Any, world: World, office: Office
) -> None:
    cases = [to_verifying(office, open_case(office, world)) for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(cases))

    def officer_at_work(case: Any) -> None:
        try:
            start.wait()
            for day in range(12, 17):
                issue(
                    office,
                    case,
                    targets=[Target(person=case.person), Target(relative=office.father)],
                    addressees=[office.police, office.committee],
                    sent_on=D(2026, 3, day),
                )
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer_at_work, args=(c,)) for c in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    numbers = sorted(OutgoingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 81))  # 4 officers x 5 rounds x 2 persons x 2 addressees
    assert VerificationRequest.objects.count() == 80
    references = set(OutgoingDocument.objects.values_list("reference", flat=True))
    assert len(references) == 80 and "80-PYC/ĐU" in references
