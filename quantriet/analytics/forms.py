from django import forms

from quantriet.core.numbers import VnDecimalField, VnIntegerField
from quantriet.study.models import Level

from .components import COMPONENTS

WEIGHT_PREFIX = "w_"
RECIPIENTS_PREFIX = "r_"
#: Longest "Nơi nhận:" list a level may set (a report's recipients fit on a page's corner).
MAX_RECIPIENTS = 15


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

    escalate_after_days = VnIntegerField(
        label="Báo lên cấp trên khi nhiệm vụ của chương trình hành động quá hạn quá (ngày)",
        required=False,
        min_value=0,
        max_value=365,
        help_text="Để trống: 7 ngày.",
        error_messages={"min_value": "Từ 0 đến 365 ngày.", "max_value": "Từ 0 đến 365 ngày."},
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
        for level in Level:
            name = RECIPIENTS_PREFIX + level.value
            self.fields[name] = forms.CharField(
                label=f"Nơi nhận — báo cáo của {level.label.lower()}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="Mỗi dòng một nơi nhận; {cap_tren} là cấp ủy cấp trên trực tiếp. Để trống: theo mặc định.",
            )
            setattr(self, f"clean_{name}", lambda name=name: self._clean_recipients(name))

    @staticmethod
    def initial_for(settings) -> dict:
        weights = {WEIGHT_PREFIX + key: value for key, value in settings.weights.items()}
        recipients = {RECIPIENTS_PREFIX + level: "\n".join(lines) for level, lines in settings.recipients.items()}
        return {
            "margin": settings.margin,
            "floor": settings.floor,
            "escalate_after_days": settings.escalate_after_days,
            **weights,
            **recipients,
        }

    def recipient_fields(self):
        return [self[RECIPIENTS_PREFIX + level.value] for level in Level]

    def recipients(self) -> dict:
        """Level → its lines; a level left blank keeps the default (report.default_recipients)."""
        found = {}
        for level in Level:
            lines = [line.strip() for line in self.cleaned_data[RECIPIENTS_PREFIX + level.value].splitlines()]
            if any(lines):
                found[level.value] = [line for line in lines if line]
        return found

    def _clean_recipients(self, name):
        lines = [line for line in self.cleaned_data[name].splitlines() if line.strip()]
        if len(lines) > MAX_RECIPIENTS:
            raise forms.ValidationError(f"Tối đa {MAX_RECIPIENTS} nơi nhận (đang có {len(lines)} dòng).")
        return self.cleaned_data[name]

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
