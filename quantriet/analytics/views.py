"""The fidelity dashboard (chỉ số làm kỹ): tree, weakest units, charts, export, comparison, refresh.

Pages read the fidelity rows only; the gate is `access.py` (out of scope = 404, no role = 403).
"""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from quantriet.core.files import attachment
from quantriet.core.jobs import job_active, job_create, job_enqueue
from quantriet.org.models import Organization, attach_parent_names
from quantriet.org.policy import can
from quantriet.org.tree import ancestors_of
from quantriet.study.models import Level

from . import dashboard, summary
from .access import FIDELITY_REFRESH, FIDELITY_VIEW, access_fidelity_org, access_fidelity_plan, fidelity_plans
from .components import COMPONENTS, FLAGS, basis, lam_luot_rule
from .exports import write_fidelity_xlsx
from .forms import ConfigForm
from .models import FidelityScore, plan_settings
from .services import config_save
from .tasks import refresh_plan_task


def _plans(request):
    return fidelity_plans().visible_to(request.user).select_related("issuer")


def index(request):
    """Plans whose fidelity the user can open."""
    return render(request, "analytics/index.html", {"plans": _plans(request).order_by("-published_at", "-id")})


def _org_param(request, name="org"):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _breadcrumb(request, plan, org):
    """The visible ancestors of ORG within the plan's tree, top first."""
    visible = Organization.objects.visible_to(request.user)
    ancestors = visible.filter(path__in=ancestors_of(org.path, top=plan.issuer.path))
    return [a for a in ancestors.order_by("depth") if can(request.user, FIDELITY_VIEW, a)]


def plan_dashboard(request, plan_pk):
    plan = access_fidelity_plan(request.user, plan_pk)
    org = access_fidelity_org(request.user, plan, _org_param(request))
    row = FidelityScore.objects.filter(plan=plan, org=org).select_related("org", "head").first()
    rows = dashboard.subtree_rows(plan, org)
    counts = summary.subtree_counts(plan, org)
    context = {
        "plan": plan,
        "org": org,
        "row": row,
        "breadcrumb": _breadcrumb(request, plan, org),
        "children": _children(plan, org),
        "table": _table_context(request, rows, org, counts),
        "row_style": dashboard.band(row.index if row else None),
        "component_rows": [(c.label, row.components.get(c.key), basis(c.key, row)) for c in COMPONENTS] if row else [],
        "bands": dashboard.BANDS,
        "rule": _rule(plan),
        "can_refresh": can(request.user, FIDELITY_REFRESH, plan.issuer),
        "other_plans": _plans(request).exclude(pk=plan.pk).order_by("-published_at"),
    }
    if row is not None:
        context["charts"] = {
            "timeline": dashboard.timeline(counts),
            "distribution": dashboard.distribution(counts),
            "funnel": dashboard.funnel(row),
        }
    return render(request, "analytics/dashboard.html", context)


#: Children of a tree node shown at a time; "Xem thêm" loads the next ones (a province has 100+ communes).
TREE_PAGE = 25


def _children(plan, org, page=None):
    """One page of ORG's children in the tree, each with its colour band."""
    children = FidelityScore.objects.filter(plan=plan, parent_org=org).select_related("org", "head").order_by("path")
    nodes = Paginator(children, TREE_PAGE).get_page(page)
    nodes.object_list = [(child, dashboard.band(child.index)) for child in nodes.object_list]
    return nodes


def _rule(plan) -> str:
    return lam_luot_rule(plan_settings(plan, timezone.localdate()))


def tree_children(request, plan_pk, org_pk):
    """htmx: the children of one node of the tree, a page at a time."""
    plan = access_fidelity_plan(request.user, plan_pk)
    org = access_fidelity_org(request.user, plan, org_pk)
    nodes = _children(plan, org, request.GET.get("trang"))
    context = {"plan": plan, "parent": org, "nodes": nodes, "rule": _rule(plan)}
    return render(request, "analytics/_tree_nodes.html", context)


