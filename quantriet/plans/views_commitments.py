"""Pages of yearly commitments and personal action plans.

- "Cam kết của tôi" (`my_commitment`): the member writes their commitment heading by heading,
  registers it, reviews themself mid-year and at the year's end, reads the cell's review and, if
  flagged, that and why (never another member's name or text). Phone first: one column.
- A unit's list (`commitment_list`) and one commitment (`commitment`, with the review form and
  "trả lại"), the side-by-side view of a flagged one (`commitment_compare`): `commitment.review` on
  the cell (or the unit listed), or the cell's secretary (access_commitments).
- The commitments' sample library (`commitment_samples`): `sample.manage` at the top of the tree.
- Personal action plans (`my_personal_plans`, `personal_plan`): the member's own, written and
  reported on by them; read by whoever sees the member (their committee).
Writes go through services_commitments.
"""

import unicodedata
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quantriet.core.params import year_param
from quantriet.org.models import Member, Organization
from quantriet.org.policy import can, orgs_where, require
from quantriet.originality import align
from quantriet.originality.sidebyside import side_by_side
from quantriet.study.models import StudyPlan

from . import check_commitments
from . import services_commitments as services
from .access_commitments import (
    REVIEW,
    access_commitment,
    access_commitment_org,
    access_personal_plan,
    member_of,
    my_personal_plan,
)
from .models_commitments import (
    HEADINGS,
    Commitment,
    CommitmentState,
    Heading,
    ItemRating,
    PersonalPlan,
    ReviewRating,
    SampleCommitment,
    secretary_cells,
)

ROWS_PER_PAGE = 50


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _review_places(user):
    """The units whose commitments USER reviews: the tops of their grants, and the cells they are secretary of."""
    tops = list(Organization.objects.filter(pk__in=orgs_where(user, REVIEW)).visible_roots(user))
    cells = list(Organization.objects.filter(pk__in=secretary_cells(user)))
    return tops + [cell for cell in cells if not any(cell.path.startswith(top.path) for top in tops)]


# ---------------------------------------------------------------- the member's own


@require_http_methods(["GET", "POST"])
def my_commitment(request):
    """Cam kết của tôi for one year (?nam=): write, register, self-review; the cell's review."""
    member = member_of(request.user)
    year = year_param(request)
    commitment = Commitment.objects.filter(member=member, year=year).prefetch_related("items").first()
    error, posted = None, None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            commitment = _act(request, member, year, commitment, action)
        except ValidationError as problem:
            error, posted = _errors(problem), request.POST
        else:
            messages.success(request, DONE.get(action, "Đã lưu."))
            return redirect(f"{request.path}?nam={year}")
    context = {
        "member": member,
        "year": year,
        "commitment": commitment,
        "items": _item_rows(commitment, posted),
        "editable": commitment is None or commitment.state == CommitmentState.DRAFT,
        "can_write": commitment is not None or year in services.writable_years(),
        "self_review": commitment is not None and commitment.state == CommitmentState.SUBMITTED,
        "ratings": ItemRating.choices,
        "years": sorted(
            {*Commitment.objects.filter(member=member).values_list("year", flat=True), *services.writable_years()},
            reverse=True,
        ),  # fmt: skip
        "review_places": _review_places(request.user),
        "error": error,
        "stage": posted.get("action") if posted else "",
    }
    return render(request, "plans/commitments/mine.html", context, status=400 if error else 200)


DONE = {
    "save": "Đã lưu bản nháp cam kết.",
    "submit": "Đã đăng ký bản cam kết.",
    services.MID: "Đã lưu tự đánh giá giữa năm.",
    services.END: "Đã lưu tự đánh giá cuối năm.",
}


def _act(request, member, year, commitment, action):
    post = request.POST
    if action in {"save", "submit"}:
        contents = {heading: post.get(f"content_{heading}", "") for heading in HEADINGS}
        commitment = services.commitment_save(request.user, member, year, contents)
        if action == "submit":
            commitment = services.commitment_submit(request.user, commitment)
        return commitment
    if action in services.STAGES:
        if commitment is None:
            raise ValidationError("Hãy viết và đăng ký bản cam kết trước khi tự đánh giá.")
        reviews = {h: (post.get(f"{action}_{h}", ""), post.get(f"{action}_rating_{h}", "")) for h in HEADINGS}
        return services.commitment_self_review(request.user, commitment, action, reviews)
    raise ValidationError("Thao tác không hợp lệ.")


