"""Pages of essays and grading (bài thu hoạch, chấm bài).

Plans, organisations and essays are fetched through essays.access (the access gate and the
policy): out of scope is a 404. A member submits only for plans whose essay audience includes
them (403 otherwise); grading, the board list and the exports need `essay.grade` on the
organisation or the essay's cell (403 otherwise). The rubric page (`rubric`) and the bulk rescan
(views_originality) are for whoever may configure the plan (`plan.manage` on its issuer; 403
otherwise). Writes go through services.py.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quantriet.core.files import attachment, download
from quantriet.core.jobs import job_active
from quantriet.core.models import Job
from quantriet.core.numbers import format_decimal
from quantriet.org.models import Organization, attach_parent_names
from quantriet.org.policy import can, widest_where
from quantriet.study.access import access_plan_org
from quantriet.study.models import PlanStatus, StudyPlan

from . import exports, originality, selectors, services
from .access import access_essay, access_essay_plan, access_version
from .forms import BandFormSet, CriterionFormSet
from .models import Essay

ROWS_PER_PAGE = 50


class Filter:
    """The board's list filters (query parameter `loc`)."""

    UNGRADED = "chua_cham"
    GRADED = "da_cham"
    LATE = "nop_muon"
    MISSING = "chua_nop"
    COPIED = "sao_chep"
    CHOICES = [
        ("", "Tất cả bài đã nộp"),
        (UNGRADED, "Chưa chấm"),
        (GRADED, "Đã chấm"),
        (LATE, "Nộp muộn"),
        (COPIED, "Chỉ bài có dấu hiệu sao chép"),
        (MISSING, "Chưa nộp"),
    ]


def _board_org(request, plan):
    """The organisation whose essays the board page (or an export) shows: ``?org=``, else the widest
    one where the user grades; 404 out of sight, 403 without `essay.grade` there."""
    return access_plan_org(request.user, plan, "essay.grade", request.GET.get("org"))


# ---------------------------------------------------------------- the list of plans


@require_GET
def index(request):
    """Bài thu hoạch: the member's own essays, and the plans whose essays the user grades."""
    member = getattr(request.user, "member", None)
    plans = (
        StudyPlan.objects.visible_to(request.user)
        .exclude(status=PlanStatus.DRAFT)
        .exclude(essay_audience="")
        .select_related("issuer")
        .order_by("-published_at", "-id")
    )
    mine, graded = [], []
    essays = {e.plan_id: e for e in Essay.objects.filter(member=member).select_related("grade")} if member else {}
    for plan in plans[:200]:
        if member is not None and (plan.pk in essays or services.must_write(plan, member)):
            plan.my_essay = essays.get(plan.pk)
            mine.append(plan)
        if widest_where(request.user, "essay.grade", plan.issuer) is not None:
            graded.append(plan)
    context = {
        "member": member,
        "mine": mine,
        "graded": graded,
        "today": timezone.localdate(),
        "can_manage_samples": can(request.user, "sample.manage"),
    }
    return render(request, "essays/index.html", context)


# ---------------------------------------------------------------- the member's essay


def _write_context(plan, member, essay, refusal):
    versions = list(essay.versions.select_related("upload")) if essay else []
    grade = getattr(essay, "grade", None) if essay else None
    return {
        "plan": plan,
        "member": member,
        "essay": essay,
        "versions": versions,
        "grade": grade,
        "scores": list(grade.scores.select_related("criterion")) if grade else [],
        "refusal": refusal,
        "late_now": services.is_late(plan, timezone.now()),
        "min_words": services.MIN_WORDS,
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }


def _submit(request, plan, member):
    """The POST of the write page: typed text or a .docx; returns an error message or None."""
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            if upload.size > settings.UPLOAD_MAX_BYTES:
                return f"Tệp quá lớn (tối đa {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB)."
            services.essay_submit_docx(request.user, plan, member, upload.name, upload.read())
        else:
            services.essay_submit(request.user, plan, member, request.POST.get("text", ""))
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@require_http_methods(["GET", "POST"])
def write(request, plan_pk):
    """Bài thu hoạch của tôi for one plan: status, grade, every version, and the form while allowed."""
    plan = access_essay_plan(request.user, plan_pk)
    member = getattr(request.user, "member", None)
    essay = Essay.objects.filter(plan=plan, member=member).select_related("grade").first() if member else None
    if essay is None:
        refusal = services.submission_refusal(plan, member)
        if refusal is not None and refusal.code in {"not_member", "audience"}:
            return render(request, "essays/refused.html", {"plan": plan, "refusal": refusal}, status=403)
    error = None
    if request.method == "POST":
        error = _submit(request, plan, member)
        if error is None:
            essay = Essay.objects.get(plan=plan, member=member)
            note = " (nộp muộn)" if essay.late else ""
            messages.success(request, f"Đã nộp bài thu hoạch lần {essay.versions.count()}{note}.")
            return redirect("essays:write", plan_pk=plan.pk)
    refusal = services.submission_refusal(plan, member, essay)
    context = _write_context(plan, member, essay, refusal) | {"error": error, "text": request.POST.get("text")}
    return render(request, "essays/write.html", context, status=400 if error else 200)


