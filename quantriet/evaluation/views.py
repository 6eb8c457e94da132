"""Pages of the yearly evaluation: the member's own self-assessment (on a phone), a unit's list for
those who review and decide it, one evaluation with the cell's review.

Organisations come through the gate (`Organization.objects.visible_to`: out of sight is a 404),
evaluations through `access_evaluation`; each write needs its policy action (403 otherwise) and
goes through services.py.
"""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quantriet.core import workflow
from quantriet.core.feedback import flash_refusal
from quantriet.core.numbers import format_decimal
from quantriet.core.params import year_param
from quantriet.org.models import Member, Organization
from quantriet.org.policy import can, orgs_where, require

from . import services
from .access import access_evaluation
from .models import DECIDED, REVIEWED, SELF_ASSESSED, CriteriaSet, Evaluation, Subject

#: Units listed on the index for those who review many.
INDEX_UNITS = 20


def _date(value: str):
    """The date of a date input (yyyy-mm-dd), today when blank or unreadable."""
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return timezone.localdate()


def _points_from(request, evaluation: Evaluation, prefix: str) -> dict:
    return {key: request.POST.get(f"{prefix}{key}", "").replace(",", ".").strip() or "0"
            for key in evaluation.criteria_set.rules().criteria}  # fmt: skip


def _rows(evaluation: Evaluation, points: dict) -> list[dict]:
    """The criteria grouped for a form or a table, with the points given so far."""
    return [
        {"group": group.label, "criteria": [
            {"key": c.key, "label": c.label, "max": c.max_points, "floor": c.floor, "study": c.study,
             "value": points.get(c.key, "")} for c in group.criteria]}
        for group in evaluation.criteria_set.rules().groups
    ]  # fmt: skip


@require_GET
def index(request):
    """One's own evaluation of the year, and the units whose evaluations one reviews."""
    year = year_param(request)
    units = list(orgs_where(request.user, "evaluation.review").order_by("path")[:INDEX_UNITS])
    member = getattr(request.user, "member", None)
    mine = Evaluation.objects.filter(year=year, member=member).first() if member else None
    return render(request, "evaluation/index.html", {"year": year, "units": units, "member": member, "mine": mine})


@require_http_methods(["GET", "POST"])
def mine(request):
    """The member's own self-assessment of the year: start, save, send."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied("Trang này dành cho đảng viên: tài khoản của đồng chí chưa gắn với hồ sơ đảng viên.")
    year = year_param(request)
    evaluation = Evaluation.objects.filter(year=year, member=member).select_related("criteria_set").first()
    if request.method == "POST":
        try:
            if evaluation is None:
                services.evaluation_start(request.user, year, member=member)
                messages.success(request, f"Đã mở bản tự đánh giá năm {year}.")
            else:
                services.self_assess(request.user, evaluation, _points_from(request, evaluation, "p_"),
                                     request.POST.get("self_text", ""))  # fmt: skip
                if request.POST.get("action") == "submit":
                    services.submit(request.user, evaluation)
                    messages.success(request, "Đã gửi bản tự đánh giá cho chi bộ.")
                else:
                    messages.success(request, "Đã lưu bản tự đánh giá.")
        except ValidationError as error:
            flash_refusal(request, error)
        return redirect(f"{reverse('evaluation:mine')}?nam={year}")
    context = {"year": year, "evaluation": evaluation,
               "rows": _rows(evaluation, evaluation.self_points) if evaluation else []}  # fmt: skip
    return render(request, "evaluation/mine.html", context)


def _unit(request, org_pk, action) -> Organization:
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    require(request.user, action, org)
    return org


@require_GET
def unit(request, org_pk):
    """The year's evaluations of a unit's members and of the unit itself, for its reviewers and deciders."""
    org = _unit(request, org_pk, "evaluation.review")
    year = year_param(request)
    evaluations = Evaluation.objects.filter(year=year).filter(org=org).select_related("member", "criteria_set")
    started = {e.member_id for e in evaluations}
    waiting = Member.objects.filter(cell=org).exclude(pk__in=started).order_by("name_key", "pk")
    own = next((e for e in evaluations if e.member_id is None), None)
    context = {
        "children": _children(org, year),
        "org": org, "year": year, "own": own, "members": [e for e in evaluations if e.member_id],
        "waiting": waiting, "decides": can(request.user, "evaluation.decide", services.deciding_org_of(org)),
        "reviewed": sum(e.state == REVIEWED for e in evaluations),
        "has_rules": CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(year, 12, 31)) is not None,
    }  # fmt: skip
    return render(request, "evaluation/unit.html", context)


def _children(org: Organization, year: int) -> list[dict]:
    """ORG's units below with their own evaluation's state and how far their members' have gone."""
    children = list(
        Organization.objects.active().filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")
    )
    rows = Evaluation.objects.filter(year=year, org__in=children)
    own = {e.org_id: e for e in rows.filter(member__isnull=True)}
    counts = {}
    for org_id, state, number in (
        rows.filter(member__isnull=False).values_list("org_id", "state").annotate(n=Count("id"))
    ):
        counts.setdefault(org_id, {})[state] = number
    return [{"org": child, "own": own.get(child.pk), "members": sum(counts.get(child.pk, {}).values()),
             "decided": counts.get(child.pk, {}).get(DECIDED, 0)} for child in children]  # fmt: skip


@require_POST
def start(request, org_pk):
    """Begin the unit's own evaluation, or a member's of the unit (for a member without an account)."""
    org = _unit(request, org_pk, "evaluation.self")
    year = year_param(request)
    member_id = request.POST.get("member", "")
    member = get_object_or_404(Member, pk=member_id, cell=org) if member_id.isdigit() else None
    try:
        evaluation = services.evaluation_start(request.user, year, member=member, org=None if member else org)
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect(f"{reverse('evaluation:unit', args=[org.pk])}?nam={year}")
    return redirect("evaluation:evaluation", evaluation.pk)


