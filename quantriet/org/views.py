"""Pages of the org app. Every object is fetched through the access gate (`visible_to`, through the
access functions of access.py where a page shows one object); rights are asked of the policy."""

import io

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from quantriet.core.audit import audit_record
from quantriet.core.files import attachment
from quantriet.core.text import search_text

from .access import access_member, access_org, may_read_study_record
from .forms import RosterUploadForm
from .models import TITLE_RANK, Member, Organization, Position, attach_parent_names
from .policy import can, orgs_where, require_anywhere
from .roster import write_members_xlsx, write_template_xlsx
from .tasks import roster_import_start, roster_jobs


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


def tree(request):
    query = search_text(request.GET.get("q"))
    visible = Organization.objects.visible_to(request.user)
    if query:
        found = visible.search(query).order_by("path")[:100]
        found = attach_parent_names(_with_counts(found))
        return render(request, "org/tree.html", {"query": query, "found": found})
    return render(request, "org/tree.html", {"nodes": _with_counts(Organization.objects.visible_roots(request.user))})


def tree_children(request, pk):
    org = access_org(request.user, pk)
    children = org.visible_children(Organization.objects.visible_to(request.user))
    return render(request, "org/_tree_nodes.html", {"nodes": _with_counts(children)})


def _leaders(org):
    positions = Position.objects.current().filter(org=org).select_related("member")
    return sorted(positions, key=lambda p: (TITLE_RANK[p.title], p.member.name_key))


def org_detail(request, pk):
    org = access_org(request.user, pk)
    visible = Organization.objects.visible_to(request.user)
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
        "can_structure": can(request.user, "org.restructure", org),
        "can_roster": can(request.user, "roster.manage", org),
    }
    return render(request, "org/org_detail.html", context)


def org_export(request, pk):
    org = access_org(request.user, pk)
    members = Member.objects.visible_to(request.user).in_subtree(org).order_by("cell__path", "name_key", "id")
    out = io.BytesIO()
    count = write_members_xlsx(members, out)
    audit_record(request.user, "member.export", org, None, {"rows": count})
    return attachment(out.getvalue(), f"dang-vien-{org.code}-{timezone.localdate():%Y%m%d}.xlsx")


def member_detail(request, pk):
    member = access_member(request.user, pk)
    context = {
        "member": member,
        "positions": member.positions.select_related("org").order_by("-start"),
        "transfers": member.transfers.select_related("from_cell", "to_cell"),
        "cell_visible": Organization.objects.visible_to(request.user).filter(pk=member.cell_id).exists(),
        "can_roster": can(request.user, "roster.manage", member.cell),
        # The record itself is served by a higher app (analytics.home.member_record) as an htmx partial.
        "can_see_record": may_read_study_record(request.user, member),
    }
    return render(request, "org/member_detail.html", context)


@require_http_methods(["GET", "POST"])
def roster_import(request):
    require_anywhere(request.user, "roster.import")
    orgs = orgs_where(request.user, "roster.import").active()
    form = RosterUploadForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = roster_import_start(request.user, form.cleaned_data["org"], upload.name, upload.read())
        return redirect("org:roster_job", pk=job.pk)
    return render(request, "org/roster_import.html", {"form": form, "jobs": roster_jobs(request.user)[:10]})


def _own_job(request, pk):
    return get_object_or_404(roster_jobs(request.user), pk=pk)


def roster_job(request, pk):
    return render(request, "org/roster_job.html", {"job": _own_job(request, pk)})


def roster_job_status(request, pk):
    return render(request, "org/_roster_job_status.html", {"job": _own_job(request, pk)})


def roster_template(request):
    out = io.BytesIO()
    write_template_xlsx(out)
    return attachment(out.getvalue(), "mau-danh-sach-dang-vien.xlsx")
