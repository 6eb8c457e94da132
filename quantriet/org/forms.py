from django import forms
from django.conf import settings

from .models import Organization


class RosterUploadForm(forms.Form):
    org = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Chỉ nhập vào tổ chức",
        empty_label="— Toàn bộ phạm vi được giao —",
        help_text="Mọi chi bộ trong tệp phải thuộc tổ chức này.",
    )
    file = forms.FileField(label="Tệp danh sách (.xlsx hoặc .csv)")

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs.exclude(kind__in=["chi_bo", "chi_bo_co_so"]).order_by("path")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv theo mẫu.")
        if upload.size > settings.ROSTER_MAX_BYTES:
            raise forms.ValidationError(f"Tệp quá lớn (tối đa {settings.ROSTER_MAX_BYTES // (1024 * 1024)} MB).")
        return upload
