"""Pages of the originality check: the sample library and the side-by-side view.

- The sample library (`samples`): listed and added by whoever holds `sample.manage` at the top of
  the tree (the province's propaganda staff and administrators); 403 for anyone else. The same
  people read a sample in full (`sample`; a missing one is a 404). The essays index and board link
  the library for them only.
- The side-by-side view (`compare`): for whoever may grade the essay (`essay.grade` on its cell).
  The other text is one of the plan's documents, an essay the verdict paired it with, or the
  sample the verdict names (else 404); a keeper of the library may compare with any sample
  (`access.access_sample`). An essay the viewer may not see is not shown: only the viewer's essay
  with its shared passages, and "một bài trong phạm vi khác".
- The bulk rescan (`rescan`, "Quét lại toàn bộ" on the board): POST only, for whoever may
  configure the plan (`plan.manage` on its issuer); starts a background job and sends the user to
  its page, or to the rescan already running.
- Adding a sample starts a background recheck of the essays already submitted; the library
  lists each sample's recheck job with a link for whoever may see it.
All text is escaped before the <mark> tags are put around the shared passages.
"""

import unicodedata

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quantriet.core.files import extract_text
from quantriet.core.models import Job
from quantriet.core.people import person_name
from quantriet.org.policy import require
from quantriet.originality import align
from quantriet.originality.sidebyside import side_by_side
from quantriet.study.reference import plan_boilerplate

from . import originality
from .access import access_essay, access_essay_plan, access_sample
from .models import Essay, EssayVerdict, SampleEssay
from .text import word_count

KIND_ESSAY, KIND_SAMPLE, KIND_DOCUMENT = "bai", "mau", "van-ban"


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
    if word_count(text) < 50:
        raise ValidationError("Bài mẫu quá ngắn (cần ít nhất 50 từ).")
    url = request.POST.get("source_url", "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError("Địa chỉ nguồn phải bắt đầu bằng http:// hoặc https://.")
    return title, text, url


@require_http_methods(["GET", "POST"])
def samples(request):
    """Mẫu bài thu hoạch trên mạng: the library of sample essays, and a form to add one."""
    require(request.user, "sample.manage")
    error = None
    if request.method == "POST":
        try:
            title, text, url = _sample_from_post(request)
            sample = originality.sample_add(request.user, title, text, url)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                f"Đã thêm bài mẫu “{sample.title}” vào thư viện; "
                "các bài thu hoạch đã nộp đang được rà lại theo bài mẫu này.",
            )
            return redirect("essays:samples")
    listed = list(SampleEssay.objects.select_related("uploaded_by")[:500])
    jobs = {}
    keys = [originality.sample_key(s.pk) for s in listed]
    for job in Job.objects.visible_to(request.user).filter(kind=originality.RECHECK_KIND, key__in=keys):
        jobs.setdefault(job.key, job)  # newest first
    for sample in listed:
        sample.recheck = jobs.get(originality.sample_key(sample.pk))
    context = {"samples": listed, "error": error, "form": request.POST}
    return render(request, "essays/samples.html", context, status=400 if error else 200)


@require_GET
def sample(request, pk):
    """One sample essay of the library, its full text to read."""
    return render(request, "essays/sample.html", {"sample": access_sample(request.user, pk)})


# ---------------------------------------------------------------- the bulk rescan


@require_POST
def rescan(request, plan_pk):
    """Quét lại toàn bộ: recompute every verdict of the plan in the background, then show the job."""
    plan = access_essay_plan(request.user, plan_pk, "plan.manage")
    job, created = originality.plan_rescan_start(request.user, plan)
    if created:
        return redirect(job)
    if Job.objects.visible_to(request.user).filter(pk=job.pk).exists():
        messages.info(request, "Kế hoạch này đang được quét lại; đây là tiến độ của lượt đang chạy.")
        return redirect(job)
    who = person_name(job.created_by) or "hệ thống"
    messages.warning(
        request,
        f"Kế hoạch này đang được quét lại (do {who} bắt đầu lúc {timezone.localtime(job.created_at):%H:%M %d/%m/%Y}); "
        "kết quả sẽ hiện trên bảng chấm khi xong.",
    )
    return redirect("essays:board", plan_pk=plan.pk)