@require_GET
def version_file(request, pk):
    """The .docx as the member uploaded it (to whoever may see the essay)."""
    version = access_version(request.user, pk)
    if version.upload is None:
        raise Http404
    return download(version.upload)


# ---------------------------------------------------------------- the class board


def _board_rows(plan, org, status):
    essays = Essay.objects.filter(plan=plan).in_subtree(org).select_related("member", "cell", "grade", "verdict")
    if status == Filter.UNGRADED:
        essays = essays.filter(grade__isnull=True)
    elif status == Filter.GRADED:
        essays = essays.filter(grade__isnull=False)
    elif status == Filter.LATE:
        essays = essays.filter(late=True)
    elif status == Filter.COPIED:
        essays = essays.filter(selectors.flagged_q())
    return essays.order_by("cell__path", "member__name_key", "id")


def _missing(plan, org):
    """Members of ORG's subtree who must write and have not."""
    writers = services.essay_writers(plan).filter(cell__path__startswith=org.path)
    done = Essay.objects.filter(plan=plan).values("member_id")
    return writers.exclude(pk__in=done).select_related("cell").order_by("cell__path", "name_key", "id")


def _counts(plan, org):
    essays = Essay.objects.filter(plan=plan).in_subtree(org)
    return {
        "": essays.count(),
        Filter.UNGRADED: essays.filter(grade__isnull=True).count(),
        Filter.GRADED: essays.filter(grade__isnull=False).count(),
        Filter.LATE: essays.filter(late=True).count(),
        Filter.COPIED: essays.filter(selectors.flagged_q()).count(),
        Filter.MISSING: _missing(plan, org).count(),
    }


@require_GET
def board(request, plan_pk):
    """The essays of an organisation's subtree for a plan, with filters, for the class board to grade."""
    plan = access_essay_plan(request.user, plan_pk)
    org = _board_org(request, plan)
    status = request.GET.get("loc", "")
    if status not in dict(Filter.CHOICES):
        status = ""
    rows = _missing(plan, org) if status == Filter.MISSING else _board_rows(plan, org, status)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    if status != Filter.MISSING:
        pairs = selectors.near_duplicates(request.user, [getattr(e, "verdict", None) for e in page])
        for e in page:
            e.pairs = pairs.get(e.pk, [])
    attach_parent_names([row.cell for row in page], within=org)
    counts = _counts(plan, org)
    filters = [(value, label, counts[value]) for value, label in Filter.CHOICES]
    children = org.visible_children(Organization.objects.visible_to(request.user)).active()
    context = {
        "plan": plan,
        "org": org,
        "children": children,
        "page": page,
        "status": status,
        "filters": filters,
        "missing": status == Filter.MISSING,
        "rubric": services.rubric_ensure(request.user, plan),
        "can_configure": can(request.user, "plan.manage", plan.issuer),
        "can_manage_samples": can(request.user, "sample.manage"),
        "rescan": _visible_rescan(request, plan),
    }
    return render(request, "essays/board.html", context)


def _visible_rescan(request, plan):
    """The plan's rescan job running now, if the user may see its page."""
    job = job_active(originality.RESCAN_KIND, originality.plan_scope(plan.pk))
    return job if job and Job.objects.visible_to(request.user).filter(pk=job.pk).exists() else None


# ---------------------------------------------------------------- the rubric of a plan


def _criteria_initial(rubric):
    return [
        {"id": c.pk, "name": c.name, "description": c.description, "max_points": c.max_points, "order": c.order}
        for c in rubric.criteria.all()
    ]


@require_http_methods(["GET", "POST"])
def rubric(request, plan_pk):
    """Tiêu chí chấm: the criteria and grade bands of a plan, edited as two formsets."""
    plan = access_essay_plan(request.user, plan_pk, "plan.manage")
    rubric = services.rubric_ensure(request.user, plan)
    graded = services.graded_count(plan)
    data = request.POST if request.method == "POST" else None
    # Frozen criteria are shown, not posted; a form loaded before the first grade still posts them.
    criteria_data = data if data is not None and (not graded or "criteria-TOTAL_FORMS" in data) else None
    criteria = CriterionFormSet(criteria_data, initial=_criteria_initial(rubric), prefix="criteria")
    bands = BandFormSet(
        data, initial=[{"label": b.label, "min_percent": b.min_percent} for b in rubric.bands.all()], prefix="bands"
    )
    error = None
    if data is not None:
        criteria_ok = criteria_data is None or criteria.is_valid()
        if criteria_ok and bands.is_valid():
            rows = criteria.rows() if criteria_data is not None else None
            try:
                outcome = services.rubric_update(request.user, plan, rows, bands.rows())
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                note = f" Đã tính lại xếp loại của {outcome['rebanded']} bài đã chấm." if outcome["rebanded"] else ""
                changed = outcome["criteria_changed"] or outcome["bands_changed"]
                messages.success(request, ("Đã lưu tiêu chí chấm." if changed else "Không có gì thay đổi.") + note)
                return redirect("essays:rubric", plan_pk=plan.pk)
        else:
            error = "Chưa lưu được: hãy sửa các lỗi được đánh dấu bên dưới."
    context = {
        "plan": plan,
        "rubric": rubric,
        "criteria": criteria,
        "bands": bands,
        "graded": graded,
        "frozen": bool(graded),
        "error": error,
    }
    return render(request, "essays/rubric.html", context, status=400 if error else 200)


