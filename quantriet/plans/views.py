"""Pages of action programmes (chương trình hành động).

Plans and organisations come through study.access, programmes and tasks through plans.access: out
of scope is a 404, without the right the action's 403. Drafting and editing need `programme.write`
on the programme's unit, deciding `programme.approve`, reporting progress `programme.report` (or
being the task's lead person), following the tree `programme.follow`; reading and commenting a
programme is for whoever sees it. Writes go through services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quantriet.core import workflow
from quantriet.core.feedback import flash_refusal
from quantriet.core.files import attachment, download, read_upload
from quantriet.core.sheets import Problem, SheetError
from quantriet.org.models import Organization
from quantriet.org.policy import can, orgs_where, require
from quantriet.org.tree import ancestor_paths, is_within, parent_path
from quantriet.originality import align
from quantriet.originality.sidebyside import side_by_side
from quantriet.study.access import access_plan, access_plan_org
from quantriet.study.models import PlanStatus, StudyPlan
from quantriet.study.reference import plan_boilerplate

from . import exports, importing, issue, selectors, services
from .access import access_programme, access_task
from .check import as_programme
from .concreteness import CONCRETE_FROM, COPIED_FLAG, LOCAL_ENOUGH, SENTENCE_THRESHOLD, WEIGHTS
from .forms import ApprovalForm, CommentForm, ProgrammeForm, ReportForm, ReviewForm, TransitionForm, task_formset
from .models import Programme, TaskEvidence

#: Units listed on the index page for a user who drafts for many (a province's staff: the widest first).
INDEX_UNITS = 20


@require_GET
def index(request):
    """The plans under way the user sees: the programmes of the units they draft for (or a button to
    start one), those of the levels a member works under (to read and comment), the tree to follow."""
    user = request.user
    plans = StudyPlan.objects.visible_to(user).filter(status=PlanStatus.PUBLISHED).select_related("issuer")
    writable = list(orgs_where(user, "programme.write").order_by("path")[:INDEX_UNITS])
    followed = list(orgs_where(user, "programme.follow").order_by("path")[:INDEX_UNITS])
    member = getattr(user, "member", None)
    above = ancestor_paths([member.cell.path]) if member is not None and member.cell_id else []
    rows = []
    for plan in plans.order_by("-published_at", "-pk"):
        units = [org for org in writable if is_within(org.path, plan.issuer.path)]
        programmes = Programme.objects.visible_to(user).filter(plan=plan).select_related("org")
        mine = {p.org_id: p for p in programmes.filter(org__in=units)}
        follows = [org for org in followed if is_within(org.path, plan.issuer.path)]
        rows.append(
            {
                "plan": plan,
                "units": [(org, mine.get(org.pk)) for org in units],
                "member_programmes": list(programmes.filter(org__path__in=above).order_by("org__path")),
                "follows": follows[0] if follows else None,
            }
        )
    return render(request, "plans/index.html", {"rows": rows, "member": member})


@require_POST
def create(request, plan_pk):
    plan = access_plan(request.user, plan_pk)
    org_id = request.POST.get("org", "")
    if not org_id.isdigit():
        raise Http404
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=int(org_id))
    require(request.user, "programme.write", org)
    try:
        programme = services.programme_create(request.user, plan, org, request.POST.get("title") or _title(plan))
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("plans:index")
    messages.success(request, "Đã tạo bản dự thảo chương trình hành động; hãy nhập các nhiệm vụ.")
    return redirect("plans:edit", programme.pk)


def _title(plan: StudyPlan) -> str:
    """The default title, naming the documents the plan studies ("… thực hiện Chỉ thị 28-CT/TU")."""
    documents = ", ".join(str(d) for d in plan.documents.all() if d.symbol)
    return f"Chương trình hành động thực hiện {documents or plan.title}"


def _task_rows(programme: Programme, today):
    tasks = list(programme.tasks.select_related("lead_org", "lead_person").prefetch_related("updates__evidence"))
    comments = {}
    for comment in programme.comments.exclude(anchor="").select_related("author__member"):
        comments.setdefault(comment.anchor, []).append(comment)
    for task in tasks:
        task.is_overdue = programme.running and task.overdue(today)
        task.comment_list = comments.get(f"task:{task.pk}", [])
    return tasks


@require_GET
def detail(request, pk):
    programme = access_programme(request.user, pk)
    user, today = request.user, timezone.localdate()
    tasks = _task_rows(programme, today)
    sources = {
        p.pk: p
        for p in Programme.objects.visible_to(user)
        .filter(pk__in=[c["programme"] for c in programme.copied_from])
        .select_related("org")
    }
    may_report = can(user, "programme.report", programme.org)
    context = {
        "programme": programme,
        "tasks": tasks,
        "done": sum(task.status == "hoan_thanh" for task in tasks),
        "overdue": sum(task.is_overdue for task in tasks),
        "general_comments": _labelled(programme, programme.comments.filter(anchor="").select_related("author__member")),
        "copied_from": [
            {
                **found,
                "percent": round(100 * found["share"]),
                "source": sources.get(found["programme"]),
                "kind_label": align.kind_label(found["kind"]) if found["kind"] else "",
            }
            for found in programme.copied_from
        ],
        "transitions": workflow.transitions_for(programme, user, access=access_programme),
        "may_edit": programme.state in programme.workflow.editable_states()
        and can(user, "programme.write", programme.org),
        "may_report": programme.running and (may_report or any(_leads(task, user) for task in tasks)),
        "may_report_all": may_report,
        "versions": programme.versions.order_by("-number").select_related("created_by")[:10],
        "files": programme.files.all(),
        "approval_form": ApprovalForm(),
        "transition_form": TransitionForm(),
        "comment_form": CommentForm(),
        "report_form": ReportForm(),
        "weights": {name: round(100 * weight) for name, weight in WEIGHTS.items()},
        "measures": _measures(programme),
        "copied_percent": round(100 * (programme.copied_share or 0)),
        "copied_flag": round(100 * COPIED_FLAG),
        "concrete_from": CONCRETE_FROM,
        "local_enough": LOCAL_ENOUGH,
        "children": Programme.objects.visible_to(user)
        .filter(parent=programme)
        .select_related("org")
        .order_by("org__path"),
        "follows": can(user, "programme.follow", programme.org),
        "reviews": programme.reviews.select_related("created_by__member"),
        "may_review": programme.running and can(user, "programme.approve", programme.org),
        "today": today,
    }
    return render(request, "plans/programme.html", context)


#: The four measures of the concreteness check as the page explains them (docs/programmes.md).
MEASURES = [
    ("copied", "Không sao chép", "Phần không tìm thấy trong chương trình của cấp trên, đơn vị khác (câu được đối "
     "chiếu cả khi gõ không dấu, diễn đạt lại; trích nghị quyết không tính là chép)"),
    ("complete", "Nhiệm vụ đủ yếu tố", "Tỷ lệ nhiệm vụ có người hoặc đơn vị chủ trì, thời hạn, sản phẩm, chỉ tiêu "
     "đo được (con số và đơn vị tính)"),
    ("local", "Nội dung riêng của đơn vị", f"Địa danh, đơn vị, con số riêng của đơn vị ở phần tự viết; đủ "
     f"{LOCAL_ENOUGH} là đạt"),
    ("own", "Trách nhiệm của chính đơn vị", "Tỷ lệ nhiệm vụ do chính đơn vị, đơn vị trực thuộc hay người của đơn "
     "vị chủ trì (chép lại nhiệm vụ của cấp trên thì không)"),
]  # fmt: skip


def _measures(programme: Programme) -> list[dict]:
    values = {
        "copied": 1 - (programme.copied_share or 0),
        "complete": programme.complete_share or 0,
        "local": programme.local_share or 0,
        "own": programme.own_share or 0,
    }
    return [
        {
            "key": key,
            "label": label,
            "help": help,
            "weight": round(100 * WEIGHTS[key]),
            "percent": round(100 * values[key]),
        }
        for key, label, help in MEASURES
    ]


def _labelled(programme: Programme, comments) -> list:
    """COMMENTS, each given with a transition carrying that transition's label ("Trả lại để sửa")."""
    steps = programme.workflow.transitions
    comments = list(comments)
    for comment in comments:
        comment.transition_label = steps[comment.transition].label if comment.transition in steps else ""
    return comments


