"""Pages that change the tree, members and positions.

Objects are fetched through the `access_<kind>` functions (org/access.py): out of scope → 404,
in scope without the policy's right → 403. Every change goes through a service in services.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .access import (
    access_member,
    access_org,
    access_position,
    access_transfer_request,
    may_decide,
    transfer_request_units,
)
from .forms import (
    MemberForm,
    MemberTransferForm,
    OrganizationForm,
    OrgMergeForm,
    OrgMoveForm,
    PositionEndForm,
    PositionForm,
)
from .models import CELL_KINDS, Member, Organization, TransferRequest, TransferRequestStatus
from .policy import orgs_where, require_anywhere
from .tree import parent_path


def _managed(user, action):
    """Active organisations where USER may do ACTION."""
    return orgs_where(user, action).active()


def _form_page(request, form, title, submit, cancel, danger=False):
    context = {"form": form, "title": title, "submit": submit, "cancel": cancel, "danger": danger}
    return render(request, "org/form.html", context)


def _apply(request, form, action):
    """Run ACTION if FORM is valid; a service's ValidationError becomes a form error."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None


@require_http_methods(["GET", "POST"])
def org_create(request, pk):
    parent = access_org(request.user, pk, "org.restructure")
    form = OrganizationForm(request.POST or None, initial={"valid_from": timezone.localdate()})

    def create(data):
        return services.org_create(request.user, parent, **data)

    child = _apply(request, form, create)
    if child:
        messages.success(request, f"Đã thêm {child.name}.")
        return redirect("org:detail", pk=child.pk)
    return _form_page(request, form, f"Thêm tổ chức trực thuộc {parent.name}", "Thêm", parent)


@require_http_methods(["GET", "POST"])
def org_edit(request, pk):
    org = access_org(request.user, pk, "org.restructure")
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    form.fields.pop("kind")

    def update(data):
        return services.org_update(request.user, org, **data)

    if _apply(request, form, update):
        messages.success(request, "Đã lưu thông tin tổ chức.")
        return redirect("org:detail", pk=org.pk)
    return _form_page(request, form, f"Sửa thông tin {org.name}", "Lưu", org)


@require_http_methods(["GET", "POST"])
def org_move(request, pk):
    org = access_org(request.user, pk, "org.restructure")
    targets = _managed(request.user, "org.restructure").exclude(path__startswith=org.path).exclude(kind__in=CELL_KINDS)
    form = OrgMoveForm(request.POST or None, targets=targets.order_by("path"))
    if _apply(request, form, lambda data: services.org_move(request.user, org, data["new_parent"])):
        messages.success(request, f"Đã chuyển {org.name}.")
        return redirect("org:detail", pk=org.pk)
    return _form_page(request, form, f"Chuyển {org.name} sang đơn vị khác", "Chuyển", org)


@require_http_methods(["GET", "POST"])
def org_merge(request, pk):
    org = access_org(request.user, pk, "org.restructure")
    targets = _managed(request.user, "org.restructure").exclude(path__startswith=org.path)
    # Cells merge into cells, committees into committees.
    targets = targets.filter(kind__in=CELL_KINDS) if org.is_cell else targets.exclude(kind__in=CELL_KINDS)
    form = OrgMergeForm(request.POST or None, targets=targets.order_by("path"), initial={"on": timezone.localdate()})

    def merge(data):
        return services.org_merge(request.user, [org], data["successor"], data["on"])

    successor = _apply(request, form, merge)
    if successor:
        messages.success(request, f"Đã hợp nhất {org.name} vào {successor.name}.")
        return redirect("org:detail", pk=successor.pk)
    title = f"Hợp nhất {org.name} vào đơn vị khác"
    return _form_page(request, form, title, "Hợp nhất", org, danger=True)


@require_http_methods(["GET", "POST"])
def member_create(request, pk):
    cell = access_org(request.user, pk, "roster.manage")
    if not cell.is_cell:
        raise PermissionDenied("Đảng viên chỉ được thêm vào một chi bộ: hãy mở trang chi bộ nơi đảng viên sinh hoạt.")
    form = MemberForm(request.POST or None)

    def create(data):
        return services.member_save(request.user, Member(cell=cell, **data))

    member = _apply(request, form, create)
    if member:
        messages.success(request, f"Đã thêm đảng viên {member.full_name}.")
        return redirect("org:member", pk=member.pk)
    return _form_page(request, form, f"Thêm đảng viên vào {cell.name}", "Thêm", cell)