class _CountedPaginator(Paginator):
    """A paginator told its count (from the subtree's counts) instead of counting the rows."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def _table_context(request, rows, org, counts):
    """The weakest-units table under ORG; its units, from several parents, are named with their parent.
    COUNTS (`summary.subtree_counts`) tells how many units it lists."""
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    flagged = request.GET.get("flagged") == "1"
    sort = request.GET.get("sort", "index")
    sort = sort if sort in dashboard.SORTS else "index"
    state = request.GET.get("state", "")
    state = state if state in dashboard.STATE_FILTERS else ""
    listed = dashboard.listed(counts, level, flagged, state)
    paginator = _CountedPaginator(dashboard.weakest(rows, level, flagged, sort, state), 25, listed)
    page = paginator.get_page(request.GET.get("page"))
    attach_parent_names([item.org for item in page], within=org)
    return {
        "page": page,
        "level": level,
        "flagged": flagged,
        "sort": sort,
        "state": state,
        "state_label": dashboard.STATE_FILTERS[state],
        "states": dashboard.STATE_FILTERS,
        "levels": Level.choices,
        "flags": FLAGS,
    }


def weakest_table(request, plan_pk):
    """htmx: the weakest-units table, filtered, sorted and paged."""
    plan = access_fidelity_plan(request.user, plan_pk)
    org = access_fidelity_org(request.user, plan, _org_param(request))
    table = _table_context(request, dashboard.subtree_rows(plan, org), org, summary.subtree_counts(plan, org))
    context = {"plan": plan, "org": org, "table": table, "rule": _rule(plan)}
    return render(request, "analytics/_weakest.html", context)


def export_xlsx(request, plan_pk):
    plan = access_fidelity_plan(request.user, plan_pk)
    org = access_fidelity_org(request.user, plan, _org_param(request))
    buffer = io.BytesIO()
    write_fidelity_xlsx(plan, org, buffer)
    return attachment(buffer.getvalue(), f"chi-so-lam-ky-{plan.pk}-{org.code}.xlsx")


def compare(request, plan_pk):
    """Two plans side by side for the children of one organisation."""
    plan = access_fidelity_plan(request.user, plan_pk)
    other = access_fidelity_plan(request.user, _org_param(request, "other") or 0)
    org = access_fidelity_org(request.user, plan, _org_param(request))
    access_fidelity_org(request.user, other, org.pk)  # the unit must lie in both plans' trees
    ours = {r.org_id: r for r in FidelityScore.objects.filter(plan=plan, parent_org=org).select_related("org")}
    theirs = {r.org_id: r for r in FidelityScore.objects.filter(plan=other, parent_org=org).select_related("org")}
    own = {p.pk: FidelityScore.objects.filter(plan=p, org=org).first() for p in (plan, other)}
    lines = []
    for org_id in sorted(ours.keys() | theirs.keys(), key=lambda i: (ours.get(i) or theirs.get(i)).path):
        a, b = ours.get(org_id), theirs.get(org_id)
        change = round(b.index - a.index, 1) if a and b and a.index is not None and b.index is not None else None
        lines.append({"org": (a or b).org, "a": a, "b": b, "change": change})
    context = {"plan": plan, "other": other, "org": org, "lines": lines, "own_a": own[plan.pk], "own_b": own[other.pk]}
    return render(request, "analytics/compare.html", context)


def _start_refresh(request, plan):
    """The running full refresh of PLAN, or a new one; the caller redirects to its page."""
    key = f"plan:{plan.pk}"
    job = job_active("analytics.refresh", key)
    if job is None:
        back = reverse("analytics:dashboard", args=[plan.pk])
        job = job_create(request.user, "analytics.refresh", f"Tính lại chỉ số làm kỹ — {plan}", key=key, back_url=back)
        job_enqueue(job, refresh_plan_task, plan.pk, job.pk)
    return job


@require_POST
def refresh(request, plan_pk):
    """Recompute every row of the plan in the background; the job page shows the progress."""
    plan = access_fidelity_plan(request.user, plan_pk, FIDELITY_REFRESH)
    return redirect(_start_refresh(request, plan).get_absolute_url())


def config(request, plan_pk):
    """The plan's weights and thresholds (its issuer's propaganda staff); saving recomputes the rows."""
    plan = access_fidelity_plan(request.user, plan_pk, FIDELITY_REFRESH)
    form = ConfigForm(request.POST or None, initial=ConfigForm.initial_for(plan_settings(plan, timezone.localdate())))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        escalate = data["escalate_after_days"]
        config_save(request.user, plan, form.weights(), data["margin"], data["floor"], form.recipients(), escalate)
        messages.success(request, "Đã lưu cấu hình; chỉ số đang được tính lại theo cấu hình mới.")
        return redirect(_start_refresh(request, plan).get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "analytics/config.html", {"plan": plan, "form": form}, status=status)


urlpatterns = [
    path("", index, name="index"),
    path("ke-hoach/<int:plan_pk>/", plan_dashboard, name="dashboard"),
    path("ke-hoach/<int:plan_pk>/cay/<int:org_pk>/", tree_children, name="tree_children"),
    path("ke-hoach/<int:plan_pk>/don-vi-yeu/", weakest_table, name="weakest"),
    path("ke-hoach/<int:plan_pk>/chi-so.xlsx", export_xlsx, name="export_xlsx"),
    path("ke-hoach/<int:plan_pk>/so-sanh/", compare, name="compare"),
    path("ke-hoach/<int:plan_pk>/tinh-lai/", refresh, name="refresh"),
    path("ke-hoach/<int:plan_pk>/cau-hinh/", config, name="config"),
]
