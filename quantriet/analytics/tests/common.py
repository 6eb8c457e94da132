"""A small hand-made tree for the fidelity tests (no tests here).

Province T (tỉnh ủy) → commune C (đảng ủy xã) → cells A and B, four members each. A plan of T,
deadlines passed, every conference recorded through the services: T, C and A study thoroughly,
B skims (late, 45 minutes, the deputy in the chair, C's local section pasted in, half absent).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from quantriet.documents.models import Audience, DocType, Document
from quantriet.org.models import Member, MemberStatus, Organization, OrgKind, Position, Title
from quantriet.study import services
from quantriet.study.models import AttendanceStatus, Conference, EssayAudience, Level, LevelDeadline, StudyPlan

T_LOCAL = (
    "Toàn tỉnh có nhiều vùng bị xâm nhập mặn kéo dài, các huyện ven biển phải chuyển đổi cây trồng; "
    "cấp ủy các cấp phải gắn việc học chỉ thị với chương trình chuyển đổi số và cải cách thủ tục hành chính, "
    "mỗi ủy viên ban thường vụ phụ trách một đảng bộ và dự sinh hoạt chi bộ ít nhất mỗi quý một lần."
)
C_LOCAL = (
    "Xã có ba ấp ven sông thường bị sạt lở, nhiều hộ trồng bưởi và chôm chôm thiếu đầu ra ổn định; "
    "đảng ủy giao mỗi chi bộ ấp vận động bà con liên kết với hợp tác xã, làm lại tuyến đường liên ấp "
    "và kiểm tra việc tự học của đảng viên trẻ đang làm việc ở khu công nghiệp."
)
A_LOCAL = (
    "Chi bộ ấp An Hòa có mười hai hộ còn khó khăn, hai tuyến kênh nội đồng bị bồi lắng cần nạo vét trước mùa khô; "
    "mỗi đảng viên nhận kèm một hộ, vận động góp ngày công và báo cáo kết quả trong buổi sinh hoạt tháng sau."
)


@dataclass
class Tree:
    t: Organization
    c: Organization
    a: Organization
    b: Organization
    plan: StudyPlan
    members: dict
    conferences: dict


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def add_org(parent, code, name, kind=OrgKind.CHI_BO):
    org = Organization(code=code, name=name, kind=kind)
    return (
        Organization.objects.add_child(parent, instance=org) if parent else Organization.objects.add_root(instance=org)
    )


def _members(cell, start: int, n: int = 4) -> list[Member]:
    return [
        Member.objects.create(
            full_name=f"Đảng viên {cell.code} số {i + 1}",
            card_number=f"{start + i:08d}",
            date_of_birth=datetime.date(1980, 1, 1),
            gender="nam",
            joined_on=datetime.date(2010, 1, 1),
            status=MemberStatus.FULL,
            cell=cell,
        )
        for i in range(n)
    ]


def _secretary(member, org):
    Position.objects.create(member=member, org=org, title=Title.SECRETARY, start=datetime.date(2020, 1, 1))


def _held(plan, host, when, *, minutes, local, chair, presenter, covered=None, reasons=""):
    conference = Conference(
        plan=plan,
        host=host,
        title=f"Hội nghị quán triệt — {host.name}",
        starts_at=timezone.make_aware(datetime.datetime.combine(when, datetime.time(8))),
        duration_minutes=minutes,
        location="Hội trường",
        chair=chair,
        chair_reason=reasons,
        presenter_reason=reasons,
        local_context=local,
    )
    services.conference_save(None, conference, covered or [host], [presenter], [])
    services.conference_mark_held(None, conference)
    return conference


def build_tree(essays=EssayAudience.NONE) -> Tree:
    t = add_org(None, "TT", "Đảng bộ tỉnh Thử Nghiệm", OrgKind.TINH_UY)
    c = add_org(t, "TT-C", "Đảng bộ xã Thử Nghiệm", OrgKind.DANG_UY_XA)
    a = add_org(c, "TT-C-A", "Chi bộ ấp An Hòa", OrgKind.CHI_BO)
    b = add_org(c, "TT-C-B", "Chi bộ ấp Bình Lợi", OrgKind.CHI_BO)
    members = {"a": _members(a, 91000000), "b": _members(b, 91000100)}
    for org, member in ((t, members["a"][0]), (c, members["a"][1]), (a, members["a"][2]), (b, members["b"][0])):
        _secretary(member, org)
    document = Document.objects.create(
        number="990",
        type_code="CT",
        issuer_code="TU",
        doc_type=DocType.DIRECTIVE,
        title="Về học tập nghị quyết (thử nghiệm chỉ số)",
        issuer_name="Tỉnh ủy Thử Nghiệm",
        issued_on=datetime.date(2026, 1, 5),
    )
    plan = StudyPlan.objects.create(
        issuer=t,
        symbol="990-KH/TU",
        title="Kế hoạch học tập Chỉ thị 990-CT/TU",
        audiences=[Audience.MEMBERS],
        essay_audience=essays,
        essay_deadline=days_ago(-5) if essays else None,
    )
    plan.documents.add(document)
    for level, ago in ((Level.PROVINCE, 20), (Level.UPPER, 10), (Level.CELL, 3)):
        LevelDeadline.objects.create(plan=plan, level=level, deadline=days_ago(ago))
    services.plan_publish(None, plan)
    plan.refresh_from_db()
    secretary_t, secretary_c, secretary_a = members["a"][:3]
    conferences = {
        "t": _held(plan, t, days_ago(25), minutes=240, local=T_LOCAL, chair=secretary_t, presenter=secretary_t),
        "c": _held(plan, c, days_ago(12), minutes=180, local=C_LOCAL, chair=secretary_c, presenter=secretary_c),
        "a": _held(plan, a, days_ago(5), minutes=120, local=A_LOCAL, chair=secretary_a, presenter=secretary_a),
        "b": _held(
            plan,
            b,
            days_ago(1),
            minutes=45,
            local=C_LOCAL,
            chair=members["b"][1],
            presenter=members["b"][1],
            reasons="Bí thư đi công tác.",
        ),
    }
    for member in members["a"]:
        services.attendance_mark(None, conferences["a"], member, AttendanceStatus.PRESENT)
    marks = [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
    for member, status in zip(members["b"], marks, strict=True):
        reason = "Ốm." if status == AttendanceStatus.EXCUSED else ""
        services.attendance_mark(None, conferences["b"], member, status, reason)
    return Tree(t, c, a, b, plan, members, conferences)
