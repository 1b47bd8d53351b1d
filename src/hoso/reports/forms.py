"""Editing report forms (configuration): the form's settings, its sections and their rows.
A row names a registered indicator and, when the indicator's categories are known, one of
them; anything else is refused here, before it could fill a table with nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hoso.access.forms import bound_number
from hoso.reports import indicators
from hoso.reports.models import FormRow, FormSection, ReportForm


class ReportFormForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ReportForm
        fields = ["code", "title", "summary", "cutoff_day", "due_days", "recipients", "active"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_number(self, "cutoff_day", 0, 28)
        bound_number(self, "due_days", 0, 90)
        if self.instance.pk:  # a submitted snapshot names its form by code
            self.fields["code"].disabled = True


class SectionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FormSection
        fields = ["order", "heading", "guidance"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, form: ReportForm | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if form is not None:
            self.instance.form = form
        bound_number(self, "order", 1, 99)
        if self.instance.pk:  # a draft's narrative is kept by section order
            self.fields["order"].disabled = True

    def clean_order(self) -> int:
        siblings = FormSection.objects.filter(form=self.instance.form)
        return _free_number(self, siblings, _("Another section has this number."))


def _free_number(form: forms.ModelForm, siblings: QuerySet[Any], taken: Any) -> int:  # type: ignore[type-arg]
    """The posted order number, refused when a sibling other than the edited one has it."""
    order: int = form.cleaned_data["order"]
    if siblings.filter(order=order).exclude(pk=form.instance.pk).exists():
        raise forms.ValidationError(taken)
    return order


def indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (str(section.title), [(i.code, f"{i.label} ({i.code})") for i in found])
        for section, found in indicators.by_section()
    ]


class RowForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FormRow
        fields = ["order", "label", "indicator", "value", "indent"]

    def __init__(self, *args: Any, section: FormSection | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if section is not None:
            self.instance.section = section
        self.fields["indicator"] = forms.ChoiceField(
            label=_("Indicator"), choices=indicator_choices()
        )
        self.fields["value"].label = _("Category of the figure")
        bound_number(self, "order", 1, 999)
        bound_number(self, "indent", 0, 3)

    def clean_order(self) -> int:
        siblings = FormRow.objects.filter(section=self.instance.section)
        return _free_number(self, siblings, _("Another row of this section has this number."))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        indicator = indicators.get(data.get("indicator", ""))
        value = (data.get("value") or "").strip()
        if indicator is None or not value:
            return data
        if not indicator.by:
            self.add_error("value", _("This indicator has no categories: leave it blank."))
        elif indicator.categories is not None and value not in indicator.categories():
            known = ", ".join(indicator.categories())
            self.add_error(
                "value", _("Not a category of this indicator. Known: %(known)s") % {"known": known}
            )
        data["value"] = value
        return data