def _leads(task, user) -> bool:
    return task.lead_person is not None and task.lead_person.user_id == user.pk


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    programme = access_programme(request.user, pk, "programme.write")
    if request.method == "POST":
        form, tasks = ProgrammeForm(request.POST), task_formset(programme, request.POST)
        if form.is_valid() and tasks.is_valid():
            data = form.cleaned_data
            try:
                changed = services.programme_save(
                    request.user, programme, title=data["title"], preamble=data["preamble"], symbol=data["symbol"],
                    tasks=tasks.inputs(), summary=data["summary"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    "Đã lưu phiên bản mới và kiểm tra lại mức độ cụ thể hóa." if changed else "Không có gì thay đổi.",
                )
                return redirect(programme)
    else:
        form = ProgrammeForm(
            initial={"title": programme.title, "symbol": programme.symbol, "preamble": programme.preamble}
        )
        tasks = task_formset(programme)
    return render(request, "plans/edit.html", {"programme": programme, "form": form, "tasks": tasks})


@require_POST
def transition(request, pk, name):
    programme = access_programme(request.user, pk)
    step = programme.workflow.transition(name) if name in programme.workflow.transitions else None
    if step is None:
        raise Http404
    access_programme(request.user, pk, step.action)
    comment = request.POST.get("comment", "")
    extra = {}
    if name == services.APPROVE:
        form = ApprovalForm(request.POST, request.FILES)
        if not form.is_valid():
            flash_refusal(request, form)
            return redirect(programme)
        upload = form.cleaned_data["approval_file"]
        try:
            extra = {
                "approved_on": form.cleaned_data["approved_on"],
                "approval_ref": form.cleaned_data["approval_ref"],
                "approval_file": read_upload(upload.name, upload.read()) if upload else None,
            }
        except ValidationError as error:
            flash_refusal(request, error)
            return redirect(programme)
    try:
        services.programme_transition(request.user, programme, name, comment, **extra)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, f"Đã {step.label.lower()}: chương trình chuyển sang “{programme.state_label}”.")
    return redirect(programme)


