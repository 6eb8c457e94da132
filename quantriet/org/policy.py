"""The one permission policy: who may do what, as a table of named actions → roles.

A `Grant(user, org, role)` applies to the organisation and its whole subtree, so "USER may do
ACTION on ORG" means: USER holds one of the action's roles on ORG or on one of its ancestors.
An action on no organisation (a central document, the sample library) needs the role at the top
of the tree (cấp tỉnh, a root node).

Views and API operations never spell out role sets: they fetch objects through one
`access_<kind>(user, id, action)` per object kind (in the app that owns the kind), built on
`access` below — out of scope (or missing) is a 404, in scope without the right a 403 whose
message is the action's own sentence. Lists and menus ask `can`, `holds_anywhere` or
`orgs_where`. The permission-matrix tests (quantriet/tests/test_policy_matrix.py) are driven by
`POLICY`: an action without a probe there fails the suite.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Organization, Role, granted_paths, subtree_q
from .tree import is_root_path

#: Those who run a unit's work: its leaders, office, propaganda staff and admins.
COMMITTEE = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICE, Role.PROPAGANDA})
#: Ban Tuyên giáo and admins: plans, documents, question banks, the sample library.
PROPAGANDA = frozenset({Role.ADMIN, Role.PROPAGANDA})


@dataclass(frozen=True)
class Rule:
    """One action: the roles that may do it, and its name in the refusal ("X cần quyền …")."""

    roles: frozenset
    label: str
    #: Who else may do it beyond grants, said after the refusal (the kind's access function
    #: implements it): the class board of a conference, the member themself.
    also: str = ""


#: Named actions → roles. Keep the labels Vietnamese: they are the 403 page's sentence.
POLICY: dict[str, Rule] = {
    "org.restructure": Rule(frozenset({Role.ADMIN, Role.OFFICE}), "Thay đổi cơ cấu tổ chức"),
    "roster.manage": Rule(frozenset({Role.ADMIN, Role.LEADER, Role.OFFICE}), "Quản lý danh sách đảng viên"),
    "roster.import": Rule(frozenset({Role.ADMIN, Role.LEADER, Role.OFFICE}), "Nhập danh sách đảng viên"),
    "member.study_record": Rule(
        COMMITTEE,
        "Xem kết quả học tập của đảng viên",
        also="Đảng viên luôn xem được kết quả học tập của chính mình.",
    ),
    "document.write": Rule(PROPAGANDA, "Cập nhật văn bản, tài liệu"),
    "plan.manage": Rule(PROPAGANDA, "Lập và điều hành kế hoạch học tập"),
    "conference.run": Rule(
        COMMITTEE,
        "Tổ chức, điều hành hội nghị học tập",
        also="Trưởng ban và thành viên ban quản lý lớp học của hội nghị cũng được làm việc này.",
    ),
    "essay.grade": Rule(COMMITTEE, "Xem và chấm bài thu hoạch"),
    "sample.manage": Rule(PROPAGANDA, "Quản lý thư viện bài mẫu"),
    "quiz.bank": Rule(PROPAGANDA, "Soạn ngân hàng câu hỏi"),
    "quiz.results": Rule(COMMITTEE, "Xem kết quả kiểm tra"),
    "programme.write": Rule(COMMITTEE, "Soạn thảo chương trình hành động"),
    "programme.approve": Rule(
        frozenset({Role.ADMIN, Role.LEADER}), "Thông qua, đưa vào thực hiện, tổng kết chương trình hành động"
    ),
    "programme.report": Rule(
        COMMITTEE,
        "Báo cáo tiến độ nhiệm vụ của chương trình hành động",
        also="Người chủ trì nhiệm vụ cũng báo cáo được tiến độ nhiệm vụ mình chủ trì.",
    ),
    "commitment.review": Rule(
        COMMITTEE,
        "Xem, nhận xét bản cam kết tu dưỡng, rèn luyện của đảng viên",
        also="Bí thư chi bộ cũng xem, nhận xét được bản cam kết của đảng viên trong chi bộ mình.",
    ),
    "programme.follow": Rule(COMMITTEE | {Role.INSPECTION}, "Theo dõi chương trình hành động các cấp"),
    "evaluation.self": Rule(
        COMMITTEE,
        "Tự đánh giá thay cho đảng viên, tự đánh giá của tập thể",
        also="Đảng viên luôn tự đánh giá được bản thân.",
    ),
    "evaluation.review": Rule(COMMITTEE, "Nhận xét, đánh giá đảng viên, tổ chức đảng"),
    "evaluation.decide": Rule(frozenset({Role.ADMIN, Role.LEADER}), "Quyết định xếp loại đảng viên, tổ chức đảng"),
    "fidelity.view": Rule(COMMITTEE | {Role.INSPECTION}, "Xem chỉ số làm kỹ"),
    "fidelity.refresh": Rule(PROPAGANDA, "Tính lại chỉ số làm kỹ"),
}

#: The action of a plain read: the object is in the user's scope (`visible_to`), no role needed.
VIEW = "view"


def rule(action: str) -> Rule:
    try:
        return POLICY[action]
    except KeyError:
        raise LookupError(f"Unknown action {action!r}: add it to org.policy.POLICY") from None


def can(user, action: str, org=None) -> bool:
    """Whether USER may do ACTION on ORG (None: at the top of the tree)."""
    if org is None:
        return any(is_root_path(path) for path in paths_where(user, action))
    return any(org.path.startswith(path) for path in paths_where(user, action))


def works_at_top(user) -> bool:
    """Whether USER holds any role on a province (the top of the tree), so reaches all of it."""
    return any(is_root_path(path) for path in granted_paths(user))


def refusal(action: str, org=None, *, anywhere=False) -> PermissionDenied:
    """The 403 for ACTION on ORG (None: at the top of the tree; ANYWHERE: on no unit at all) saying
    which rights would allow it, and where (the 403 page shows it), then who else may."""
    action_rule = rule(action)
    names = [label for value, label in Role.choices if value in action_rule.roles]
    listed = f"{', '.join(names[:-1])} hoặc {names[-1]}" if len(names) > 1 else names[0]
    place = f" của {org.name} (hoặc của cấp trên)" if org is not None else "" if anywhere else " cấp tỉnh"
    sentence = f"{action_rule.label} cần quyền {listed}{place}; tài khoản của bạn chưa được giao quyền đó."
    return PermissionDenied(f"{sentence} {action_rule.also}" if action_rule.also else sentence)


def require(user, action: str, org=None) -> None:
    """Raise the action's 403 unless USER may do ACTION on ORG."""
    if not can(user, action, org):
        raise refusal(action, org)