@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = access_member(request.user, pk, "roster.manage")
    form = MemberForm(request.POST or None, instance=member)
    if _apply(request, form, lambda data: services.member_save(request.user, form.instance)):
        messages.success(request, "Đã lưu hồ sơ đảng viên.")
        return redirect("org:member", pk=member.pk)
    return _form_page(request, form, f"Sửa hồ sơ {member.full_name}", "Lưu", member)


@require_http_methods(["GET", "POST"])
def member_transfer(request, pk):
    member = access_member(request.user, pk, "roster.manage")
    cells = _managed(request.user, "roster.manage").cells().exclude(pk=member.cell_id).order_by("path")
    form = MemberTransferForm(request.POST or None, cells=cells, initial={"on": timezone.localdate()})

    def transfer(data):
        return services.member_transfer(request.user, member, data["to_cell"], data["on"], data["kind"], data["note"])

    if _apply(request, form, transfer):
        messages.success(request, f"Đã chuyển sinh hoạt đảng của {member.full_name}.")
        return redirect("org:member", pk=member.pk)
    return _form_page(request, form, f"Chuyển sinh hoạt đảng: {member.full_name}", "Chuyển", member)


@require_http_methods(["GET", "POST"])
def position_assign(request, pk):
    org = access_org(request.user, pk, "roster.manage")
    form = PositionForm(request.POST or None, org=org, initial={"start": timezone.localdate()})

    def assign(data):
        return services.position_assign(request.user, org, data["member_number"], data["title"], data["start"])

    position = _apply(request, form, assign)
    if position:
        messages.success(request, f"Đã phân công {position.member} làm {position.get_title_display()}.")
        return redirect("org:detail", pk=org.pk)
    return _form_page(request, form, f"Phân công chức vụ trong {org.name}", "Phân công", org)


@require_POST
def position_end(request, pk):
    position = access_position(request.user, pk, "roster.manage")
    form = PositionEndForm(request.POST)
    if _apply(request, form, lambda data: services.position_end(request.user, position, data["end"])):
        messages.success(request, f"{position.member} thôi giữ chức vụ {position.get_title_display()}.")
    else:
        messages.error(
            request, "Không kết thúc được chức vụ: " + " ".join(form.errors.get("__all__", ["ngày không hợp lệ."]))
        )
    return redirect("org:detail", pk=position.org_id)


# ---------------------------------------------------------------- transfer requests


def transfer_requests(request):
    """Requests to move a member between units that the user's grants cover both ends of."""
    require_anywhere(request.user, "roster.manage")
    rows = (
        TransferRequest.objects.visible_to(request.user)
        .select_related("member__cell", "to_cell", "requested_by", "decided_by")
        .order_by(Case(When(status=TransferRequestStatus.PENDING, then=0), default=1), "-created_at", "-id")[:200]
    )
    rows = list(rows)
    names = _names_with_parent([unit for row in rows for unit in transfer_request_units(row)])
    items = [
        {
            "row": row,
            "from": names[row.member.cell_id],
            "to": names[row.to_cell_id],
            "may_decide": row.status == TransferRequestStatus.PENDING and may_decide(request.user, row),
        }
        for row in rows
    ]
    return render(request, "org/transfer_requests.html", {"items": items})


def _names_with_parent(cells) -> dict[int, str]:
    """ "Chi bộ Quân sự — Đảng bộ xã Vĩnh Thành" per cell id: cells of different communes share names."""
    parents = Organization.objects.filter(path__in={parent_path(c.path) for c in cells}).values_list("path", "name")
    parent_names = dict(parents)
    return {c.pk: " — ".join(filter(None, [c.name, parent_names.get(parent_path(c.path))])) for c in cells}


@require_POST
def transfer_request_decide(request, pk):
    row = access_transfer_request(request.user, pk, "roster.manage")
    approve = request.POST.get("action") == "approve"
    try:
        services.transfer_request_decide(request.user, row, approve, request.POST.get("note", "").strip())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            f"Đã chuyển sinh hoạt đảng của {row.member.full_name} về {row.to_cell.name}."
            if approve
            else (f"Đã không chấp thuận đề nghị số {row.pk}.")
        )
        messages.success(request, done)
    return redirect("org:transfer_requests")