@require_POST
def review(request, pk):
    """Record a sơ kết (the date, what it concluded) of a programme being carried out."""
    programme = access_programme(request.user, pk, "programme.approve")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, form)
        return redirect(programme)
    try:
        services.programme_review(request.user, programme, **form.cleaned_data)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "Đã ghi nhận sơ kết.")
    return redirect(reverse("plans:programme", args=[programme.pk]) + "#reviews")


@require_POST
def comment(request, pk):
    programme = access_programme(request.user, pk)
    form = CommentForm(request.POST)
    task = None
    if form.is_valid() and form.cleaned_data["task"]:
        task = get_object_or_404(programme.tasks, pk=form.cleaned_data["task"])
    if not form.is_valid():
        messages.error(request, "Hãy nhập nội dung ý kiến (tối đa 5.000 ký tự).")
        return redirect(programme)
    try:
        services.programme_comment(request.user, programme, form.cleaned_data["text"], task=task)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "Đã ghi nhận ý kiến góp ý.")
    anchor = f"#task-{task.pk}" if task else "#comments"
    return redirect(reverse("plans:programme", args=[programme.pk]) + anchor)


@require_POST
def task_report(request, pk):
    task = access_task(request.user, pk, "programme.report")
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_refusal(request, form)
        return redirect(task.programme)
    data = form.cleaned_data
    try:
        files = [read_upload(data["evidence"].name, data["evidence"].read())] if data["evidence"] else []
        services.task_report(request.user, task, status=data["status"], achieved=data["achieved"], note=data["note"],
                             reported_on=data["reported_on"], files=files)  # fmt: skip
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, f"Đã cập nhật tiến độ nhiệm vụ {task.number}.")
    return redirect(reverse("plans:programme", args=[task.programme_id]) + f"#task-{task.pk}")


