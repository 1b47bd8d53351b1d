"""The one change the web app makes itself: an item of a catalogue (the catalogues belong to
their apps, the page that edits them all to web, see `hoso.web.catalogues`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models, transaction

from hoso.access import policy
from hoso.access.models import User
from hoso.audit import events
from hoso.audit.chain import record


def save_catalogue_item(actor: User, name: str, form: forms.ModelForm[Any]) -> models.Model:
    """A catalogue item added or changed from a validated form: national administrators only."""
    policy.require_national(actor, policy.Action.CONFIG_MANAGE)
    with transaction.atomic():
        item: models.Model = form.save()
        record(
            events.CATALOGUE_CHANGED.code,
            actor=actor,
            details={
                "catalogue": name,
                "id": item.pk,
                "values": {k: str(v) for k, v in form.cleaned_data.items()},
            },
        )
    return item
