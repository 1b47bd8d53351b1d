"""`hoso files verify`: every stored file checked against the SHA-256 its record holds.

Every file field of every model keeps the hash of its bytes beside it (`sha256` beside `file`,
`<name>_sha256` beside any other name): tests/audit/test_files.py fails for a field without
one, so a new kind of upload cannot escape the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from hoso.lib import files


@dataclass(frozen=True)
class Stored:
    model: type[models.Model]
    field: str
    hash_field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


@dataclass(frozen=True)
class Problem:
    label: str
    pk: object
    name: str
    problem: str  # "missing" or "altered"

    def line(self) -> str:
        return f"{self.label} #{self.pk} {self.name}: {self.problem}"


def hash_field_of(field: models.FileField) -> str:
    return "sha256" if field.name == "file" else f"{field.name}_sha256"


def stored() -> list[Stored]:
    """Every file field of the project's models, with the field holding its hash."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                found.append(Stored(model, field.name, hash_field_of(field)))
    return found


def _checked(kind: Stored) -> Iterator[Problem | None]:
    """Each file of the kind: None when its bytes are those recorded, else what is wrong."""
    rows = kind.model._default_manager.exclude(**{kind.field: ""}).values_list(
        "pk", kind.field, kind.hash_field
    )
    storage = kind.model._meta.get_field(kind.field).storage  # type: ignore[union-attr]
    for pk, name, expected in rows.order_by("pk").iterator(chunk_size=2000):
        if not storage.exists(name):
            yield Problem(kind.label, pk, name, "missing")
            continue
        with storage.open(name, "rb") as handle:
            same = files.sha256(handle) == expected  # as the upload was hashed
        yield None if same else Problem(kind.label, pk, name, "altered")


def verify() -> tuple[int, list[Problem]]:
    """(files checked, the ones missing or whose bytes are not those recorded)."""
    checked, problems = 0, []
    for kind in stored():
        for problem in _checked(kind):
            checked += 1
            if problem is not None:
                problems.append(problem)
    return checked, problems