@require_GET
def evidence(request, pk, file_pk):
    task = access_task(request.user, pk)
    return download(get_object_or_404(TaskEvidence, pk=file_pk, update__task=task))


@require_GET
def approval_file(request, pk, file_pk):
    programme = access_programme(request.user, pk)
    return download(get_object_or_404(programme.files, pk=file_pk))


@require_GET
def compare(request, pk, other_pk):
    """Side by side: the programme and one it copies from, aligned sentences numbered alike on both sides.

    The other programme must be in the viewer's sight too (404 otherwise)."""
    programme = access_programme(request.user, pk)
    other = access_programme(request.user, other_pk)
    mine, theirs = as_programme(programme).text, as_programme(other).text
    pairs = align.align(mine, theirs, boilerplate=plan_boilerplate(programme.plan), threshold=SENTENCE_THRESHOLD).pairs
    found = next((f for f in programme.copied_from if f["programme"] == other.pk), None)
    context = {
        "programme": programme,
        "other": other,
        "shown": side_by_side(mine, theirs, pairs),
        "share": found["share"] if found else None,
        "copying": align.kind_label(found["kind"]) if found and found["kind"] else "",
    }
    return render(request, "plans/compare.html", context)


@require_GET
def programme_document(request, pk):
    """The programme as a party document (.docx): a draft says "DỰ THẢO"."""
    programme = access_programme(request.user, pk)
    return attachment(
        issue.programme_docx(programme), f"chuong-trinh-hanh-dong-{programme.plan_id}-{programme.org.code}.docx"
    )


@require_GET
def tasks_sheet(request, pk):
    programme = access_programme(request.user, pk)
    return attachment(exports.tasks_xlsx(programme), f"nhiem-vu-{programme.plan_id}-{programme.org.code}.xlsx")


@require_POST
def programme_import(request, pk):
    """Replace the tasks (and the title, preamble) with those of a Word or Excel file the committee wrote;
    the whole file is checked first and refused with every problem listed, nothing written."""
    programme = access_programme(request.user, pk, "programme.write")
    upload = request.FILES.get("file")
    problems = []
    if upload is None:
        problems = [Problem(0, "", "Hãy chọn tệp Word (.docx) hoặc Excel (.xlsx, .csv) chứa bảng nhiệm vụ.")]
    else:
        try:
            changed = importing.programme_import(request.user, programme, upload.name, upload.read())
        except SheetError as error:
            problems = error.problems
        except ValidationError as error:
            problems = [Problem(0, "", message) for message in error.messages]
        else:
            messages.success(
                request, f"Đã nhập từ tệp {upload.name}." if changed else "Tệp không có gì khác bản hiện tại."
            )
            return redirect(programme)
    form = ProgrammeForm(initial={name: getattr(programme, name) for name in ("title", "symbol", "preamble")})
    context = {"programme": programme, "form": form, "tasks": task_formset(programme), "problems": problems}
    return render(request, "plans/edit.html", context, status=400)


@require_GET
def tree_sheet(request, plan_pk):
    """The programmes of the organisation's subtree as .xlsx (đơn vị, trạng thái, cụ thể hóa, nhiệm vụ)."""
    plan = access_plan(request.user, plan_pk)
    org = access_plan_org(request.user, plan, "programme.follow", request.GET.get("org"))
    rows = exports.with_task_counts(Programme.objects.filter(plan=plan, org__path__startswith=org.path))
    data = exports.programmes_xlsx(rows.order_by("org__path"))
    return attachment(data, f"chuong-trinh-hanh-dong-{plan.pk}-{org.code}.xlsx")


