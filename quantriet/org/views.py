"""Pages of the org app. Every object is fetched through the access gate (`visible_to`)."""

import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from quantriet.core.audit import audit_record
from quantriet.core.text import search_text

from .forms import RosterUploadForm
from .models import (
    ROSTER_ROLES,
    STRUCTURE_ROLES,
    STUDY_RECORD_ROLES,
    TITLE_RANK,
    Member,
    Organization,
    Position,
    RosterImportJob,
    attach_parent_names,
    granted_paths,
    has_role_on,
    subtree_q,
)
from .policy import role_refusal
from .roster import write_members_xlsx, write_template_xlsx
from .tasks import run_roster_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def subtree_member_counts(orgs) -> dict[int, int]:
    """Members in the subtree of each of ORGS, in one grouped query per tree depth."""
    counts = {}
    by_length = {}
    for org in orgs:
        by_length.setdefault(len(org.path), {})[org.path] = org.pk
    for length, pk_by_path in by_length.items():
        rows = (
            Member.objects.annotate(prefix=Substr("cell__path", 1, length))
            .filter(prefix__in=list(pk_by_path))
            .values("prefix")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[pk_by_path[row["prefix"]]] = row["n"]
    return {org.pk: counts.get(org.pk, 0) for org in orgs}


def _with_counts(orgs):
    orgs = list(orgs)
    counts = subtree_member_counts(orgs)
    for org in orgs:
        org.member_count = counts[org.pk]
    return orgs


@login_required
def tree(request):
    query = search_text(request.GET.get("q"))
    visible = Organization.objects.visible_to(request.user)
    if query:
        found = visible.search(query).order_by("path")[:100]
        found = attach_parent_names(_with_counts(found))
        return render(request, "org/tree.html", {"query": query, "found": found})
    return render(request, "org/tree.html", {"nodes": _with_counts(Organization.objects.visible_roots(request.user))})


@login_required
def tree_children(request, pk):
    visible = Organization.objects.visible_to(request.user)
    org = get_object_or_404(visible, pk=pk)
    children = org.visible_children(visible)
    return render(request, "org/_tree_nodes.html", {"nodes": _with_counts(children)})


def _leaders(org):
    positions = Position.objects.current().filter(org=org).select_related("member")
    return sorted(positions, key=lambda p: (TITLE_RANK[p.title], p.member.name_key))


@login_required
def org_detail(request, pk):
    visible = Organization.objects.visible_to(request.user)
    org = get_object_or_404(visible, pk=pk)
    children = org.visible_children(visible)
    members = Member.objects.visible_to(request.user).in_subtree(org).select_related("cell")
    query = search_text(request.GET.get("q"))
    if query:
        members = members.search(query)
    page = Paginator(members.order_by("name_key", "id"), 50).get_page(request.GET.get("page"))
    attach_parent_names([m.cell for m in page], within=org)
    ancestors = visible.filter(pk__in=Organization.objects.get_ancestors(org).values("pk")).order_by("depth")
    context = {
        "org": org,
        "ancestors": ancestors,
        "leaders": _leaders(org),
        "children": _with_counts(children),
        "page": page,
        "query": query,
        "total": Member.objects.visible_to(request.user).in_subtree(org).count(),
        "predecessors": visible.filter(successor=org),
        "can_structure": has_role_on(request.user, org, STRUCTURE_ROLES),
        "can_roster": has_role_on(request.user, org, ROSTER_ROLES),
    }
    return render(request, "org/org_detail.html", context)


@login_required
def org_export(request, pk):
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    members = Member.objects.visible_to(request.user).in_subtree(org).order_by("cell__path", "name_key", "id")
    out = io.BytesIO()
    count = write_members_xlsx(members, out)
    audit_record(request.user, "member.export", org, None, {"rows": count})
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="dang-vien-{org.code}-{stamp}.xlsx"'
    return response


@login_required
def member_detail(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("cell", "user"), pk=pk)
    context = {
        "member": member,
        "positions": member.positions.select_related("org").order_by("-start"),
        "transfers": member.transfers.select_related("from_cell", "to_cell"),
        "cell_visible": Organization.objects.visible_to(request.user).filter(pk=member.cell_id).exists(),
        "can_roster": has_role_on(request.user, member.cell, ROSTER_ROLES),
        # The record itself is served by a higher app (analytics.home.member_record) as an htmx partial.
        "can_see_record": member.user_id == request.user.pk
        or has_role_on(request.user, member.cell, STUDY_RECORD_ROLES),
    }
    return render(request, "org/member_detail.html", context)


def _roster_orgs(user):
    return Organization.objects.filter(subtree_q(granted_paths(user, ROSTER_ROLES))).active()


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    if not granted_paths(request.user, ROSTER_ROLES):
        raise role_refusal(ROSTER_ROLES, action="Nhập danh sách đảng viên")
    form = RosterUploadForm(request.POST or None, request.FILES or None, orgs=_roster_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = RosterImportJob.objects.create(
            user=request.user, org=form.cleaned_data["org"], filename=upload.name, data=upload.read()
        )
        audit_record(request.user, "member.import_upload", job, None, {"file": upload.name, "size": upload.size})
        run_roster_import.enqueue(job.pk)
        return redirect("org:roster_job", pk=job.pk)
    jobs = RosterImportJob.objects.filter(user=request.user).defer("data")[:10]
    return render(request, "org/roster_import.html", {"form": form, "jobs": jobs})


def _own_job(request, pk):
    return get_object_or_404(RosterImportJob.objects.defer("data"), pk=pk, user=request.user)


@login_required
def roster_job(request, pk):
    return render(request, "org/roster_job.html", {"job": _own_job(request, pk)})


@login_required
def roster_job_status(request, pk):
    return render(request, "org/_roster_job_status.html", {"job": _own_job(request, pk)})


@login_required
def roster_template(request):
    out = io.BytesIO()
    write_template_xlsx(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-dang-vien.xlsx"'
    return response
