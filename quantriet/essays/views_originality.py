"""Pages of the originality check: the sample library and the side-by-side view.

- The sample library (`samples`): listed and added by the propaganda staff and administrators of
  a top-level organisation (Role.PROPAGANDA / Role.ADMIN on a root); 403 for anyone else.
- The side-by-side view (`compare`): for whoever may grade the essay (`views._gradable_essay`, the
  class board's rule). The other text is a sample, one of the plan's documents, or an essay the
  verdict paired it with (else 404). An essay the viewer may not see is not shown: only the
  viewer's essay with its shared passages, and "một bài trong phạm vi khác".
All text is escaped before the <mark> tags are put around the shared passages.
"""

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from quantriet.core.files import extract_text
from quantriet.org.models import Organization, Role, has_role_on
from quantriet.originality.compare import fingerprint, shared_passages

from . import originality, views
from .models import Essay, EssayVerdict, SampleEssay

SAMPLE_ROLES = {Role.PROPAGANDA, Role.ADMIN}
KIND_ESSAY, KIND_SAMPLE, KIND_DOCUMENT = "bai", "mau", "van-ban"


def can_manage_samples(user) -> bool:
    return any(has_role_on(user, root, SAMPLE_ROLES) for root in Organization.objects.get_root_nodes())


# ---------------------------------------------------------------- the sample library


def _sample_from_post(request):
    title = request.POST.get("title", "").strip()
    upload = request.FILES.get("file")
    text = request.POST.get("text", "")
    if upload is not None:
        if not upload.name.lower().endswith(".docx"):
            raise ValidationError("Chỉ nhận nội dung gõ trực tiếp hoặc tệp Word .docx.")
        text = extract_text(upload.name, upload.read())
    if not title:
        raise ValidationError("Hãy nhập tiêu đề bài mẫu.")
    if len(text.split()) < 50:
        raise ValidationError("Bài mẫu quá ngắn (cần ít nhất 50 từ).")
    url = request.POST.get("source_url", "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError("Địa chỉ nguồn phải bắt đầu bằng http:// hoặc https://.")
    return title, text, url


@login_required
@require_http_methods(["GET", "POST"])
def samples(request):
    """Mẫu bài thu hoạch trên mạng: the library of sample essays, and a form to add one."""
    if not can_manage_samples(request.user):
        raise PermissionDenied("Chỉ cán bộ tuyên giáo, quản trị cấp tỉnh quản lý thư viện bài mẫu.")
    error = None
    if request.method == "POST":
        try:
            title, text, url = _sample_from_post(request)
            sample = originality.sample_add(request.user, title, text, url)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"Đã thêm bài mẫu “{sample.title}” vào thư viện.")
            return redirect("essays:samples")
    context = {"samples": SampleEssay.objects.select_related("uploaded_by")[:500], "error": error, "form": request.POST}
    return render(request, "essays/samples.html", context, status=400 if error else 200)


# ---------------------------------------------------------------- side by side


def highlight(text: str, spans, prefix: str) -> str:
    """TEXT escaped, with each (start, end, number) span wrapped in <mark>, line breaks as <br>."""
    out, last = [], 0
    for start, end, number in _merged(spans):
        out.append(_escaped(text[last:start]))
        out.append(f'<mark id="{prefix}-{number}" data-passage="{number}">{_escaped(text[start:end])}</mark>')
        last = end
    out.append(_escaped(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text went through escape()


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _merged(spans):
    """Spans sorted, overlapping ones joined (keeping the first's number)."""
    merged = []
    for start, end, number in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, number])
    return merged


def _other(request, essay, kind, other_pk):
    """(title, text or None when out of the viewer's sight, boilerplate) of the text to compare with."""
    reference = originality.plan_reference(essay.plan)
    if kind == KIND_SAMPLE:
        sample = get_object_or_404(SampleEssay, pk=other_pk)
        return f"Bài mẫu: {sample.title}", sample.text, reference, sample
    if kind == KIND_DOCUMENT:
        document = get_object_or_404(essay.plan.documents.all(), pk=other_pk)
        return f"Văn bản: {document}", document.body, frozenset(), document
    if kind == KIND_ESSAY:
        verdict = EssayVerdict.objects.filter(essay=essay).first()
        if verdict is None or other_pk not in {d["essay"] for d in verdict.duplicates}:
            raise Http404
        other = get_object_or_404(Essay.objects.filter(plan=essay.plan).select_related("member", "cell"), pk=other_pk)
        if not Essay.objects.visible_to(request.user).filter(pk=other.pk).exists():
            return "Một bài trong phạm vi khác", other.text, reference, None
        return f"Bài của {other.member.full_name} ({other.cell.name})", other.text, reference, other
    raise Http404


@login_required
@require_GET
def compare(request, essay_pk, kind, other_pk):
    """The essay and the text it matched, in two columns, the shared passages highlighted."""
    essay = views._gradable_essay(request, essay_pk)
    title, other_text, boilerplate, other = _other(request, essay, kind, other_pk)
    mine_fp = fingerprint(essay.text)
    other_fp = fingerprint(unicodedata.normalize("NFC", other_text or ""))
    passages = shared_passages(mine_fp, other_fp, boilerplate)
    hidden = kind == KIND_ESSAY and other is None
    context = {
        "essay": essay,
        "plan": essay.plan,
        "kind": kind,
        "title": title,
        "hidden": hidden,
        "passages": len(passages),
        "mine": highlight(mine_fp.text, [(p.a[0], p.a[1], i) for i, p in enumerate(passages, 1)], "a"),
        "theirs": None
        if hidden
        else highlight(other_fp.text, [(p.b[0], p.b[1], i) for i, p in enumerate(passages, 1)], "b"),
        "verdict": EssayVerdict.objects.filter(essay=essay).first(),
    }
    return render(request, "essays/compare.html", context)


urlpatterns = [
    path("mau-tren-mang/", samples, name="samples"),
    path("so-sanh/<int:essay_pk>/<str:kind>/<int:other_pk>/", compare, name="compare"),
]
