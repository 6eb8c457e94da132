from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from quantriet.core.files import KINDS
from quantriet.core.text import SEARCH_MAX
from quantriet.org.forms import BootstrapMixin, DateInput
from quantriet.org.models import Organization

from .models import Digest, DocType, Document
from .symbols import parse_symbol


class DocumentFilterForm(forms.Form):
    """The search box and type filter of the document list (GET)."""

    q = forms.CharField(required=False, label="Tìm văn bản")
    loai = forms.ChoiceField(required=False, label="Loại văn bản", choices=[("", "Tất cả các loại")] + DocType.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {
                "class": "form-control",
                "type": "search",
                "placeholder": "Số, ký hiệu, trích yếu, nội dung…",
                "maxlength": SEARCH_MAX,
                "title": "Gõ có dấu hay không dấu đều được",
            }
        )
        self.fields["loai"].widget.attrs["class"] = "form-select"

    def filter(self, documents):
        """DOCUMENTS narrowed by the valid parts of the query (an unknown type is ignored)."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            documents = documents.search(data["q"])
        if data.get("loai"):
            documents = documents.filter(doc_type=data["loai"])
        return documents


class DocumentForm(BootstrapMixin, forms.ModelForm):
    """A document with its "số, ký hiệu" typed as one text (e.g. 28-CT/TU)."""

    symbol = forms.CharField(
        label="Số, ký hiệu",
        max_length=40,
        help_text="Ghi như trên văn bản, ví dụ 28-CT/TU, 57-NQ/TW, 60-CTr/TU.",
    )

    class Meta:
        model = Document
        fields = ["symbol", "doc_type", "title", "issuing_org", "issuer_name", "issued_on", "signer", "body"]
        widgets = {
            "issued_on": DateInput(),
            "title": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {"doc_type": "Để trống để suy ra từ ký hiệu (CT → Chỉ thị, NQ → Nghị quyết…)."}

    def __init__(self, *args, orgs, allow_outside: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["symbol"] = self.instance.symbol
            orgs = orgs | Organization.objects.filter(pk=self.instance.issuing_org_id)
        self.fields["doc_type"].required = False
        self.fields["doc_type"].choices = [("", "— Suy ra từ ký hiệu —")] + DocType.choices
        self.fields["issuer_name"].required = False
        self.fields["issuer_name"].help_text = "Ví dụ “Ban Thường vụ Tỉnh ủy”; để trống sẽ lấy tên tổ chức ban hành."
        org_field = self.fields["issuing_org"]
        org_field.queryset = orgs.order_by("path")
        org_field.required = not allow_outside
        org_field.empty_label = "— Trung ương / cơ quan ngoài hệ thống —" if allow_outside else "— Chọn tổ chức —"

    def clean_symbol(self):
        text = self.cleaned_data["symbol"]
        parse_symbol(text)  # the parser's own Vietnamese message on a bad symbol
        return text

    def clean(self):
        data = super().clean()
        if not data.get("issuer_name"):
            org = data.get("issuing_org")
            if org is None:
                self.add_error("issuer_name", "Hãy ghi cơ quan ban hành (ví dụ Bộ Chính trị, Ban Bí thư).")
            else:
                data["issuer_name"] = org.name
                self.instance.issuer_name = org.name
        return data


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="Tệp đính kèm (.pdf hoặc .docx)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(KINDS)
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = f"Tối đa {limit} MB. Nội dung tệp được trích xuất để tìm kiếm."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(tuple(KINDS)):
            raise ValidationError(f"Chỉ nhận tệp {', '.join(KINDS)}; tệp “{upload.name}” không được chấp nhận.")
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            raise ValidationError(f"Tệp “{upload.name}” quá lớn (tối đa {limit} MB).")
        return upload


class DigestForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Digest
        fields = ["title", "key_points"]
        widgets = {"key_points": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "key_points": "Mỗi ý một dòng: ngắn gọn, dễ hiểu, dễ nhớ, dễ thực hiện — nói rõ ai làm gì, khi nào."
        }