def holds_anywhere(user, action: str) -> bool:
    """Whether USER may do ACTION somewhere (menus, "create" buttons, pages listing their units)."""
    return bool(paths_where(user, action))


def require_anywhere(user, action: str) -> None:
    """Raise the action's 403 unless USER may do ACTION on some unit (pages that list their units)."""
    if not holds_anywhere(user, action):
        raise refusal(action, anywhere=True)


def paths_where(user, action: str) -> list[str]:
    """Tree paths of the subtrees where USER may do ACTION."""
    return granted_paths(user, rule(action).roles)


def orgs_where(user, action: str):
    """Organisations where USER may do ACTION (a queryset; not yet narrowed to active ones)."""
    return Organization.objects.filter(subtree_q(paths_where(user, action)))


def widest_where(user, action: str, within: Organization) -> Organization | None:
    """The widest organisation of WITHIN's subtree where USER may do ACTION: WITHIN itself when a
    grant covers it, else the first (in tree order) of the granted subtrees inside WITHIN — none of
    which is wider than another; None without such a grant."""
    for granted in paths_where(user, action):
        if granted.startswith(within.path):
            return Organization.objects.get(path=granted)
        if within.path.startswith(granted):
            return within
    return None


def access(queryset, pk, user, action: str, org_of: Callable, also: Callable | None = None):
    """The object PK of QUERYSET (already narrowed to USER's scope), else 404; without the right
    to ACTION on ORG_OF(object) — and unless ALSO(object) grants it — the action's 403."""
    obj = get_object_or_404(queryset, pk=pk)
    if action != VIEW and not can(user, action, org_of(obj)) and not (also and also(obj)):
        raise refusal(action, org_of(obj))
    return obj
