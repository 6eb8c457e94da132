from django import forms

from quantriet.core.numbers import VnDecimalField, VnIntegerField

from .components import COMPONENTS

WEIGHT_PREFIX = "w_"


class ConfigForm(forms.Form):
    """A plan's weights (0–100 each, not all zero) and its two "làm lướt" thresholds."""

    margin = VnDecimalField(
        label="Gắn cờ làm lướt khi thấp hơn cấp trên quá (điểm)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        error_messages={"min_value": "Từ 0 đến 100 điểm.", "max_value": "Từ 0 đến 100 điểm."},
    )
    floor = VnDecimalField(
        label="Gắn cờ làm lướt khi chỉ số dưới",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        error_messages={"min_value": "Từ 0 đến 100.", "max_value": "Từ 0 đến 100."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for component in COMPONENTS:
            self.fields[WEIGHT_PREFIX + component.key] = VnIntegerField(
                label=component.label,
                min_value=0,
                max_value=100,
                error_messages={"min_value": "Trọng số từ 0 đến 100.", "max_value": "Trọng số từ 0 đến 100."},
            )

    @staticmethod
    def initial_for(settings) -> dict:
        weights = {WEIGHT_PREFIX + key: value for key, value in settings.weights.items()}
        return {"margin": settings.margin, "floor": settings.floor, **weights}

    def weight_fields(self):
        return [self[WEIGHT_PREFIX + c.key] for c in COMPONENTS]

    def weights(self) -> dict:
        return {c.key: self.cleaned_data[WEIGHT_PREFIX + c.key] for c in COMPONENTS}

    def clean_margin(self):
        return float(self.cleaned_data["margin"])  # stored in a FloatField

    def clean_floor(self):
        return float(self.cleaned_data["floor"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.weights().values()):
            raise forms.ValidationError("Phải có ít nhất một thành phần có trọng số lớn hơn 0.")
        return cleaned