def _item_rows(commitment, posted):
    """One row per heading: the stored item, with what was just posted (a refused form keeps it)."""
    items = commitment.items_by_heading() if commitment else [None] * len(HEADINGS)
    rows = []
    for heading, item in zip(HEADINGS, items, strict=True):
        row = {"heading": heading, "label": Heading(heading).label, "item": item}
        if posted is not None:
            row["posted"] = {key: posted.get(f"{key}_{heading}", "") for key in
                             ["content", services.MID, services.END]}  # fmt: skip
        rows.append(row)
    return rows


# ---------------------------------------------------------------- the reviewer's pages


@require_GET
def commitment_list(request, org_pk):
    """The commitments of a unit for a year: every member, the state, the copy flags."""
    org = access_commitment_org(request.user, org_pk)
    year = year_param(request)
    flagged_only = request.GET.get("loc") == "sao_chep"
    members = Member.objects.in_subtree(org).select_related("cell").order_by("cell__path", "name_key", "id")
    held = Commitment.objects.filter(year=year, cell__path__startswith=org.path)
    if flagged_only:
        members = members.filter(commitments__year=year, commitments__flagged=True)
    page = Paginator(members, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    by_member = {c.member_id: c for c in held.filter(member__in=[m.pk for m in page])}
    for member in page:
        member.commitment = by_member.get(member.pk)
    counts = {
        "members": members.count() if not flagged_only else Member.objects.in_subtree(org).count(),
        "submitted": held.exclude(state=CommitmentState.DRAFT).count(),
        "reviewed": held.filter(state=CommitmentState.REVIEWED).count(),
        "flagged": held.filter(flagged=True).count(),
    }
    context = {"org": org, "year": year, "page": page, "counts": counts, "flagged_only": flagged_only,
               "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1)}  # fmt: skip
    return render(request, "plans/commitments/list.html", context)


def _sources(commitment):
    """The sources of a flagged commitment as its reviewer reads them (names of members they see)."""
    rows = []
    ids = [s["id"] for s in commitment.copied_from if s["type"] == "commitment"]
    others = {c.pk: c for c in Commitment.objects.filter(pk__in=ids).select_related("member", "cell")}
    sample_ids = [s["id"] for s in commitment.copied_from if s["type"] == "sample"]
    samples = dict(SampleCommitment.objects.filter(pk__in=sample_ids).values_list("pk", "title"))
    for source in commitment.copied_from:
        kind = "mau" if source["type"] == "sample" else "cam-ket"
        if kind == "mau":
            title = f"Bản mẫu: {samples.get(source['id'], 'đã xóa')}"
        else:
            other = others.get(source["id"])
            title = f"Bản của {other.member.full_name} — {other.cell.name}" if other else "Một bản đã xóa"
        rows.append({"kind": kind, "id": source["id"], "title": title, "share": source["share"],
                     "how": align.kind_label(source["kind"]) if source.get("kind") else ""})  # fmt: skip
    return rows


@require_GET
def commitment(request, pk):
    """One member's commitment for its reviewer: items, self-reviews, copy check, the review form."""
    commitment = access_commitment(request.user, pk, REVIEW)
    return _commitment_page(request, commitment)


def _commitment_page(request, commitment, error=None, status=200):
    context = {
        "commitment": commitment,
        "items": commitment.items_by_heading(),
        "sources": _sources(commitment),
        "ratings": ReviewRating.choices,
        "may_review": commitment.member.user_id != request.user.pk,
        "error": error,
        "form": request.POST if error else {},
    }
    return render(request, "plans/commitments/commitment.html", context, status=status)


@require_POST
def commitment_review(request, pk):
    commitment = access_commitment(request.user, pk, REVIEW)
    try:
        services.commitment_review(request.user, commitment, request.POST.get("review", ""),
                                   request.POST.get("rating", ""))  # fmt: skip
    except ValidationError as problem:
        return _commitment_page(request, commitment, _errors(problem), 400)
    messages.success(request, f"Đã nhận xét bản cam kết của {commitment.member.full_name}.")
    return redirect(commitment)


@require_POST
def commitment_return(request, pk):
    commitment = access_commitment(request.user, pk, REVIEW)
    try:
        services.commitment_return(request.user, commitment, request.POST.get("reason", ""))
    except ValidationError as problem:
        return _commitment_page(request, commitment, _errors(problem), 400)
    messages.success(request, f"Đã trả lại bản cam kết để {commitment.member.full_name} viết lại.")
    return redirect(commitment)


@require_GET
def commitment_compare(request, pk, kind, other_pk):
    """A flagged commitment and one of its sources side by side (sources the check found only)."""
    commitment = access_commitment(request.user, pk, REVIEW)
    wanted = "sample" if kind == "mau" else "commitment" if kind == "cam-ket" else None
    if not any(s["type"] == wanted and s["id"] == other_pk for s in commitment.copied_from):
        raise Http404
    if wanted == "sample":
        other = get_object_or_404(SampleCommitment, pk=other_pk)
        title, other_text, hidden = f"Bản mẫu: {other.title}", other.text, False
    else:
        other = get_object_or_404(Commitment.objects.select_related("member", "cell"), pk=other_pk)
        hidden = not Commitment.objects.visible_to(request.user).filter(pk=other.pk).exists()
        title = "Một bản cam kết trong phạm vi khác" if hidden else f"Bản của {other.member.full_name}"
        other_text = check_commitments.commitment_text(other)
    mine = unicodedata.normalize("NFC", check_commitments.commitment_text(commitment))
    other_text = unicodedata.normalize("NFC", other_text)
    boilerplate = align.boilerplate_of(check_commitments.reference_texts(commitment))
    pairs = align.align(mine, other_text, boilerplate=boilerplate).pairs
    shown = side_by_side(mine, other_text, pairs, hide_theirs=hidden)
    context = {
        "commitment": commitment,
        "title": title,
        "hidden": hidden,
        "passages": shown.passages,
        "legend": shown.legend,
        "mine": shown.mine,
        "theirs": shown.theirs,
    }
    return render(request, "plans/commitments/compare.html", context)


@require_http_methods(["GET", "POST"])
def commitment_samples(request):
    """The commitments' sample library (found on the internet), and a form to add one."""
    require(request.user, "sample.manage")
    error = None
    if request.method == "POST":
        title, text = request.POST.get("title", "").strip(), request.POST.get("text", "").strip()
        url = request.POST.get("source_url", "").strip()
        if not title or len(text.split()) < 50:
            error = "Hãy nhập tiêu đề và nội dung bản mẫu (ít nhất 50 từ)."
        elif url and not url.startswith(("http://", "https://")):
            error = "Địa chỉ nguồn phải bắt đầu bằng http:// hoặc https://."
        else:
            SampleCommitment.objects.create(title=title[:300], text=text, source_url=url, uploaded_by=request.user)
            messages.success(
                request, f"Đã thêm bản mẫu “{title[:300]}”; các bản cam kết đăng ký từ nay được so với nó."
            )
            return redirect("plans:commitment_samples")
    context = {"samples": SampleCommitment.objects.all()[:500], "error": error, "form": request.POST}
    return render(request, "plans/commitments/samples.html", context, status=400 if error else 200)


# ---------------------------------------------------------------- personal action plans


@require_http_methods(["GET", "POST"])
def my_personal_plans(request):
    """Kế hoạch hành động cá nhân: the member's own, and a form to start one (for a study plan or a year)."""
    member = member_of(request.user)
    error = None
    plans = StudyPlan.objects.visible_to(request.user).exclude(published_at=None).order_by("-published_at")[:50]
    if request.method == "POST":
        plan = None
        if request.POST.get("plan"):
            plan = plans.model.objects.visible_to(request.user).filter(pk=request.POST["plan"]).first()
            if plan is None:
                raise Http404
        try:
            personal = services.personal_plan_create(request.user, member, title=request.POST.get("title", ""),
                                                     plan=plan)  # fmt: skip
        except ValidationError as problem:
            error = _errors(problem)
        else:
            return redirect(personal)
    context = {
        "member": member,
        "personal_plans": PersonalPlan.objects.filter(member=member).select_related("plan").prefetch_related("items"),
        "plans": plans,
        "duties": services.current_duties(member),
        "error": error,
        "form": request.POST,
    }
    return render(request, "plans/commitments/personal_plans.html", context, status=400 if error else 200)


def _item_inputs(request, personal) -> list[services.ItemInput]:
    post, items = request.POST, []
    tasks = {str(t.pk): t for t in services.programme_tasks(personal.member, personal.plan, personal.year)}
    for i in range(int(post.get("rows", "0") or 0) if post.get("rows", "").isdigit() else 0):
        content = post.get(f"content_{i}", "")
        if not content.strip() and not post.get(f"result_{i}", "").strip():
            continue
        task_id = post.get(f"task_{i}", "")
        if task_id and task_id not in tasks:
            raise ValidationError(f"Việc {len(items) + 1}: nhiệm vụ đã chọn không thuộc chương trình của đơn vị mình.")
        deadline = None
        if post.get(f"deadline_{i}", "").strip():
            try:
                deadline = date.fromisoformat(post[f"deadline_{i}"].strip())  # <input type="date">
            except ValueError:
                raise ValidationError(f"Việc {len(items) + 1}: thời hạn không hợp lệ (ngày/tháng/năm).") from None
        items.append(services.ItemInput(
            content=content, duty=post.get(f"duty_{i}", ""), task=tasks.get(task_id), deadline=deadline,
            result=post.get(f"result_{i}", ""), done=post.get(f"done_{i}") == "1",
        ))  # fmt: skip
    return items


@require_http_methods(["GET", "POST"])
def personal_plan(request, pk):
    """A personal plan: read by whoever sees the member; written, with its results, by the member."""
    personal = access_personal_plan(request.user, pk)
    owner = personal.member.user_id == request.user.pk
    error = None
    if request.method == "POST":
        personal = my_personal_plan(request.user, pk)
        try:
            items = _item_inputs(request, personal)
            services.personal_plan_save(request.user, personal, title=request.POST.get("title", ""),
                                        duties=request.POST.get("duties", ""), items=items)  # fmt: skip
        except ValidationError as problem:
            error = _errors(problem)
        else:
            messages.success(request, "Đã lưu kế hoạch hành động cá nhân.")
            return redirect(personal)
    items = list(personal.items.select_related("task__programme__org"))
    context = {
        "personal": personal,
        "items": items,
        "owner": owner,
        "blank_rows": range(len(items), len(items) + 3),
        "rows": len(items) + 3,
        "tasks": list(services.programme_tasks(personal.member, personal.plan, personal.year)) if owner else [],
        "error": error,
        "can_review": can(request.user, REVIEW, personal.cell),
    }
    return render(request, "plans/commitments/personal_plan.html", context, status=400 if error else 200)


urlpatterns = [
    path("cam-ket/", my_commitment, name="my_commitment"),
    path("cam-ket/mau-tren-mang/", commitment_samples, name="commitment_samples"),
    path("cam-ket/don-vi/<int:org_pk>/", commitment_list, name="commitment_list"),
    path("cam-ket/<int:pk>/", commitment, name="commitment"),
    path("cam-ket/<int:pk>/nhan-xet/", commitment_review, name="commitment_review"),
    path("cam-ket/<int:pk>/tra-lai/", commitment_return, name="commitment_return"),
    path("cam-ket/<int:pk>/so-sanh/<str:kind>/<int:other_pk>/", commitment_compare, name="commitment_compare"),
    path("ke-hoach-ca-nhan/", my_personal_plans, name="my_personal_plans"),
    path("ke-hoach-ca-nhan/<int:pk>/", personal_plan, name="personal_plan"),
]
