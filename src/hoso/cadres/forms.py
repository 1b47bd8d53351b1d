"""Forms of cadre work: the catalogues (edited on the shared catalogues page), the cadres
list's filters (shared by the page, the export and the API), category, post, end and
correction forms, and the lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from hoso.access import policy
from hoso.access.forms import DateField, DateInput, bound_number, bounded_dates
from hoso.cadres.models import (
    Cadre,
    CadreRule,
    ListKind,
    ListRule,
    ManagementCategory,
    Post,
    PostKind,
)
from hoso.cadres.reach import search
from hoso.orgs.forms import OrgPickerField, limit_orgs
from hoso.orgs.models import Organization

# ---- catalogues ---------------------------------------------------------------------------


class CategoryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ManagementCategory
        fields = ["code", "name", "level", "active", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "order", 0, 9999)


class PostKindForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PostKind
        fields = ["code", "name", "key", "secret", "mode", "active", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "order", 0, 9999)


class ListRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ListRule
        fields = ["kind", "case_types"]


class CadreRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CadreRule
        fields = ["lead_days", "post_case_types"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "lead_days", 1, 730)


# ---- the cadres list ----------------------------------------------------------------------

STATUS = [("", _("holding a post now")), ("former", _("former posts only")), ("all", _("all"))]


def _current(**kind: Any) -> Exists:
    return Exists(Post.objects.filter(cadre=OuterRef("pk"), ended_on__isnull=True, **kind))


class CadreFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or citizen ID"), required=False, max_length=200, strip=False)
    org = forms.CharField(
        label=_("Organization code (with its units)"), required=False, max_length=32
    )
    category = forms.ModelChoiceField(
        label=_("Management category"),
        queryset=ManagementCategory.objects.all(),
        required=False,
        empty_label=_("any"),
    )
    kind = forms.ModelChoiceField(
        label=_("Post kind"), queryset=PostKind.objects.all(), required=False, empty_label=_("any")
    )
    key = forms.BooleanField(label=_("Key posts"), required=False)
    secret = forms.BooleanField(label=_("Secret or important posts"), required=False)
    status = forms.ChoiceField(label=_("Posts"), choices=STATUS, required=False)

    def apply(self, qs: QuerySet[Cadre], user: Any) -> QuerySet[Cadre]:
        """Narrow an already scoped queryset; unknown or foreign codes match nothing."""
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["org"]:
            node = (
                Organization.objects.visible_to(user, policy.Action.CADRE_VIEW)
                .filter(code=data["org"].strip().upper())
                .first()
            )
            qs = qs.filter(org_path__startswith=node.path) if node else qs.none()
        if data["category"]:
            qs = qs.filter(category=data["category"])
        current: dict[str, Any] = {}
        if data["kind"]:
            current["kind"] = data["kind"]
        if data["key"]:
            current["kind__key"] = True
        if data["secret"]:
            current["kind__secret"] = True
        if data["status"] == "":
            qs = qs.filter(_current(**current))
        elif data["status"] == "former":
            qs = qs.filter(~_current()).filter(
                Exists(Post.objects.filter(cadre=OuterRef("pk"), **current))
            )
        elif current:
            qs = qs.filter(Exists(Post.objects.filter(cadre=OuterRef("pk"), **current)))
        return search(qs, data["q"])


# ---- a cadre's record ---------------------------------------------------------------------


class FindForm(forms.Form):
    """A member or cadre of the user's scope, by citizen ID or card number."""

    citizen_id = forms.CharField(label=_("Citizen ID (CCCD)"), required=False, max_length=12)
    card_number = forms.CharField(label=_("or Party card number"), required=False, max_length=32)


class KeptByForm(forms.Form):
    organization = OrgPickerField(label=_("Kept by"))

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.CADRE_MANAGE)


class CategorySetForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Management category"), queryset=ManagementCategory.objects.filter(active=True)
    )
    committee = OrgPickerField(
        label=_("Managing committee"),
        action=policy.Action.CADRE_MANAGE,
        above=True,
        required=False,
        help_text=_("Empty: the committee of the category's level above the person."),
    )
    since = DateField(label=_("In the category since"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)
    decision_on = DateField(label=_("Decision date"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committee = self.fields["committee"]
        assert isinstance(committee, OrgPickerField)
        committee.limit_to(actor)


class PostForm(forms.ModelForm):  # type: ignore[type-arg]
    organization = OrgPickerField(
        label=_("Party organization"),
        action=policy.Action.CADRE_MANAGE,
        above=True,
        required=False,
    )

    class Meta:
        model = Post
        formfield_callback = bounded_dates
        fields = [
            "kind",
            "title",
            "organization",
            "body",
            "elected_body",
            "term",
            "started_on",
            "decision_number",
            "decision_on",
        ]
        widgets = {"started_on": DateInput, "decision_on": DateInput}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ModelChoiceField)
        kind.queryset = PostKind.objects.filter(active=True)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Empty: the name of the post kind.")
        where = self.fields["organization"]
        assert isinstance(where, OrgPickerField)
        where.limit_to(actor)


class PostCorrectForm(PostForm):
    """Every recorded value of a post, with the reason for the correction."""

    reason = forms.CharField(label=_("Reason and document of the correction"), max_length=500)

    class Meta(PostForm.Meta):
        fields = [
            *PostForm.Meta.fields,
            "ended_on",
            "end_decision_number",
            "end_decision_on",
            "end_reason",
        ]
        widgets = {**PostForm.Meta.widgets, "ended_on": DateInput, "end_decision_on": DateInput}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ModelChoiceField)
        kind.queryset = PostKind.objects.all()  # the kind recorded may no longer be in use
        self.fields["title"].required = True


class CadreCorrectForm(forms.ModelForm):  # type: ignore[type-arg]
    committee = OrgPickerField(
        label=_("Managing committee"),
        action=policy.Action.CADRE_MANAGE,
        above=True,
        required=False,
    )
    reason = forms.CharField(label=_("Reason and document of the correction"), max_length=500)

    class Meta:
        model = Cadre
        formfield_callback = bounded_dates
        fields = ["committee", "category_since", "category_decision", "category_decision_on"]
        widgets = {"category_since": DateInput, "category_decision_on": DateInput}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committee = self.fields["committee"]
        assert isinstance(committee, OrgPickerField)
        committee.limit_to(actor)


class EndForm(forms.Form):
    ended_on = DateField(label=_("Ended on"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)
    decision_on = DateField(label=_("Decision date"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


# ---- lists -------------------------------------------------------------------------------

AHEAD = dt.timedelta(days=11 * 366)  # an election, the end of a term: years ahead


class PlanForm(forms.Form):
    organization = OrgPickerField(label=_("Organization"))
    kind = forms.ChoiceField(label=_("Kind of list"), choices=ListKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        help_text=_("e.g. Quy hoạch Ban Thường vụ Đảng ủy xã nhiệm kỳ 2025-2030"),
    )
    term = forms.CharField(
        label=_("Term"), max_length=32, required=False, help_text=_("For a planning list.")
    )
    election_on = DateField(
        label=_("Election or congress date"),
        required=False,
        help_text=_("For a candidacy list."),
        future=AHEAD,
    )
    post_level = forms.CharField(
        label=_("Post level or target posts"), max_length=255, required=False
    )
    case_types = forms.CharField(
        label=_("Case types whose conclusions serve"),
        max_length=255,
        required=False,
        help_text=_("Codes separated by commas; empty: the default of the kind of list."),
    )
    decision_number = forms.CharField(
        label=_("Approving decision number"), max_length=64, required=False
    )
    decision_on = DateField(label=_("Decision date"), required=False)
    ends_on = DateField(label=_("In use until"), required=False, future=AHEAD)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_orgs(self, "organization", actor, policy.Action.CADRE_MANAGE)


class EntryForm(forms.Form):
    target_post = forms.CharField(label=_("Target post"), max_length=255, required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decision_on = DateField(label=_("Decision date"))


class RemoveForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decision_on = DateField(label=_("Decision date"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class EntryFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("current entries")),
            ("without", _("without a conclusion in force")),
            ("expiring", _("conclusion expiring within")),
            ("removed", _("removed entries")),
        ],
    )
    days = forms.IntegerField(
        label=_("Expiring within (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": "60", "size": 5}),
    )
