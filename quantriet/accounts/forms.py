from django import forms


class CodeForm(forms.Form):
    """A second-factor code: 6 digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        error_messages={"required": "Nhập mã gồm 6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục."},
    )