@require_http_methods(["GET", "POST"])
def evaluation_page(request, pk):
    """One evaluation: the self-assessment (editable while a draft by whoever may write it), the
    study proposal with its sources, the cell's review, the decision."""
    evaluation = access_evaluation(request.user, pk)
    if request.method == "POST":  # the committee writing the self-assessment of a member without an account
        access_evaluation(request.user, pk, "evaluation.self")
        try:
            services.self_assess(request.user, evaluation, _points_from(request, evaluation, "p_"),
                                 request.POST.get("self_text", ""))  # fmt: skip
            if request.POST.get("action") == "submit":
                services.submit(request.user, evaluation)
        except ValidationError as error:
            flash_refusal(request, error)
        return redirect("evaluation:evaluation", evaluation.pk)
    user = request.user
    context = {
        "evaluation": evaluation,
        "self_rows": _rows(evaluation, evaluation.self_points),
        "review_rows": _rows(evaluation, evaluation.review_points or _review_start(evaluation)),
        "bands": evaluation.criteria_set.rules().bands,
        "may_write": evaluation.state in evaluation.workflow.editable_states()
        and _may(user, evaluation, "evaluation.self"),
        "may_review": evaluation.state == SELF_ASSESSED and _may(user, evaluation, "evaluation.review"),
        "may_reopen": evaluation.state == DECIDED and _may(user, evaluation, "evaluation.decide"),
        "history": _labelled(evaluation, workflow.history(evaluation).select_related("actor__member")),
        "tallies": [(b.label, evaluation.tallies[b.code]) for b in evaluation.criteria_set.rules().bands
                    if b.code in evaluation.tallies],
    }  # fmt: skip
    return render(request, "evaluation/evaluation.html", context)


def _review_start(evaluation: Evaluation) -> dict:
    """What the cell's review form starts from: the self-assessment, the study criterion as proposed
    from the records (the cell changes it only with a reason)."""
    proposed = evaluation.study_proposal.get("points")
    study = evaluation.criteria_set.rules().study
    if proposed is None or study is None:
        return evaluation.self_points
    return {**evaluation.self_points, study.key: format_decimal(Decimal(proposed))}


#: The history's entries that are not transitions, in words.
HISTORY_WORDS = {"workflow.version": "Lưu bản tự đánh giá", "workflow.comment": "Ý kiến"}


def _labelled(evaluation: Evaluation, entries) -> list:
    steps = evaluation.workflow.transitions
    entries = list(entries)
    for entry in entries:
        name = entry.action.removeprefix("workflow.")
        entry.label = steps[name].label if name in steps else HISTORY_WORDS.get(entry.action, entry.action)
    return entries


def _may(user, evaluation, action) -> bool:
    try:
        access_evaluation(user, evaluation.pk, action)
    except (PermissionDenied, Http404):
        return False
    return True


@require_POST
def review(request, pk):
    evaluation = access_evaluation(request.user, pk, "evaluation.review")
    bands = evaluation.criteria_set.rules().bands
    tallies = {b.code: request.POST.get(f"t_{b.code}", "0").strip() or "0" for b in bands}
    try:
        services.review(
            request.user, evaluation, points=_points_from(request, evaluation, "r_"),
            text=request.POST.get("review_text", ""), tallies=tallies,
            disciplined=request.POST.get("disciplined") == "1", study_reason=request.POST.get("study_reason", ""),
        )  # fmt: skip
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "Đã ghi nhận xét của chi bộ.")
    return redirect("evaluation:evaluation", evaluation.pk)


@require_POST
def decide(request, org_pk):
    """The committee's decision on the unit's reviewed evaluations (the unit's own first)."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=org_pk)
    year = year_param(request)
    deciding = services.deciding_org_of(org)
    require(request.user, "evaluation.decide", deciding)
    reviewed = list(Evaluation.objects.filter(year=year, org=org, state=REVIEWED).select_related("criteria_set"))
    decided_on = _date(request.POST.get("decided_on", ""))
    target = f"{reverse('evaluation:unit', args=[org.pk])}?nam={year}"
    if not reviewed:
        messages.error(request, "Chưa có bản đánh giá nào đã được chi bộ nhận xét để quyết định.")
        return redirect(target)
    own = [e for e in reviewed if e.member_id is None]
    try:
        for batch in (own, [e for e in reviewed if e.member_id]):
            if batch:
                services.decide(request.user, batch[0].deciding_org, batch,
                                number=request.POST.get("number", ""), decided_on=decided_on)  # fmt: skip
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, f"Đã quyết định xếp loại {len(reviewed)} bản đánh giá.")
    return redirect(target)


@require_POST
def reopen(request, pk):
    evaluation = access_evaluation(request.user, pk, "evaluation.decide")
    try:
        services.reopen(request.user, evaluation, request.POST.get("reason", ""))
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "Đã mở lại bản đánh giá.")
    return redirect("evaluation:evaluation", evaluation.pk)


urlpatterns = [
    path("", index, name="index"),
    path("cua-toi/", mine, name="mine"),
    path("don-vi/<int:org_pk>/", unit, name="unit"),
    path("don-vi/<int:org_pk>/bat-dau/", start, name="start"),
    path("don-vi/<int:org_pk>/quyet-dinh/", decide, name="decide"),
    path("<int:pk>/", evaluation_page, name="evaluation"),
    path("<int:pk>/nhan-xet/", review, name="review"),
    path("<int:pk>/mo-lai/", reopen, name="reopen"),
]
