"""Forms of the rubric page: one formset of criteria, one of grade bands (Vietnamese messages).

Field rules live here; the rules across rows (at least one criterion, distinct bands, a band at
0 %) are the service's (`services.check_criteria`, `services.check_bands`), called by the
formsets' clean so the page shows them above the table.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory

from quantriet.core.numbers import VnDecimalField, VnIntegerField

from . import services

NUMBER_MESSAGES = {
    "required": "Hãy nhập một số.",
    "invalid": "Hãy nhập một số (ví dụ 2,5).",
    "max_digits": "Số quá lớn.",
    "max_whole_digits": "Số quá lớn.",
}


class _StyledForm(forms.Form):
    """Bootstrap classes on every input, and is-invalid on those with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            css = "form-check-input" if name == "DELETE" else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class CriterionForm(_StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Tiêu chí", max_length=200, error_messages={"required": "Hãy nhập tên tiêu chí."})
    description = forms.CharField(
        label="Mô tả", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_points = VnDecimalField(
        label="Điểm tối đa",
        max_digits=5,
        decimal_places=1,
        error_messages=NUMBER_MESSAGES | {"max_decimal_places": "Điểm tối đa có nhiều nhất một chữ số thập phân."},
    )
    order = VnIntegerField(
        label="Thứ tự",
        required=False,
        min_value=0,
        max_value=999,
        error_messages={
            "invalid": "Thứ tự là một số nguyên.",
            "min_value": "Thứ tự từ 0.",
            "max_value": "Thứ tự đến 999.",
        },
    )

    def clean_max_points(self):
        value = self.cleaned_data["max_points"]
        if value is not None and value <= 0:
            raise ValidationError("Điểm tối đa phải lớn hơn 0.")
        return value


class BandForm(_StyledForm):
    label = forms.CharField(label="Xếp loại", max_length=40, error_messages={"required": "Hãy nhập tên mức."})
    min_percent = VnDecimalField(
        label="Từ (% tổng điểm)",
        max_digits=5,
        decimal_places=2,
        error_messages=NUMBER_MESSAGES | {"max_decimal_places": "Ngưỡng có nhiều nhất hai chữ số thập phân."},
    )

    def clean_min_percent(self):
        value = self.cleaned_data["min_percent"]
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            raise ValidationError("Ngưỡng phải từ 0 đến 100 (%).")
        return value


class _RowsFormSet(BaseFormSet):
    """A formset whose rows are the filled, not deleted forms; cross-row rules in `check`."""

    check = None

    def rows(self) -> list[dict]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            rows.append({k: v for k, v in data.items() if k != "DELETE"})
        return rows

    def clean(self):
        if any(self.errors):
            return
        type(self).check(self.rows())


class BaseCriterionFormSet(_RowsFormSet):
    check = staticmethod(services.check_criteria)

    def rows(self) -> list[dict]:
        rows = super().rows()
        highest = max((row["order"] or 0 for row in rows), default=0)
        for row in rows:
            if row["order"] is None:  # a new criterion without a number goes last
                highest += 1
                row["order"] = highest
        return rows


class BaseBandFormSet(_RowsFormSet):
    check = staticmethod(services.check_bands)


CriterionFormSet = formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True, max_num=services.MAX_CRITERIA
)
BandFormSet = formset_factory(BandForm, formset=BaseBandFormSet, extra=1, can_delete=True, max_num=services.MAX_BANDS)
