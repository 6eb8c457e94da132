"""Forms of the study plan pages: the fields the closing paragraph of Chỉ thị 28-CT/TU asks for."""

from decimal import Decimal, InvalidOperation

from django import forms

from quantriet.core.numbers import NumberError, format_integer, parse_amount
from quantriet.documents.models import Audience, Document
from quantriet.org.forms import BootstrapMixin, DateInput
from quantriet.org.models import Organization

from .models import LEVEL_OF_KIND, Level, StudyPlan

#: Levels from the top of the cascade down.
LEVEL_ORDER = list(Level)


def deadline_field_name(level) -> str:
    return f"deadline_{level}"


class VndField(forms.DecimalField):
    """An amount in đồng as people type it: "45.000.000", "45 000 000 đ" or "45000000" (core.numbers)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = parse_amount(value)
            except NumberError as error:
                raise forms.ValidationError(str(error)) from None
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)):
            try:
                return format_integer(int(value))
            except (InvalidOperation, ValueError):
                return value
        return value


class DocumentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        return f"{obj} ({obj.issued_on:%d/%m/%Y}) — {title}"


class CheckboxesMixin:
    """Checkbox widgets get Bootstrap's check classes, not BootstrapMixin's form-control."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, (forms.CheckboxSelectMultiple, forms.CheckboxInput)):
                field.widget.attrs["class"] = "form-check-input"


class StudyPlanForm(CheckboxesMixin, BootstrapMixin, forms.ModelForm):
    """Create or edit a draft plan. ISSUER is fixed (from the org page) or chosen among ISSUERS."""

    issuer = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Cấp ban hành", empty_label="— Chọn cấp ban hành —"
    )
    documents = DocumentChoiceField(
        queryset=Document.objects.none(),
        required=False,
        label="Văn bản cần học tập, quán triệt",
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices, required=False, label="Đối tượng học tập", widget=forms.CheckboxSelectMultiple
    )
    budget_amount = VndField(
        label="Kinh phí (đồng)",
        required=False,
        max_digits=14,
        decimal_places=0,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "ví dụ 45.000.000"}),
    )

    class Meta:
        model = StudyPlan
        fields = [
            "issuer",
            "symbol",
            "title",
            "documents",
            "form",
            "purpose",
            "content",
            "audiences",
            "materials",
            "budget_amount",
            "budget_note",
            "essay_audience",
            "essay_deadline",
            "quiz_required",
        ]
        widgets = {
            "essay_deadline": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "symbol": "Ví dụ 12-KH/BTGDVTU; có thể bổ sung sau.",
        }

    def __init__(self, *args, user, issuers=None, issuer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fixed_issuer = issuer or (self.instance.issuer if self.instance.pk else None)
        if self.fixed_issuer is not None:
            del self.fields["issuer"]
        else:
            self.fields["issuer"].queryset = issuers if issuers is not None else Organization.objects.none()
        self.fields["documents"].queryset = (
            Document.objects.visible_to(user).select_related("issuing_org").order_by("-issued_on", "-id")
        )
        self.fields["quiz_required"].widget.attrs["class"] = "form-check-input"
        self.level_fields = []
        for level in LEVEL_ORDER:
            name = deadline_field_name(level)
            self.fields[name] = forms.DateField(
                label=f"Hạn hoàn thành — {level.label}",
                required=False,
                widget=DateInput(),
                help_text="Bỏ trống nếu cấp này không tổ chức hội nghị riêng.",
            )
            self.fields[name].widget.attrs["class"] = "form-control"
            self.level_fields.append(name)
        if self.instance.pk:
            self.initial.setdefault("audiences", self.instance.audiences)
            for deadline in self.instance.deadlines.all():
                self.initial[deadline_field_name(deadline.level)] = deadline.deadline

    # -------------------------------------------------------------- layout helpers for the template

    def deadline_fields(self):
        return [self[name] for name in self.level_fields]

    def main_fields(self):
        skip = set(self.level_fields) | {"documents", "audiences", "quiz_required"}
        return [self[name] for name in self.fields if name not in skip]

    # -------------------------------------------------------------- validation

    @property
    def issuer_org(self):
        return self.fixed_issuer or self.cleaned_data.get("issuer")

    def deadlines(self) -> dict:
        """{level: date or None} from the cleaned data."""
        return {level: self.cleaned_data.get(deadline_field_name(level)) for level in LEVEL_ORDER}

    def clean(self):
        data = super().clean()
        issuer = self.issuer_org
        if issuer is not None:
            self._check_levels(issuer)
            self._check_documents(issuer, data.get("documents") or [])
        self._check_order()
        return data

    def _check_levels(self, issuer):
        """No deadline for a level above the issuer: it has no organisation of that level under it."""
        own = LEVEL_OF_KIND.get(issuer.kind)
        if own is None:
            return
        for level in LEVEL_ORDER[: LEVEL_ORDER.index(own)]:
            if self.cleaned_data.get(deadline_field_name(level)):
                self.add_error(
                    deadline_field_name(level),
                    f"{issuer.name} thuộc {own.label.lower()}; không đặt hạn cho cấp cao hơn cấp ban hành.",
                )

    def _check_order(self):
        """The cascade runs top-down: a lower level's deadline may not come before an upper level's."""
        latest_above, above_label = None, None
        for level in LEVEL_ORDER:
            name = deadline_field_name(level)
            day = self.cleaned_data.get(name)
            if not day:
                continue
            if latest_above and day < latest_above:
                self.add_error(
                    name,
                    f"Hạn của cấp dưới không được sớm hơn hạn của {above_label.lower()} "
                    f"({latest_above:%d/%m/%Y}): cấp trên học tập, quán triệt trước.",
                )
            if latest_above is None or day > latest_above:
                latest_above, above_label = day, level.label

    def _check_documents(self, issuer, documents):
        """Members of the issuer must be able to read each document: central, or issued at or above the issuer."""
        for document in documents:
            org = document.issuing_org
            if org is not None and not issuer.path.startswith(org.path):
                self.add_error(
                    "documents",
                    f"{document} do {org.name} ban hành; đảng viên của {issuer.name} không xem được văn bản này.",
                )
