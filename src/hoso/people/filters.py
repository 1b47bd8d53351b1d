"""The member list's filters, shared by the web page, the Excel export and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hoso.access.querysets import paths_of, within
from hoso.orgs.models import Organization
from hoso.people.models import Member, MemberStatus
from hoso.people.search import search_members


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, citizen ID, old ID or card number"),
        required=False,
        max_length=200,
        strip=False,
    )
    org = forms.CharField(
        label=_("Organization code (with its units)"), required=False, max_length=32
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("current members")), ("all", _("all")), *MemberStatus.choices],
    )

    def apply(self, qs: QuerySet[Member], user: Any) -> QuerySet[Member]:
        """Narrow an already scoped queryset; unknown or foreign codes match nothing."""
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["org"]:
            node = (
                Organization.objects.visible_to(user)
                .filter(code=data["org"].strip().upper())
                .first()
            )
            if node is None:
                return qs.none()
            deeper = tuple(path for path in paths_of(qs) if path.startswith(node.path))
            qs = within(qs.filter(org_path__startswith=node.path), deeper or (node.path,))
        if data["status"] == "":
            from hoso.people.models import ACTIVE_STATUSES

            qs = qs.filter(status__in=ACTIVE_STATUSES)
        elif data["status"] != "all":
            qs = qs.filter(status=data["status"])
        return search_members(qs, data["q"])