# ---------------------------------------------------------------- side by side


def _other(request, essay, kind, other_pk):
    """(title, text or None when out of the viewer's sight, boilerplate, the object) of the text to compare with."""
    reference = plan_boilerplate(essay.plan)
    if kind == KIND_SAMPLE:
        sample = access_sample(request.user, other_pk, beside=essay)
        return f"Bài mẫu: {sample.title}", sample.text, reference, sample
    if kind == KIND_DOCUMENT:
        document = get_object_or_404(essay.plan.documents.all(), pk=other_pk)
        return f"Văn bản: {document}", document.body, align.NO_BOILERPLATE, document
    if kind == KIND_ESSAY:
        verdict = EssayVerdict.objects.filter(essay=essay).first()
        if verdict is None or other_pk not in {d["essay"] for d in verdict.duplicates}:
            raise Http404
        other = get_object_or_404(Essay.objects.filter(plan=essay.plan).select_related("member", "cell"), pk=other_pk)
        if not Essay.objects.visible_to(request.user).filter(pk=other.pk).exists():
            return "Một bài trong phạm vi khác", other.text, reference, None
        return f"Bài của {_author(other)}", other.text, reference, other
    raise Http404


def _author(essay) -> str:
    """ "Nguyễn Văn An — Chi bộ ấp 3 — Đảng bộ xã Long Đức": who wrote ESSAY and where."""
    return f"{essay.member.full_name} — {essay.cell.name_with_parent}"


def _kind_found(verdict, kind: str, other_pk: int) -> str:
    """The kind of copying the verdict found between the essay and the other text ("" if none)."""
    if verdict is None:
        return ""
    if kind == KIND_SAMPLE and verdict.sample_id == other_pk:
        return verdict.sample_kind
    if kind == KIND_ESSAY:
        return next((d.get("kind", "") for d in verdict.duplicates if d["essay"] == other_pk), "")
    return ""


@require_GET
def compare(request, essay_pk, kind, other_pk):
    """The essay and the text it matched, in two columns, the sentences aligned with each other highlighted.

    The sentences are aligned however the copy is disguised (`originality.align`: typed without
    diacritics, spaces lost, reworded, moved): each pair has one number on both sides.
    """
    essay = access_essay(request.user, essay_pk, "essay.grade")
    title, other_text, boilerplate, other = _other(request, essay, kind, other_pk)
    other_text = unicodedata.normalize("NFC", other_text or "")
    pairs = align.align(essay.text, other_text, boilerplate=boilerplate).pairs
    hidden = kind == KIND_ESSAY and other is None
    shown = side_by_side(essay.text, other_text, pairs, hide_theirs=hidden)
    verdict = EssayVerdict.objects.filter(essay=essay).first()
    found = _kind_found(verdict, kind, other_pk)
    context = {
        "essay": essay,
        "plan": essay.plan,
        "kind": kind,
        "title": title,
        "author": _author(essay),
        "hidden": hidden,
        "passages": shown.passages,
        "legend": shown.legend,
        "mine": shown.mine,
        "theirs": shown.theirs,
        "verdict": verdict,
        "copying": align.kind_label(found) if found else "",
    }
    return render(request, "essays/compare.html", context)


urlpatterns = [
    path("mau-tren-mang/", samples, name="samples"),
    path("mau-tren-mang/<int:pk>/", sample, name="sample"),
    path("ke-hoach/<int:plan_pk>/quet-lai/", rescan, name="rescan"),
    path("so-sanh/<int:essay_pk>/<str:kind>/<int:other_pk>/", compare, name="compare"),
]
