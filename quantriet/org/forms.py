from django import forms
from django.db.models import Q

from quantriet.core.sheets import SheetFileField

from .models import CELL_KINDS, Member, Organization, Title, TransferKind


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates can render fields with {{ field }}."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class RosterUploadForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Chỉ nhập vào tổ chức",
        empty_label="— Toàn bộ phạm vi được giao —",
        help_text="Mọi chi bộ trong tệp phải thuộc tổ chức này.",
    )
    file = SheetFileField(label="Tệp danh sách (.xlsx hoặc .csv)")

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs.exclude(kind__in=CELL_KINDS).order_by("path")


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input (the browser's date picker would show the locale of the device)."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class OrganizationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["code", "name", "kind", "valid_from"]
        widgets = {"valid_from": DateInput()}


class OrgMoveForm(BootstrapMixin, forms.Form):
    new_parent = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Chuyển về trực thuộc")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = targets


class OrgMergeForm(BootstrapMixin, forms.Form):
    successor = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Hợp nhất vào")
    on = forms.DateField(label="Ngày hợp nhất có hiệu lực", widget=DateInput())

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = targets


class MemberForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "card_number",
            "record_number",
            "date_of_birth",
            "gender",
            "ethnicity",
            "phone",
            "email",
            "joined_on",
            "official_on",
            "status",
        ]
        widgets = {f: DateInput() for f in ["date_of_birth", "joined_on", "official_on"]}


class MemberTransferForm(BootstrapMixin, forms.Form):
    to_cell = forms.ModelChoiceField(queryset=Organization.objects.none(), label="Chuyển đến chi bộ")
    on = forms.DateField(label="Ngày chuyển", widget=DateInput())
    kind = forms.ChoiceField(choices=TransferKind.choices, label="Hình thức")
    note = forms.CharField(label="Ghi chú", required=False, max_length=255)

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_cell"].queryset = cells


class PositionForm(BootstrapMixin, forms.Form):
    member_number = forms.CharField(label="Số thẻ hoặc số lý lịch của đảng viên", max_length=20)
    title = forms.ChoiceField(choices=Title.choices, label="Chức vụ")
    start = forms.DateField(label="Từ ngày", widget=DateInput())

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org

    def clean_member_number(self):
        number = self.cleaned_data["member_number"].strip().upper()
        member = Member.objects.in_subtree(self.org).filter(Q(card_number=number) | Q(record_number=number)).first()
        if member is None:
            raise forms.ValidationError("Không có đảng viên mang số này trong tổ chức.")
        return member


class PositionEndForm(BootstrapMixin, forms.Form):
    end = forms.DateField(label="Ngày cuối cùng giữ chức vụ", widget=DateInput())
