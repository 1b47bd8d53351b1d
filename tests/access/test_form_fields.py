"""The shared form fields (`hoso.access.forms`): dates within a plausible range, numbers within
bounds, classifications up to the user's clearance; and every form of hoso uses them (issue 10).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.utils import timezone, translation

import hoso
from hoso.access.forms import ClassificationField, DateField
from hoso.access.roles import Clearance
from hoso.lib.bounds import EARLIEST_DOCUMENT


class Sample(forms.Form):
    day = DateField()
    born = DateField(future=dt.timedelta(0), required=False)
    issued = DateField(earliest=EARLIEST_DOCUMENT, required=False)
    level = ClassificationField()


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    """The messages are asserted in Vietnamese: say so, rather than inherit the language an
    earlier test's request left active."""
    with translation.override("vi"):
        yield


def _errors(data: dict[str, Any], ceiling: int = Clearance.TOP_SECRET) -> dict[str, Any]:
    form = Sample({"day": "2026-01-05", "level": "0", **data})
    level = form.fields["level"]
    assert isinstance(level, ClassificationField)
    level.limit_to(ceiling)
    form.is_valid()
    return dict(form.errors)


def test_plausible_dates_pass_and_implausible_ones_are_form_errors() -> None:
    today = timezone.localdate()
    assert _errors({}) == {}
    assert _errors({"day": (today + dt.timedelta(days=300)).isoformat()}) == {}
    for day in ("9999-12-31", "0001-01-01", "1899-12-31"):
        assert "Nhập ngày từ 01/01/1900" in str(_errors({"day": day})["day"]), day
    assert "born" in _errors({"born": (today + dt.timedelta(days=1)).isoformat()})
    assert "issued" in _errors({"issued": "1929-12-31"})
    assert _errors({"issued": "1930-01-01"}) == {}


def test_a_classification_above_the_ceiling_is_not_offered_and_is_a_form_error() -> None:
    form = Sample()
    level = form.fields["level"]
    assert isinstance(level, ClassificationField)
    level.limit_to(Clearance.CONFIDENTIAL)
    assert [value for value, _ in level.choices] == [0, 1]
    errors = _errors({"level": "2"}, ceiling=Clearance.CONFIDENTIAL)
    assert "cao hơn mức được tiếp cận bí mật của bạn" in str(errors["level"])
    assert _errors({"level": "1"}, ceiling=Clearance.CONFIDENTIAL) == {}
    assert "level" in _errors({"level": "9"})  # not a level at all: the usual choice error


def _hoso_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(hoso.__path__, "hoso."):
        if ".migrations" not in module.name and module.name.rsplit(".", 1)[-1] in {
            "forms",
            "filters",
            "views",
        }:
            importlib.import_module(module.name)
    found, todo = [], list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("hoso.") and hasattr(cls, "base_fields"):
            found.append(cls)
    return found


FORMS = _hoso_forms()


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"{f.__module__}.{f.__qualname__}")
def test_every_form_bounds_its_dates_numbers_and_classifications(form: type[Any]) -> None:
    for name, field in form.base_fields.items():
        where = f"{form.__module__}.{form.__qualname__}.{name}"
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            assert isinstance(field, DateField), where
        if name == "classification":
            assert isinstance(field, ClassificationField), where
        if isinstance(field, forms.IntegerField) and field.max_value is None:
            # A model form's field may be bounded in __init__ (bound_number): check an instance.
            assert _instance(form).fields[name].max_value is not None, where


def _instance(form: type[Any]) -> forms.BaseForm:
    import inspect

    from django.contrib.auth.models import AnonymousUser

    wanted = inspect.signature(form.__init__).parameters
    kwargs: dict[str, Any] = {}
    for name in ("actor", "candidates", "choices", "move", "outcomes"):
        if name in wanted:
            kwargs[name] = {"actor": AnonymousUser(), "candidates": None}.get(name, [])
    return form(**kwargs)  # type: ignore[no-any-return]


def test_the_walk_found_the_forms() -> None:
    names = {f.__qualname__ for f in FORMS}
    assert {"OutgoingForm", "IncomingForm", "CaseForm", "IntakeForm", "TripForm"} <= names
    assert {"PersonForm", "MatterForm", "DocumentForm", "DayForm", "AuditFilterForm"} <= names