@require_GET
def tree(request, plan_pk):
    """The programmes of an organisation and its children, with their concreteness (a chart and a table)."""
    plan = access_plan(request.user, plan_pk)
    org = access_plan_org(request.user, plan, "programme.follow", request.GET.get("org"))
    today = timezone.localdate()
    own, children = selectors.programme_tree(plan, org, today)
    checked = [row for row in children if row.programme and row.programme.concreteness is not None]
    chart = _units_chart(checked) if len(checked) <= CHART_UNITS else _distribution_chart(checked)
    written = sum(row.programme is not None for row in children)
    context = {
        "plan": plan,
        "org": org,
        "own": own,
        "children": children,
        "written": written,
        "flagged": sum(bool(row.programme and "sao_chep" in row.programme.flags) for row in children),
        "chart": chart,
        "parent": Organization.objects.filter(path=parent_path(org.path)).first() if org.pk != plan.issuer_id else None,
        "concrete_from": CONCRETE_FROM,
    }
    return render(request, "plans/tree.html", context)


#: Up to this many units, the chart has a bar per unit; beyond, it shows how many fall in each band.
CHART_UNITS = 30


def _units_chart(rows) -> dict:
    return {
        "kind": "units",
        "labels": [row.org.name for row in rows],
        "values": [row.programme.concreteness for row in rows],
        "copied": [round(100 * (row.programme.copied_share or 0)) for row in rows],
    }


def _distribution_chart(rows) -> dict:
    """How many units' programmes score in each band of 10 points, and how many of them are copies."""
    bands = [f"{low}–{low + 9}" if low < 90 else "90–100" for low in range(0, 100, 10)]
    counts, copied = [0] * 10, [0] * 10
    for row in rows:
        band = min(9, row.programme.concreteness // 10)
        counts[band] += 1
        copied[band] += "sao_chep" in row.programme.flags
    return {"kind": "distribution", "labels": bands, "values": counts, "copied": copied}


@require_GET
def overdue(request, plan_pk):
    plan = access_plan(request.user, plan_pk)
    org = access_plan_org(request.user, plan, "programme.follow", request.GET.get("org"))
    groups = selectors.overdue_by_head(plan, org, timezone.localdate())
    return render(request, "plans/overdue.html", {"plan": plan, "org": org, "groups": groups})


urlpatterns = [
    path("", index, name="index"),
    path("ke-hoach/<int:plan_pk>/tao/", create, name="create"),
    path("ke-hoach/<int:plan_pk>/cay/", tree, name="tree"),
    path("ke-hoach/<int:plan_pk>/qua-han/", overdue, name="overdue"),
    path("<int:pk>/", detail, name="programme"),
    path("<int:pk>/sua/", edit, name="edit"),
    path("<int:pk>/chuyen/<slug:name>/", transition, name="transition"),
    path("<int:pk>/gop-y/", comment, name="comment"),
    path("<int:pk>/so-ket/", review, name="review"),
    path("<int:pk>/so-sanh/<int:other_pk>/", compare, name="compare"),
    path("<int:pk>/tep/<int:file_pk>/", approval_file, name="approval_file"),
    path("<int:pk>/van-ban.docx", programme_document, name="docx"),
    path("<int:pk>/nhiem-vu.xlsx", tasks_sheet, name="tasks_xlsx"),
    path("<int:pk>/nhap/", programme_import, name="import"),
    path("ke-hoach/<int:plan_pk>/cay.xlsx", tree_sheet, name="tree_xlsx"),
    path("nhiem-vu/<int:pk>/bao-cao/", task_report, name="task_report"),
    path("nhiem-vu/<int:pk>/minh-chung/<int:file_pk>/", evidence, name="evidence"),
]
