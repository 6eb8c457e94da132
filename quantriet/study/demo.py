"""The demo province's study cascade: Chỉ thị 28-CT/TU, one published plan, conferences at every
level with realistic flaws, attendance, and one conference in progress for `dangvien1`'s cell.

Dates are relative to the day the demo is seeded (the plan was published 30 days earlier), so
the progress tree always shows every status: held on time, held late, overdue, not yet due.
Everything else is drawn from one seeded random generator.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from quantriet.core.audit import audit_record
from quantriet.documents.demo import register_directive_28
from quantriet.documents.models import Audience
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization, Position, Title
from quantriet.org.tree import ancestors_of

from . import services
from .models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    BridgePoint,
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    EssayAudience,
    Level,
    LevelDeadline,
    Obligation,
    StudyPlan,
)

PLAN_SYMBOL = "12-KH/BTGDVTU"
LIVE_TITLE = "Chi bộ học tập, quán triệt Chỉ thị 28-CT/TU (đang diễn ra)"
SEED = 2810
#: Members check in with their phones (QR code), so the rules cannot forbid phones: silent, and only for that.
CLASS_RULES = (
    "Đảng viên dự đủ thời gian; điểm danh bằng mã QR trên màn hình rồi để điện thoại ở chế độ im lặng, "
    "chỉ dùng để điểm danh; viết thu hoạch đúng hạn."
)
EXCUSES = ["Ốm, nằm viện", "Đi công tác theo phân công", "Việc gia đình đột xuất", "Đi học tập trung"]
DEPUTY_REASONS = ["Bí thư đi công tác tỉnh, ủy quyền Phó Bí thư chủ trì", "Bí thư nghỉ ốm"]
#: Facts a unit may relate the directive to; each conference's local section picks three, none of
#: them used by a unit above it, so sections differ from level to level as real ones do (the
#: fidelity index judges a section sharing half its text with the one above copied; a copied one
#: is a deliberate demo case).
LOCAL_FACTS = (
    "Việc học tập nghị quyết trước đây ở {unit} còn hình thức, có chi bộ chỉ đọc lại văn bản.",
    "Tỷ lệ đảng viên viết thu hoạch năm trước chỉ đạt {rate}%, nhiều bài chép lại của nhau.",
    "Mỗi chi ủy viên phụ trách một tổ đảng viên, kiểm tra việc tự học hằng tháng.",
    "Nội dung chỉ thị được gắn với nhiệm vụ chuyển đổi số trong giải quyết thủ tục hành chính.",
    "Vùng trồng lúa bị xâm nhập mặn {rate} ngày trong mùa khô, đảng viên phải đi đầu chuyển đổi cây trồng.",
    "Vườn cây ăn trái ven sông cần liên kết tiêu thụ, hợp tác xã mới thu mua được một phần sản lượng.",
    "Khu công nghiệp thu hút nhiều lao động trẻ, sinh hoạt đảng ở khu nhà trọ còn khó khăn.",
    "Bà con ngư dân đi biển dài ngày nên chi bộ phải tổ chức học bù vào dịp trăng.",
    "Đường giao thông nông thôn còn {rate} cây số chưa bê tông hóa, cần vận động nhân dân hiến đất.",
    "Một số đảng viên lớn tuổi chưa dùng được điện thoại thông minh để tự học trên ứng dụng.",
    "Tình trạng tảo hôn và bỏ học sớm ở ấp vùng sâu vẫn còn, giao đoàn thanh niên theo dõi từng hộ.",
    "Chợ đầu mối mới xây chưa hoạt động hết công suất, tiểu thương còn ngại chuyển vào.",
    "Trạm y tế thiếu bác sĩ, đảng viên ngành y được phân công khám lưu động mỗi tuần.",
    "Phong trào khởi nghiệp của thanh niên với sản phẩm dừa, tôm khô cần được hỗ trợ vốn vay.",
    "Công tác tiếp công dân, giải quyết khiếu nại về đất đai còn chậm, có vụ kéo dài {rate} tháng.",
    "Trường học vùng ven thiếu phòng học, chi bộ vận động mạnh thường quân hỗ trợ.",
)


class StudyDemo:
    def __init__(self, actor=None, today=None):
        self.rng = random.Random(SEED)
        self.text_rng = random.Random(SEED + 1)  # local sections: their own stream keeps the rest as it was
        self.local_texts = {}  # org pk -> its section's text
        self.local_facts = {}  # org path -> the facts its section relates (a copied section: the copied ones)
        self.pending, self.attendance_rows = [], []
        self.actor = actor
        self.today = today or timezone.localdate()
        self.start = self.today - datetime.timedelta(days=30)
        self.root = Organization.objects.get(code=ROOT_CODE)
        day = self.today
        self.secretaries = dict(
            Position.objects.current(day).filter(title=Title.SECRETARY).values_list("org_id", "member_id")
        )
        self.deputies = dict(
            Position.objects.current(day).filter(title=Title.DEPUTY).values_list("org_id", "member_id")
        )
        self.standing = dict(
            Position.objects.current(day).filter(title=Title.STANDING_DEPUTY).values_list("org_id", "member_id")
        )

    def at(self, day, hour=8):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))

    def create_plan(self):
        document = register_directive_28(self.actor)
        plan = StudyPlan.objects.create(
            issuer=self.root,
            symbol=PLAN_SYMBOL,
            title="Kế hoạch học tập, quán triệt Chỉ thị 28-CT/TU của Ban Thường vụ Tỉnh ủy",
            form="quan_triet",
            purpose="Nâng cao trách nhiệm, gương mẫu của người đứng đầu; khắc phục tình trạng cấp trên làm kỹ, "
            "cấp dưới làm lướt trong học tập, quán triệt nghị quyết.",
            content="Toàn văn Chỉ thị 28-CT/TU; tám nhóm nhiệm vụ, giải pháp; trách nhiệm của bí thư cấp ủy.",
            audiences=[Audience.KEY_CADRES, Audience.MEMBERS],
            materials="Chỉ thị 28-CT/TU; tài liệu tóm tắt cho đảng viên do Ban Tuyên giáo và Dân vận biên soạn.",
            budget_amount=45_000_000,
            budget_note="Ngân sách Đảng năm 2026 (dự toán của Văn phòng Tỉnh ủy)",
            essay_audience=EssayAudience.ALL_MEMBERS,
            # Within the year, whose evaluation counts the essays due in it (evaluation.demo shows the copies).
            essay_deadline=min(self.today + datetime.timedelta(days=20), datetime.date(self.today.year, 12, 31)),
            quiz_required=True,
            created_by=self.actor,
        )
        plan.documents.add(document)
        schedule = {Level.PROVINCE: 0, Level.UPPER: 12, Level.GRASSROOTS: 20, Level.CELL: 35}
        for level, days in schedule.items():
            LevelDeadline.objects.create(plan=plan, level=level, deadline=self.start + datetime.timedelta(days=days))
        services.plan_publish(self.actor, plan)
        StudyPlan.objects.filter(pk=plan.pk).update(published_at=self.at(self.start - datetime.timedelta(days=3)))
        return plan

    # ------------------------------------------------------------ conferences

    def local_text(self, org, copy_from=None) -> str:
        """Three facts about ORG, or, for a skimming unit, its parent's section copied word for word.

        The facts are drawn from those no unit above ORG related (its parent, and further up: a
        bloc that joined the province's conference by a bridging point has no section of its own,
        and its units are judged against the province's), so only a deliberate copy reads as one.
        """
        if copy_from is not None and copy_from.pk in self.local_texts:
            self.local_facts[org.path] = self.local_facts[copy_from.path]
            return self.local_texts[copy_from.pk]
        above = {fact for path in ancestors_of(org.path) for fact in self.local_facts.get(path, ())}
        facts = self.text_rng.sample([fact for fact in LOCAL_FACTS if fact not in above], 3)
        self.local_facts[org.path] = facts
        text = " ".join(f.format(unit=org.name, rate=self.text_rng.randint(12, 98)) for f in facts)
        self.local_texts[org.pk] = text
        return f"Liên hệ tình hình {org.name}: {text}"

    def conference(
        self, plan, org, day, *, duration, deputy=False, context=True, covered=None, copy_from=None, **extra
    ):
        """A conference queued for `flush` (bulk-created with its covered units and presenter)."""
        secretary = self.secretaries.get(org.pk)
        chair = self.deputies.get(org.pk) if deputy else secretary
        reason = self.rng.choice(DEPUTY_REASONS) if deputy and secretary else ""
        conference = Conference(
            plan=plan,
            host=org,
            title=f"Hội nghị học tập, quán triệt Chỉ thị 28-CT/TU — {org.name}",
            starts_at=self.at(day, self.rng.choice([7, 8, 14])),
            duration_minutes=duration,
            location=f"Hội trường {org.name}",
            chair_id=chair,
            chair_reason=reason,
            presenter_reason=reason,
            board_head_id=self.standing.get(org.pk) or self.deputies.get(org.pk),
            local_context=self.local_text(org, copy_from) if context else "",
            class_rules=CLASS_RULES,
            status=ConferenceStatus.HELD if day <= self.today else ConferenceStatus.PLANNED,
            created_by=self.actor,
            **extra,
        )
        presenter = chair if deputy else secretary
        self.pending.append((conference, [o.pk for o in covered or [org]], presenter))
        return conference

    def flush(self):
        """Write the queued conferences, their covered units, presenters and attendance in bulk."""
        Conference.objects.bulk_create([c for c, _, _ in self.pending], batch_size=1000)
        covered = Conference.covered_orgs.through
        presenters = Conference.presenters.through
        covered.objects.bulk_create(
            [covered(conference_id=c.pk, organization_id=o) for c, orgs, _ in self.pending for o in orgs],
            batch_size=5000,
        )
        presenters.objects.bulk_create(
            [presenters(conference_id=c.pk, member_id=p) for c, _, p in self.pending if p], batch_size=5000
        )
        Attendance.objects.bulk_create(self.attendance_rows, batch_size=5000)
        self.pending, self.attendance_rows = [], []

    def attendance(self, conference, members, sloppy=False):
        """Attendance of a queued conference: mostly present, a few late, excused or absent."""
        for member_id in members:
            roll = self.rng.random() + (0.15 if sloppy else 0)
            if roll < 0.84:
                status, reason = AttendanceStatus.PRESENT, ""
            elif roll < 0.9:
                status, reason = AttendanceStatus.LATE, ""
            elif roll < 0.96:
                status, reason = AttendanceStatus.EXCUSED, self.rng.choice(EXCUSES)
            else:
                status, reason = AttendanceStatus.ABSENT, ""
            self.attendance_rows.append(
                Attendance(
                    conference=conference,
                    member_id=member_id,
                    status=status,
                    reason=reason,
                    source=AttendanceSource.BOARD,
                )
            )

    def hold(self, plan, live_cell):
        """Conferences at every level: most on time, some late or missing, some chaired by a deputy."""
        province = self.conference(
            plan, self.root, self.start, duration=240, format=ConferenceFormat.HYBRID, covered=[self.root]
        )
        self.flush()  # bridging points refer to it
        members_by_cell = {}
        for pk, cell_id in Member.objects.values_list("pk", "cell_id"):
            members_by_cell.setdefault(cell_id, []).append(pk)
        upper = list(
            Organization.objects.get_children(self.root)
            .filter(kind__in=["dang_uy_xa", "dang_uy_khoi"])
            .order_by("path")
        )
        for index, org in enumerate(upper):
            roll = self.rng.random()
            deadline = self.start + datetime.timedelta(days=12)
            duration, context = self.rng.choice([150, 180, 180, 240]), self.rng.random() < 0.85
            # `upper` is in path order: the bloc committees (đảng ủy khối, in org.demo_names.BLOCS order)
            # come first, then the communes and wards, so the fixed cases below are blocs; the demo
            # communes of xa1.bithu and xa2.bithu (X001, X002) follow them and are drawn like the rest.
            if index < 2:  # the first two blocs (cơ quan Đảng, UBND tỉnh): one on time, one late with a deputy
                day, deputy = (
                    (deadline - datetime.timedelta(days=3), False)
                    if index == 0
                    else (deadline + datetime.timedelta(days=4), True)
                )
            elif index == 2:  # the third bloc (Quân sự tỉnh), "làm lướt": late, an hour, a deputy, nothing local
                day, deputy, duration, context = deadline + datetime.timedelta(days=6), True, 60, False
            elif roll < 0.08:
                BridgePoint.objects.create(
                    conference=province,
                    host=org,
                    place=f"Hội trường {org.name}",
                    expected=40,
                    actual=self.rng.randint(30, 40),
                )
                self.hold_units(plan, org, self.start, members_by_cell, live_cell)
                continue
            elif roll < 0.16:
                continue  # never held: overdue
            else:
                late = roll > 0.85
                day = (
                    deadline + datetime.timedelta(days=self.rng.randint(1, 6))
                    if late
                    else (deadline - datetime.timedelta(days=self.rng.randint(0, 8)))
                )
                deputy = self.rng.random() < 0.12
            conference = self.conference(plan, org, day, duration=duration, deputy=deputy, context=context)
            cadres = Position.objects.current(self.today).filter(org__path__startswith=org.path)
            self.attendance(conference, sorted(set(cadres.values_list("member_id", flat=True))))
            self.hold_units(plan, org, day, members_by_cell, live_cell)
        self.flush()
        self.fulfil(plan)
        for bridge_host in BridgePoint.objects.filter(conference=province).values_list("host", flat=True):
            Obligation.objects.filter(plan=plan, org_id=bridge_host).update(conference=province, held_on=self.start)

    def hold_units(self, plan, org, parent_day, members_by_cell, live_cell):
        """Conferences of the units under ORG (cells and grassroots committees), some skipped or skimmed."""
        for cell in org.subtree().exclude(pk__in=[org.pk, live_cell.pk]).order_by("path"):
            roll = self.rng.random()
            if roll < 0.25 or parent_day > self.today:
                continue  # not yet held
            day = min(
                self.today - datetime.timedelta(days=1), parent_day + datetime.timedelta(days=self.rng.randint(2, 20))
            )
            skim = roll > 0.9  # "làm lướt": short, no local context, weaker attendance
            conference = self.conference(
                plan,
                cell,
                day,
                duration=45 if skim else self.rng.choice([90, 120]),
                deputy=self.rng.random() < 0.1,
                context=not skim and roll < 0.75,
                copy_from=org if 0.68 < roll < 0.75 else None,  # the commune's section pasted in
            )
            self.attendance(conference, members_by_cell.get(cell.pk, []), sloppy=skim)

    def fulfil(self, plan):
        """Each held conference fulfils its covered units' obligations (the earliest one wins)."""
        held = {}
        covered = Conference.covered_orgs.through.objects.filter(
            conference__plan=plan, conference__status=ConferenceStatus.HELD
        ).select_related("conference")
        for link in covered.order_by("conference__starts_at"):
            held.setdefault(link.organization_id, link.conference)
        obligations = list(Obligation.objects.filter(plan=plan, org_id__in=held, held_on__isnull=True))
        for obligation in obligations:
            obligation.conference = held[obligation.org_id]
            obligation.held_on = timezone.localtime(obligation.conference.starts_at).date()
        Obligation.objects.bulk_update(obligations, ["conference", "held_on"], batch_size=2000)

    def live_conference(self, plan, cell):
        """The conference in progress for dangvien1's cell, run by xa1.bithu's commune."""
        secretary = self.secretaries.get(cell.pk)
        conference = Conference.objects.create(
            plan=plan,
            host=cell,
            title=LIVE_TITLE,
            starts_at=timezone.now(),
            duration_minutes=60,
            location=f"Nhà văn hóa — {cell.name}",
            chair_id=secretary,
            board_head_id=self.deputies.get(cell.pk),
            local_context=self.local_text(cell),
            class_rules=CLASS_RULES,
            created_by=self.actor,
        )
        conference.covered_orgs.set([cell])
        if secretary:
            conference.presenters.set([secretary])
        refresh_live_window()
        return conference


def refresh_live_window(now=None):
    """Keep the live demo conference in progress whenever the demo is served: started 5 minutes before NOW
    (default: now), yet not before the local day began — a demo seeded at 00:02 has its conference among
    today's, not yesterday's — and 8 hours long, so one seeded at 23:58 is still in progress after midnight."""
    now = now or timezone.now()
    day_began = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time.min))
    Conference.objects.filter(title=LIVE_TITLE).update(
        starts_at=max(now - datetime.timedelta(minutes=5), day_began),
        duration_minutes=8 * 60,
        status=ConferenceStatus.PLANNED,
    )


@transaction.atomic
def seed_study(live_member: Member, actor=None) -> dict:
    """The demo plan and its cascade (once); the live conference's window (every time)."""
    if StudyPlan.objects.filter(symbol=PLAN_SYMBOL).exists():
        refresh_live_window()
        return {"created": False}
    demo = StudyDemo(actor)
    plan = demo.create_plan()
    demo.hold(plan, live_member.cell)
    demo.live_conference(plan, live_member.cell)
    summary = {
        "created": True,
        "conferences": plan.conferences.count(),
        "attendance": Attendance.objects.filter(conference__plan=plan).count(),
    }
    audit_record(actor, "demo.seed_study", plan, None, summary)
    return summary
