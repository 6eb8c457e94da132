from datetime import date

from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from quantriet.core.api import MAX_ID, TAGS, Pages

from .access import access_member, access_org
from .models import Member, Organization

router = Router(tags=[TAGS["org"]])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    depth: int
    valid_from: date | None
    valid_to: date | None


class OrgDetailOut(OrgOut):
    parent_id: int | None
    children: list[OrgOut]


class MemberOut(Schema):
    id: int
    full_name: str
    card_number: str | None
    status: str
    gender: str
    cell_id: int
    cell_code: str = Field(..., alias="cell.code")


class MemberDetailOut(MemberOut):
    record_number: str | None
    date_of_birth: date
    ethnicity: str
    phone: str
    email: str
    joined_on: date
    official_on: date | None
    cell_name: str = Field(..., alias="cell.name")


class MemberFilter(Schema):
    org: int | None = Field(None, ge=1, le=MAX_ID, description="Chỉ đảng viên trong cây con của tổ chức này")


@router.get("/orgs", response=list[OrgOut], summary="Các tổ chức gốc được xem")
def list_roots(request):
    return Organization.objects.visible_roots(request.user)


@router.get("/orgs/{org_id}", response=OrgDetailOut, summary="Một tổ chức và các tổ chức trực thuộc")
def get_org(request, org_id: int = Path(..., ge=1, le=MAX_ID)):
    org = access_org(request.user, org_id)
    visible = Organization.objects.visible_to(request.user)
    parent = Organization.objects.get_parent(org)
    org.parent_id = parent.pk if parent and visible.filter(pk=parent.pk).exists() else None
    org.children = list(org.visible_children(visible))
    return org


@router.get("/members", response=list[MemberOut], summary="Đảng viên trong phạm vi (phân trang)")
@paginate(Pages, page_size=50)
def list_members(request, filters: Query[MemberFilter]):
    members = Member.objects.visible_to(request.user).select_related("cell")
    if filters.org is not None:
        members = members.in_subtree(access_org(request.user, filters.org))
    return members.order_by("name_key", "id")


@router.get("/members/{member_id}", response=MemberDetailOut, summary="Một đảng viên")
def get_member(request, member_id: int = Path(..., ge=1, le=MAX_ID)):
    return access_member(request.user, member_id)
