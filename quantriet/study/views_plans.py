"""Pages for study plans, their progress and the to-do lists (kế hoạch, tiến độ, việc cần làm).

Every object is fetched through the access gate (`visible_to`, study/access.py): out of scope is
a 404. Creating, editing, publishing and closing a plan is the policy's `plan.manage` on its
issuer (403 otherwise). Writes go through services.py.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from quantriet.core.models import Notification
from quantriet.org import policy
from quantriet.org.access import access_org
from quantriet.org.models import Organization, OrgKind, attach_parent_names

from . import selectors, services
from .access import access_obligation, access_plan
from .forms_plans import StudyPlanForm
from .models import (
    Attendance,
    Obligation,
    ObligationStatus,
    PlanStatus,
    StudyPlan,
)

#: Bootstrap colour of each obligation status.
STATUS_STYLE = {
    ObligationStatus.ON_TIME: "success",
    ObligationStatus.LATE: "warning",
    ObligationStatus.NOT_DUE: "secondary",
    ObligationStatus.OVERDUE: "danger",
}
PLAN_STATUS_STYLE = {PlanStatus.DRAFT: "secondary", PlanStatus.PUBLISHED: "success", PlanStatus.CLOSED: "dark"}


# ---------------------------------------------------------------- access


def plan_issuers(user):
    """Organisations USER may issue plans for: active, above the party cell, where they may `plan.manage`."""
    return policy.orgs_where(user, "plan.manage").active().exclude(kind=OrgKind.CHI_BO).order_by("path")


def can_manage(user, plan) -> bool:
    """Whether USER may `plan.manage` PLAN (edit, publish, close; essays' plan settings too)."""
    return policy.can(user, "plan.manage", plan.issuer)


def _int_param(request, name):
    value = request.GET.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


def conference_create_url(obligation) -> str:
    """Where to record the conference that fulfils OBLIGATION."""
    return f"{reverse('study:conference_create')}?obligation={obligation.pk}"


# ---------------------------------------------------------------- status helpers


def decorate(obligation, today):
    """Attach the computed status, its label and colour to OBLIGATION for the templates."""
    status = ObligationStatus(obligation.status(today))
    obligation.state = status
    obligation.state_label = status.label
    obligation.state_style = STATUS_STYLE[status]
    return obligation


def count_list(counts):
    """[(status, label, colour, n)] in a fixed order, for badges."""
    return [(s, s.label, STATUS_STYLE[s], counts.get(s, 0)) for s in ObligationStatus]


# ---------------------------------------------------------------- the progress tree


@dataclass
class ProgressNode:
    """One obligation in the progress tree, with the status counts of its (visible) subtree."""

    ob: Obligation
    children: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    parent: "ProgressNode | None" = None

    @property
    def path(self):
        return self.ob.org.path

    @property
    def count_list(self):
        return count_list(self.counts)

    @property
    def total(self):
        return sum(self.counts.values())


def progress_forest(obligations, today) -> list[ProgressNode]:
    """Arrange OBLIGATIONS as a tree by organisation path and count statuses per subtree.

    A node's parent is its nearest ancestor organisation that has an obligation in the set, so a
    level without its own conference (or out of the viewer's sight) does not break the tree.
    Linear in the number of obligations; no queries.
    """
    nodes = [ProgressNode(decorate(ob, today)) for ob in sorted(obligations, key=lambda o: o.org.path)]
    roots, stack = [], []
    for node in nodes:
        while stack and not node.path.startswith(stack[-1].path):
            stack.pop()
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    for node in reversed(nodes):  # descendants come after their ancestors in path order
        node.counts[node.ob.state] += 1
        if node.parent is not None:
            node.parent.counts.update(node.counts)
    return roots


def _plan_obligations(request, plan):
    """The obligations of PLAN the user may see, with what the tree shows, in one query."""
    return (
        Obligation.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("org", "head")
        .only(
            "id",
            "plan",
            "level",
            "deadline",
            "held_on",
            "conference_id",
            "org__path",
            "org__depth",
            "org__name",
            "org__code",
            "org__kind",
            "head__full_name",
        )
    )


# ---------------------------------------------------------------- pages


def plans(request):
    status = request.GET.get("trang_thai", "")
    qs = StudyPlan.objects.visible_to(request.user).select_related("issuer").prefetch_related("deadlines", "documents")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    for plan in page:
        plan.status_style = PLAN_STATUS_STYLE[plan.status]
    context = {
        "page": page,
        "status": status,
        "statuses": PlanStatus.choices,
        "can_create": plan_issuers(request.user).exists(),
    }
    return render(request, "study/plans/list.html", context)


def _form_page(request, form, title, cancel_url, plan=None):
    context = {"form": form, "title": title, "cancel_url": cancel_url, "plan": plan, "issuer": form.fixed_issuer}
    return render(request, "study/plans/form.html", context)


def _save(request, form):
    """Save the draft through the service; a service refusal becomes a form error."""
    if request.method != "POST" or not form.is_valid():
        return None
    plan = form.save(commit=False)
    if form.fixed_issuer is not None and not plan.issuer_id:
        plan.issuer = form.fixed_issuer
    try:
        return services.plan_save(request.user, plan, form.cleaned_data["documents"], form.deadlines())
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None


@require_http_methods(["GET", "POST"])
def plan_create(request):
    issuers = plan_issuers(request.user)
    issuer = None
    if "org" in request.GET:
        issuer = access_org(request.user, _int_param(request, "org"), "plan.manage")
        if issuer.kind == OrgKind.CHI_BO or not issuer.is_active:
            raise PermissionDenied("Tổ chức này không ban hành kế hoạch học tập.")
    elif not issuers.exists():  # a grant on a party cell alone issues no plan
        raise policy.refusal("plan.manage", anywhere=True)
    form = StudyPlanForm(request.POST or None, user=request.user, issuers=issuers, issuer=issuer)
    plan = _save(request, form)
    if plan:
        messages.success(request, "Đã lưu bản nháp kế hoạch. Kiểm tra lại rồi bấm “Ban hành”.")
        return redirect("study:plan", pk=plan.pk)
    title = f"Lập kế hoạch học tập, quán triệt — {issuer.name}" if issuer else "Lập kế hoạch học tập, quán triệt"
    return _form_page(request, form, title, reverse("study:plans"))


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = access_plan(request.user, pk, "plan.manage")
    if plan.status != PlanStatus.DRAFT:
        messages.error(request, "Kế hoạch đã ban hành; không sửa được nữa.")
        return redirect("study:plan", pk=plan.pk)
    form = StudyPlanForm(request.POST or None, instance=plan, user=request.user)
    if _save(request, form):
        messages.success(request, "Đã lưu bản nháp kế hoạch.")
        return redirect("study:plan", pk=plan.pk)
    return _form_page(request, form, f"Sửa kế hoạch: {plan.title}", plan.get_absolute_url(), plan)


def plan_detail(request, pk):
    plan = access_plan(request.user, pk)
    today = timezone.localdate()
    manage = can_manage(request.user, plan)
    context = {
        "plan": plan,
        "plan_status_style": PLAN_STATUS_STYLE[plan.status],
        "deadlines": list(plan.deadlines.all()),
        "documents": list(plan.documents.all()),
        "can_manage": manage,
        "problems": services.plan_problems(plan) if plan.status == PlanStatus.DRAFT else [],
        "statuses": [(s, s.label, STATUS_STYLE[s]) for s in ObligationStatus],
        "today": today,
    }
    if plan.status != PlanStatus.DRAFT:
        status = request.GET.get("trang_thai", "")
        if status in ObligationStatus.values:
            context.update(_status_list(request, plan, ObligationStatus(status), today))
        else:
            roots = progress_forest(_plan_obligations(request, plan), today)
            totals = Counter()
            for root in roots:
                totals.update(root.counts)
            context.update({"roots": roots, "totals": count_list(totals), "total": sum(totals.values())})
    return render(request, "study/plans/detail.html", context)


def _status_list(request, plan, status, today):
    """The flat list of one status (e.g. only the overdue units), with each unit's upper organisation."""
    visible = Obligation.objects.visible_to(request.user).filter(plan=plan)
    totals = {s: visible.with_status(s, today).count() for s in ObligationStatus}
    rows = visible.with_status(status, today).select_related("org", "head").order_by("deadline", "org__path")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    attach_parent_names([ob.org for ob in page])
    for ob in page:
        decorate(ob, today)
        ob.days_late = (today - ob.deadline).days if status == ObligationStatus.OVERDUE else None
    return {
        "filter_status": status,
        "page": page,
        "totals": count_list(totals),
        "total": sum(totals.values()),
    }


def plan_progress(request, pk, ob_pk):
    """htmx: the children of one node of the progress tree, with their subtree counts."""
    plan = access_plan(request.user, pk)
    node_ob = access_obligation(request.user, ob_pk, plan=plan)
    today = timezone.localdate()
    subtree = _plan_obligations(request, plan).filter(org__path__startswith=node_ob.org.path)
    roots = progress_forest(subtree, today)
    node = next((r for r in roots if r.ob.pk == node_ob.pk), None)
    children = node.children if node else []
    return render(request, "study/plans/_progress_nodes.html", {"plan": plan, "nodes": children, "expand": False})


@require_POST
def plan_publish(request, pk):
    plan = access_plan(request.user, pk, "plan.manage")
    try:
        count = services.plan_publish(request.user, plan)
    except ValidationError as error:
        messages.error(request, "Chưa ban hành được: " + " ".join(error.messages))
    else:
        messages.success(request, f"Đã ban hành kế hoạch: {count} tổ chức đảng phải tổ chức học tập, quán triệt.")
    return redirect("study:plan", pk=plan.pk)


@require_POST
def plan_close(request, pk):
    plan = access_plan(request.user, pk, "plan.manage")
    try:
        services.plan_close(request.user, plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã kết thúc kế hoạch.")
    return redirect("study:plan", pk=plan.pk)


# ---------------------------------------------------------------- to-do list


def todo(request):
    if "org" in request.GET:
        org = access_org(request.user, _int_param(request, "org"))
        orgs = Organization.objects.filter(pk=org.pk)
    else:
        org, orgs = None, selectors.led_orgs(request.user)
    today = timezone.localdate()
    rows = (
        Obligation.objects.filter(org__in=orgs, plan__status=PlanStatus.PUBLISHED)
        .select_related("plan", "org", "head", "conference")
        .order_by(F("held_on").desc(nulls_first=True), "deadline", "org__path")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    attach_parent_names([ob.org for ob in page], within=org)
    for ob in page:
        decorate(ob, today)
        ob.record_url = conference_create_url(ob) if ob.held_on is None else None
    context = {"org": org, "orgs": list(orgs.order_by("path")) if org is None else [org], "page": page}
    return render(request, "study/plans/todo.html", context)


# ---------------------------------------------------------------- the member's own page


def my_study(request):
    member = getattr(request.user, "member", None)
    if member is None:
        return render(request, "study/my/my_study.html", {"member": None})
    today, now = timezone.localdate(), timezone.now()
    plans = selectors.member_plans(member, today)
    obligations = {
        ob.plan_id: decorate(ob, today)
        for ob in Obligation.objects.filter(plan__in=[p.pk for p in plans], org=member.cell)
    }
    for plan in plans:
        plan.cell_obligation = obligations.get(plan.pk)
    attendance = (
        Attendance.objects.filter(member=member)
        .select_related("conference", "conference__host", "conference__plan")
        .order_by("-conference__starts_at")[:100]
    )
    essays = sorted((p for p in plans if p.essay_due), key=lambda p: p.essay_due)
    context = {
        "member": member,
        "conferences": selectors.upcoming_conferences(member, now),
        "attendance": attendance,
        "plans": plans,
        "essays": essays,
        "today": today,
    }
    return render(request, "study/my/my_study.html", context)


# ---------------------------------------------------------------- notifications


def notifications(request):
    rows = Notification.objects.filter(user=request.user).order_by(F("read_at").desc(nulls_first=True), "-created_at")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "study/my/notifications.html", {"page": page, "unread": unread})


@require_POST
def notification_read(request, pk):
    """Mark one notification read and follow its link (or come back to the list)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if request.POST.get("follow") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("study:notifications")


@require_POST
def notifications_read_all(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("study:notifications")


urlpatterns = [
    path("ke-hoach/", plans, name="plans"),
    path("ke-hoach/them/", plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/sua/", plan_edit, name="plan_edit"),
    path("ke-hoach/<int:pk>/ban-hanh/", plan_publish, name="plan_publish"),
    path("ke-hoach/<int:pk>/ket-thuc/", plan_close, name="plan_close"),
    path("ke-hoach/<int:pk>/tien-do/<int:ob_pk>/", plan_progress, name="plan_progress"),
    path("viec-can-lam/", todo, name="todo"),
    path("cua-toi/", my_study, name="my_study"),
    path("thong-bao/", notifications, name="notifications"),
    path("thong-bao/<int:pk>/da-doc/", notification_read, name="notification_read"),
    path("thong-bao/da-doc-het/", notifications_read_all, name="notifications_read_all"),
]