def _grade_page(request, essay, errors=None, status=200):
    rubric = services.rubric_ensure(request.user, essay.plan)
    grade = getattr(essay, "grade", None)
    verdict = getattr(essay, "verdict", None)
    given = {s.criterion_id: s.points for s in grade.scores.all()} if grade else {}
    criteria = []
    for criterion in rubric.criteria.all():
        key = f"c{criterion.pk}"
        value = request.POST.get(key) if errors else given.get(criterion.pk)
        criterion.field = key
        # What was typed comes back as typed; a stored mark is written with a comma (8,5).
        criterion.value = "" if value is None else value if isinstance(value, str) else format_decimal(value)
        criterion.errors = (errors or {}).get(key, [])
        criteria.append(criterion)
    context = {
        "essay": essay,
        "plan": essay.plan,
        "versions": list(essay.versions.select_related("upload")),
        "grade": grade,
        "rubric": rubric,
        "bands": list(rubric.bands.all()),
        "criteria": criteria,
        "can_grade": can(request.user, "essay.grade", essay.cell),
        "comment": request.POST.get("comment", "") if errors else (grade.comment if grade else ""),
        "comment_errors": (errors or {}).get("comment", []),
        "max_total": rubric.max_total,
        "duplicates": selectors.near_duplicates(request.user, [verdict]).get(essay.pk, []),
    }
    return render(request, "essays/essay.html", context, status=status)


@require_GET
def essay(request, pk):
    return _grade_page(request, access_essay(request.user, pk))


@require_POST
def grade(request, pk):
    essay = access_essay(request.user, pk, "essay.grade")
    points = {int(key[1:]): value for key, value in request.POST.items() if key[:1] == "c" and key[1:].isdigit()}
    try:
        result = services.essay_grade(request.user, essay, points, request.POST.get("comment", ""))
    except ValidationError as error:
        return _grade_page(request, essay, errors=error.message_dict, status=400)
    messages.success(request, f"Đã chấm: {services.vn_points(result.total)} điểm — {result.band}.")
    following = _next_ungraded(essay)
    return redirect(following.get_absolute_url() if following else essay.get_absolute_url())


def _next_ungraded(essay):
    """The next essay of the same cell still waiting for a grade, so grading runs on from the keyboard."""
    rest = Essay.objects.filter(plan=essay.plan, cell=essay.cell, grade__isnull=True).exclude(pk=essay.pk)
    rest = rest.filter(member__name_key__gt=essay.member.name_key)
    return rest.order_by("member__name_key", "id").first()


# ---------------------------------------------------------------- exports


@require_GET
def export_xlsx(request, plan_pk):
    plan = access_essay_plan(request.user, plan_pk)
    org = _board_org(request, plan)
    out = io.BytesIO()
    rubric = services.rubric_ensure(request.user, plan)
    exports.write_grades_xlsx(rubric, Essay.objects.filter(plan=plan).in_subtree(org), out)
    return attachment(out.getvalue(), f"ket-qua-cham-thu-hoach-{plan.pk}-{org.code}.xlsx")


@require_GET
def export_docx(request, plan_pk):
    plan = access_essay_plan(request.user, plan_pk)
    org = _board_org(request, plan)
    essays = Essay.objects.filter(plan=plan).in_subtree(org)
    if essays.count() > exports.MAX_DOCX_ESSAYS:
        messages.error(
            request,
            f"{org.name} có hơn {exports.MAX_DOCX_ESSAYS} bài: hãy chọn một tổ chức nhỏ hơn để gộp thành một tệp Word.",
        )
        return redirect(reverse("essays:board", args=[plan.pk]) + f"?org={org.pk}")
    out = io.BytesIO()
    exports.write_essays_docx(plan, org, essays, out)
    return attachment(out.getvalue(), f"bai-thu-hoach-{plan.pk}-{org.code}.docx")


urlpatterns = [
    path("", index, name="index"),
    path("ke-hoach/<int:plan_pk>/", write, name="write"),
    path("ke-hoach/<int:plan_pk>/cham/", board, name="board"),
    path("ke-hoach/<int:plan_pk>/tieu-chi/", rubric, name="rubric"),
    path("ke-hoach/<int:plan_pk>/ket-qua.xlsx", export_xlsx, name="export_xlsx"),
    path("ke-hoach/<int:plan_pk>/bai-thu-hoach.docx", export_docx, name="export_docx"),
    path("bai/<int:pk>/", essay, name="essay"),
    path("bai/<int:pk>/cham/", grade, name="grade"),
    path("lan-nop/<int:pk>/tep/", version_file, name="version_file"),
]
