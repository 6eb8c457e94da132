"""Writes of the study cascade; each runs in one transaction and leaves an audit entry."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from quantriet.core.audit import audit_record, snapshot
from quantriet.core.files import read_upload, store_upload
from quantriet.documents.models import Audience
from quantriet.org.models import CELL_KINDS, Member, Organization, Position, Title
from quantriet.org.tree import is_within

from . import checkin as codes
from .models import (
    ATTENDED,
    KINDS_OF_LEVEL,
    LEVEL_OF_KIND,
    WRONG_CODE,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    CheckinAttempt,
    CheckinOutcome,
    Conference,
    ConferenceAttachment,
    ConferenceStatus,
    EssayAudience,
    Obligation,
    PlanStatus,
    StudyPlan,
)

# ---------------------------------------------------------------- plans


def plan_problems(plan: StudyPlan) -> list[str]:
    """What keeps PLAN from being published."""
    problems = []
    if not plan.documents.exists():
        problems.append("Chưa chọn văn bản cần học tập, quán triệt.")
    if not plan.deadlines.exists():
        problems.append("Chưa đặt thời hạn cho cấp nào.")
    if not plan.audiences:
        problems.append("Chưa chọn đối tượng học tập.")
    if plan.essay_audience and not plan.essay_deadline:
        problems.append("Có yêu cầu viết thu hoạch nhưng chưa đặt hạn nộp.")
    return problems


@transaction.atomic
def plan_publish(actor, plan: StudyPlan) -> int:
    """Publish PLAN: an obligation for every active organisation of the subtree at a scheduled level.

    The issuer's own conference tops the cascade: it gets its level's deadline, or the earliest
    one if its level is not scheduled. The accountable head is the secretary on the day of publishing.
    """
    StudyPlan.objects.select_for_update().filter(pk=plan.pk).first()  # one publisher at a time
    plan.refresh_from_db()
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("Chỉ ban hành được kế hoạch đang ở dạng bản nháp.")
    problems = plan_problems(plan)
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    deadlines = {d.level: d.deadline for d in plan.deadlines.all()}
    kinds = [kind for level in deadlines for kind in KINDS_OF_LEVEL[level]]
    orgs = list(plan.issuer.subtree().active(today).filter(kind__in=kinds).exclude(pk=plan.issuer.pk))
    orgs.append(plan.issuer)
    heads = dict(
        Position.objects.current(today)
        .filter(title=Title.SECRETARY, org__in=[o.pk for o in orgs])
        .values_list("org_id", "member_id")
    )
    obligations = []
    for org in orgs:
        level = LEVEL_OF_KIND[org.kind]
        deadline = deadlines.get(level) or min(deadlines.values())
        obligations.append(Obligation(plan=plan, org=org, level=level, deadline=deadline, head_id=heads.get(org.pk)))
    Obligation.objects.bulk_create(obligations, batch_size=2000)
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit_record(
        actor,
        "plan.publish",
        plan,
        {"status": PlanStatus.DRAFT},
        {"status": plan.status, "obligations": len(obligations)},
    )
    return len(obligations)


@transaction.atomic
def plan_close(actor, plan: StudyPlan) -> StudyPlan:
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationError("Chỉ kết thúc được kế hoạch đã ban hành.")
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    audit_record(actor, "plan.close", plan, {"status": PlanStatus.PUBLISHED}, {"status": plan.status})
    return plan


# ---------------------------------------------------------------- conferences


def conference_rule_problems(conference: Conference, presenters, board_head) -> list[tuple[str, str]]:
    """Chỉ thị 28's rules: the secretary chairs and presents; the standing deputy heads the class board.

    A departure is allowed only with a recorded reason; each missing reason is a (field, message).
    """
    day = timezone.localtime(conference.starts_at).date()
    secretary = conference.host.holder(Title.SECRETARY, day)
    problems = []
    if secretary and conference.chair_id != secretary.pk and not conference.chair_reason.strip():
        problems.append(("chair_reason", f"Bí thư ({secretary}) không chủ trì: phải ghi rõ lý do."))
    if secretary and secretary not in presenters and not conference.presenter_reason.strip():
        problems.append(("presenter_reason", f"Bí thư ({secretary}) không trực tiếp triển khai: phải ghi rõ lý do."))
    standing = conference.host.holder(Title.STANDING_DEPUTY, day)
    if standing and board_head != standing and not conference.board_reason.strip():
        problems.append(
            ("board_reason", f"Phó Bí thư Thường trực ({standing}) không phụ trách ban quản lý lớp học: ghi rõ lý do.")
        )
    return problems


@transaction.atomic
def conference_save(actor, conference: Conference, covered, presenters, board) -> Conference:
    """Create or update CONFERENCE with its covered organisations, presenters and class board."""
    problems = conference_rule_problems(conference, list(presenters), conference.board_head)
    if problems:
        errors = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)
    if not StudyPlan.objects.filter(pk=conference.plan_id, status=PlanStatus.PUBLISHED).exists():
        raise ValidationError("Kế hoạch chưa ban hành hoặc đã kết thúc.")
    if not conference.host.path.startswith(conference.plan.issuer.path):
        raise ValidationError("Tổ chức chủ trì không thuộc phạm vi của cấp ban hành kế hoạch.")
    before = snapshot(Conference.objects.get(pk=conference.pk)) if conference.pk else None
    conference.save()
    conference.covered_orgs.set(covered or [conference.host])
    conference.presenters.set(presenters)
    conference.board.set(board)
    audit_record(
        actor,
        "conference.update" if before else "conference.create",
        conference,
        before,
        snapshot(conference) | {"covered": [o.pk for o in conference.covered_orgs.all()]},
    )
    return conference


def _participating_orgs(conference):
    """The organisations CONFERENCE covers and those hosting its bridge points, each once (one query)."""
    return list(
        Organization.objects.filter(Q(conferences=conference) | Q(bridge_points__conference=conference)).distinct()
    )


@transaction.atomic
def conference_mark_held(actor, conference: Conference) -> int:
    """Record CONFERENCE as held; it fulfils the not-yet-fulfilled obligations of every organisation it covered."""
    if conference.starts_at > timezone.now():
        raise ValidationError("Hội nghị chưa diễn ra; chỉ ghi nhận đã tổ chức sau giờ bắt đầu.")
    if conference.status == ConferenceStatus.HELD:
        raise ValidationError("Hội nghị này đã được ghi nhận là đã tổ chức.")
    if conference.status == ConferenceStatus.CANCELLED:
        raise ValidationError("Hội nghị đã hủy không được ghi nhận là đã tổ chức.")
    if not StudyPlan.objects.filter(pk=conference.plan_id, status=PlanStatus.PUBLISHED).exists():
        raise ValidationError("Kế hoạch đã kết thúc; không ghi nhận thêm hội nghị.")
    conference.status = ConferenceStatus.HELD
    conference.save(update_fields=["status", "updated_at"])
    held_on = timezone.localtime(conference.starts_at).date()
    orgs = _participating_orgs(conference)
    fulfilled = Obligation.objects.filter(plan=conference.plan, org__in=orgs, held_on__isnull=True).update(
        conference=conference, held_on=held_on
    )
    audit_record(
        actor,
        "conference.held",
        conference,
        {"status": ConferenceStatus.PLANNED},
        {"status": conference.status, "fulfilled": fulfilled},
    )
    return fulfilled


#: Longest cancel reason kept (a sentence or two, shown on the conference's page).
CANCEL_REASON_MAX = 500


@transaction.atomic
def conference_cancel(actor, conference: Conference, reason: str) -> Conference:
    """Cancel a conference not yet held, with its reason. It then fulfils no obligation and takes no check-in."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Hãy ghi lý do hủy hội nghị.")
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError(f"Lý do hủy dài quá {CANCEL_REASON_MAX} ký tự; hãy viết gọn lại.")
    current = Conference.objects.select_for_update().get(pk=conference.pk)
    if current.status == ConferenceStatus.CANCELLED:
        raise ValidationError("Hội nghị này đã hủy trước đó.")
    if current.status == ConferenceStatus.HELD:
        raise ValidationError("Hội nghị đã ghi nhận là đã tổ chức thì không hủy được.")
    before = snapshot(current, ["status", "cancel_reason"])
    conference.status, conference.cancel_reason = ConferenceStatus.CANCELLED, reason
    conference.cancelled_at, conference.cancelled_by = timezone.now(), actor
    conference.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "updated_at"])
    audit_record(actor, "conference.cancel", conference, before, snapshot(conference, ["status", "cancel_reason"]))
    return conference


# ---------------------------------------------------------------- roster and attendance


def conference_roster(conference: Conference):
    """Members expected at CONFERENCE: the covered organisations' members in the plan's audience.

    A make-up session's roster is the original's absentees.
    """
    if conference.makeup_of_id:
        # Everyone expected at the original who did not attend it, marked absent or never marked.
        attended = Attendance.objects.filter(conference_id=conference.makeup_of_id, status__in=ATTENDED)
        return conference_roster(conference.makeup_of).exclude(pk__in=attended.values("member_id"))
    q = Q(pk__in=[])
    for org in _participating_orgs(conference):
        q |= Q(cell__path__startswith=org.path)
    members = Member.objects.filter(q)
    if _key_cadres_only(conference):
        holders = Position.objects.current(timezone.localtime(conference.starts_at).date())
        members = members.filter(pk__in=holders.values("member_id"))
    return members


def _key_cadres_only(conference) -> bool:
    audiences = set(conference.plan.audiences)
    return Audience.MEMBERS not in audiences and Audience.KEY_CADRES in audiences


def on_roster(conference, member) -> bool:
    """Whether MEMBER is on CONFERENCE's roster (`conference_roster`'s rule).

    Every check-in asks it: the common case (members of the participating organisations) is
    decided from those organisations' paths and the member's cell, without a query over members."""
    if conference.makeup_of_id or _key_cadres_only(conference):
        return conference_roster(conference).filter(pk=member.pk).exists()
    return any(is_within(member.cell.path, org.path) for org in _participating_orgs(conference))


class CheckinOverride(ValidationError):
    """The board's mark would change what a member recorded by checking in with the code."""


@transaction.atomic
def attendance_mark(actor, conference, member, status, reason="", override_checkin=False) -> Attendance:
    """The class board marks one member; an excused absence needs its reason.

    A member who checked in with the code proved they were there: a mark that changes their row
    (status or reason) is refused with CheckinOverride unless OVERRIDE_CHECKIN says the board
    confirmed it. The check-in time stays on the row, and the audit keeps both.
    """
    if not on_roster(conference, member):
        raise ValidationError(f"{member} không có tên trong danh sách dự hội nghị này.")
    reason = reason.strip()
    if status == AttendanceStatus.EXCUSED and not reason:
        raise ValidationError("Vắng có lý do: hãy ghi lý do.")
    row = Attendance.objects.select_for_update().filter(conference=conference, member=member).first()
    fields = ["status", "reason", "source"]
    before = snapshot(row, fields) if row else None
    if row is None:
        row = Attendance(conference=conference, member=member, source=AttendanceSource.BOARD)
    elif (row.status, row.reason) == (status, reason):
        return row
    elif row.checked_in_at and not override_checkin:
        label = AttendanceStatus(status).label.lower()
        raise CheckinOverride(
            f"{member.full_name} đã tự điểm danh bằng mã lúc {timezone.localtime(row.checked_in_at):%H:%M} "
            f"({row.get_status_display().lower()}). Chưa ghi “{label}”"
            + (f" với lý do “{reason}”" if reason else "")
            + ": bấm “Vẫn ghi” nếu đúng là như vậy."
        )
    row.status, row.reason, row.source = status, reason, AttendanceSource.BOARD
    row.save()
    audit_record(
        actor,
        "attendance.override_checkin" if before and row.checked_in_at else "attendance.mark",
        row,
        before,
        snapshot(row, fields),
    )
    return row


def checkin(user, conference: Conference, code: str, at=None):
    """One member checks in with the code on the board's screen: (outcome, attendance or None).

    Idempotent: a second check-in returns the first. Refusals are recorded for the board.
    """
    at = at or timezone.now()
    short = codes.parse_short_code(code)
    # One transaction, so the attendance and the attempt cost one commit (one flush to disk) together.
    with transaction.atomic():
        outcome, row = _checkin(user, conference, code, short, at)
        CheckinAttempt.objects.create(conference=conference, user=user, at=at, outcome=outcome, short_code=bool(short))
    return outcome, row


def _checkin(user, conference, code, short, at):
    member = getattr(user, "member", None)
    if member is None:
        return CheckinOutcome.NOT_A_MEMBER, None
    if conference.status == ConferenceStatus.CANCELLED:
        return CheckinOutcome.CANCELLED, None
    if short and _locked_out(user, conference, at):
        return CheckinOutcome.TOO_MANY, None
    refusal, slot = _short_code_slot(user, conference, short, at) if short else _long_code_slot(conference, code, at)
    if refusal:
        return refusal, None
    existing = Attendance.objects.filter(conference=conference, member=member, checked_in_at__isnull=False).first()
    if existing:
        return CheckinOutcome.AGAIN, existing
    if not conference.checkin_open(at):
        return CheckinOutcome.OUT_OF_WINDOW, None
    if slot < codes.current_slot(conference, at) - 1:
        used = Attendance.objects.filter(conference=conference, checkin_slot=slot).exists()
        return (CheckinOutcome.REPLAYED if used else CheckinOutcome.EXPIRED), None
    if not on_roster(conference, member):
        return CheckinOutcome.NOT_ON_ROSTER, None
    return _store_checkin(conference, member, slot, at)


def _locked_out(user, conference, at) -> bool:
    """Too many wrong six-digit codes lately: a million codes could otherwise be guessed.

    The signed code of the QR cannot be guessed, so scanning it still works meanwhile."""
    since = at - timedelta(minutes=codes.LOCK_MINUTES)
    wrong = CheckinAttempt.objects.filter(
        conference=conference, user=user, at__gt=since, outcome__in=WRONG_CODE, short_code=True
    )
    return wrong.count() >= codes.FAILURES_ALLOWED


def _long_code_slot(conference, code, at):
    """(refusal or None, slot) of a signed code "<conference>.<slot>.<mac>"."""
    parsed = codes.parse_code(code)
    if parsed is None:
        return CheckinOutcome.FORGED, None
    conference_id, slot, mac = parsed
    if conference_id != conference.pk:
        other = Conference.objects.filter(pk=conference_id).first()
        genuine = other is not None and codes.is_authentic(other, slot, mac)
        return (CheckinOutcome.OTHER_CONFERENCE if genuine else CheckinOutcome.FORGED), None
    if not codes.is_authentic(conference, slot, mac) or slot > codes.current_slot(conference, at):
        return CheckinOutcome.FORGED, None
    return None, slot


def _short_code_slot(user, conference, digits, at):
    """(refusal or None, slot) of six typed digits: this conference's recent slots, then the other
    conferences the member could be at right now (to say "another conference" rather than "wrong")."""
    now = codes.current_slot(conference, at)
    slot = codes.short_code_slot(conference, digits, now, now - codes.SHORT_LOOKBACK_SLOTS)
    if slot is not None:
        return None, slot
    nearby = (
        Conference.objects.visible_to(user)
        .exclude(pk=conference.pk)
        .filter(starts_at__range=(at - timedelta(days=1), at + timedelta(minutes=codes.EARLY_MINUTES)))
    )
    for other in nearby:
        current = codes.current_slot(other, at)
        if other.checkin_open(at) and codes.short_code_slot(other, digits, current, current - 1) is not None:
            return CheckinOutcome.OTHER_CONFERENCE, None
    return CheckinOutcome.FORGED, None


def _store_checkin(conference, member, slot, at):
    """One insert guarded by the (conference, member) unique constraint; a lost race returns the winner."""
    late = at > conference.starts_at + timedelta(minutes=codes.LATE_AFTER_MINUTES)
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                conference=conference,
                member=member,
                status=status,
                source=AttendanceSource.QR,
                checked_in_at=at,
                checkin_slot=slot,
            )
        return CheckinOutcome.OK, row
    except IntegrityError:
        row = Attendance.objects.get(conference=conference, member=member)
        if row.checked_in_at:
            return CheckinOutcome.AGAIN, row
        # The board marked this member (e.g. absent) before they arrived: the check-in wins.
        row.status, row.source, row.checked_in_at, row.checkin_slot = status, AttendanceSource.QR, at, slot
        row.save(update_fields=["status", "source", "checked_in_at", "checkin_slot", "updated_at"])
        return CheckinOutcome.OK, row


# ---------------------------------------------------------------- plans: create and edit


def _plan_state(plan: StudyPlan) -> dict:
    """PLAN as recorded in the audit log: its fields, documents and schedule."""
    state = snapshot(plan, [f.name for f in StudyPlan._meta.fields if f.name not in {"id", "created_at"}])
    state["documents"] = sorted(plan.documents.values_list("pk", flat=True))
    state["deadlines"] = {d.level: d.deadline.isoformat() for d in plan.deadlines.all()}
    return state


@transaction.atomic
def plan_save(actor, plan: StudyPlan, documents, deadlines: dict) -> StudyPlan:
    """Create or update the draft PLAN with its DOCUMENTS and DEADLINES ({level: date or None}).

    A level whose date is None holds no conference of its own. Only drafts can change:
    a published plan's obligations were computed from these values.
    """
    before = None
    if plan.pk:
        current = StudyPlan.objects.select_for_update().get(pk=plan.pk)
        if current.status != PlanStatus.DRAFT:
            raise ValidationError("Chỉ sửa được kế hoạch đang ở dạng bản nháp.")
        before = _plan_state(current)
    elif plan.status != PlanStatus.DRAFT:
        raise ValidationError("Kế hoạch mới phải ở dạng bản nháp.")
    if plan.created_by_id is None and getattr(actor, "pk", None):
        plan.created_by = actor
    plan.save()
    plan.documents.set(documents)
    plan.deadlines.all().delete()
    for level, deadline in deadlines.items():
        if deadline:
            plan.deadlines.create(level=level, deadline=deadline)
    audit_record(actor, "plan.update" if before else "plan.create", plan, before, _plan_state(plan))
    return plan


# ---------------------------------------------------------------- conference pages: record, bridging points

BRIDGE_FIELDS = ["host", "place", "expected", "actual"]


def _in_subtree(org, root) -> bool:
    return org.path.startswith(root.path)


@transaction.atomic
def conference_record(actor, conference: Conference, covered, presenters, board, bridges=None) -> Conference:
    """Save CONFERENCE with its people (``conference_save``) and its bridging points, all or nothing.

    Covered organisations and bridge hosts must lie in the host's subtree: they are the ones whose
    obligations the conference fulfils. A make-up session must follow a conference already held.
    BRIDGES is the complete list of bridging points as dicts (``id`` of an existing one or None,
    ``host``, ``place``, ``expected``, ``actual``); existing ones left out are removed; None keeps them.
    """
    outside = [o.name for o in covered if not _in_subtree(o, conference.host)]
    outside += [b["host"].name for b in bridges or [] if not _in_subtree(b["host"], conference.host)]
    if outside:
        raise ValidationError(f"{', '.join(outside)} không trực thuộc {conference.host}.")
    if conference.makeup_of_id:
        original = Conference.objects.get(pk=conference.makeup_of_id)
        if original.status != ConferenceStatus.HELD or original.pk == conference.pk:
            raise ValidationError("Chỉ tổ chức học bù cho hội nghị đã tổ chức.")
    conference_save(actor, conference, covered, presenters, board)
    if bridges is not None:
        conference_bridges_set(actor, conference, bridges)
    return conference


@transaction.atomic
def conference_bridges_set(actor, conference: Conference, bridges) -> None:
    """Make CONFERENCE's bridging points exactly BRIDGES (see ``conference_record``)."""
    existing = {b.pk: b for b in conference.bridge_points.all()}
    before = sorted((snapshot(b, BRIDGE_FIELDS) for b in existing.values()), key=str)
    keep = []
    for row in bridges:
        point = existing.get(getattr(row.get("id"), "pk", row.get("id")))
        point = point or conference.bridge_points.model(conference=conference)
        for name in BRIDGE_FIELDS:
            setattr(point, name, row.get(name))
        point.expected = point.expected or 0
        point.full_clean(exclude=["conference"])
        point.save()
        keep.append(point.pk)
    conference.bridge_points.exclude(pk__in=keep).delete()
    after = sorted((snapshot(b, BRIDGE_FIELDS) for b in conference.bridge_points.all()), key=str)
    if before != after:
        audit_record(actor, "conference.bridges", conference, {"bridges": before}, {"bridges": after})


def conference_attachment_add(actor, conference: Conference, name: str, data: bytes) -> ConferenceAttachment:
    """Keep a .pdf/.docx (minutes, slides) with CONFERENCE; anything else is refused (ValidationError).

    The file is read before the transaction opens, so the transaction stays short.
    """
    upload = read_upload(name, data)
    with transaction.atomic():
        attachment = store_upload(ConferenceAttachment(conference=conference), upload)
        after = {"conference": conference.pk, "name": attachment.name, "size": attachment.size}
        try:
            audit_record(actor, "conference.attachment_add", attachment, None, after)
        except BaseException:
            attachment.file.delete(save=False)  # no file left behind by a failed write
            raise
        return attachment


def checkin_message(outcome, row, conference):
    """What the member reads after a check-in attempt."""
    if outcome == CheckinOutcome.OK:
        late = " (đi muộn)" if row.status == AttendanceStatus.LATE else ""
        return f"Đã điểm danh lúc {timezone.localtime(row.checked_in_at):%H:%M}{late}."
    if outcome == CheckinOutcome.AGAIN:
        return f"Đồng chí đã điểm danh trước đó, lúc {timezone.localtime(row.checked_in_at):%H:%M}."
    opens = conference.starts_at - timedelta(minutes=codes.EARLY_MINUTES)
    return {
        CheckinOutcome.EXPIRED: "Mã đã hết hạn, hãy quét mã mới trên màn hình.",
        CheckinOutcome.REPLAYED: (
            "Mã này đã được người khác dùng và đã hết hạn (có thể là ảnh chụp lại). "
            "Hãy quét mã đang hiển thị trên màn hình tại hội nghị."
        ),
        CheckinOutcome.FORGED: "Mã điểm danh không hợp lệ. Hãy quét lại mã đang hiển thị trên màn hình.",
        CheckinOutcome.OTHER_CONFERENCE: (
            "Mã này là của một hội nghị khác. Hãy quét mã trên màn hình của hội nghị đồng chí đang dự."
        ),
        CheckinOutcome.OUT_OF_WINDOW: (
            f"Ngoài thời gian điểm danh: chỉ điểm danh được từ {timezone.localtime(opens):%H:%M %d/%m/%Y} "
            f"đến {timezone.localtime(conference.ends_at):%H:%M %d/%m/%Y}."
        ),
        CheckinOutcome.NOT_ON_ROSTER: (
            "Đồng chí không có tên trong danh sách dự hội nghị này. Hãy liên hệ ban quản lý lớp học."
        ),
        CheckinOutcome.NOT_A_MEMBER: (
            "Tài khoản này không gắn với hồ sơ đảng viên nào nên không điểm danh được. "
            "Hãy đăng nhập bằng tài khoản đảng viên của mình."
        ),
        CheckinOutcome.TOO_MANY: (
            f"Đồng chí đã nhập sai mã {codes.FAILURES_ALLOWED} lần. Hãy chờ ít phút "
            f"(tối đa {codes.LOCK_MINUTES} phút) rồi nhập mã đang hiển thị, hoặc nhờ ban quản lý lớp học điểm danh."
        ),
        CheckinOutcome.CANCELLED: "Hội nghị này đã bị hủy nên không điểm danh được.",
    }[outcome]


def plan_members(plan: StudyPlan):
    """Members a plan concerns: those of the cells that have an obligation under it.

    Essays and quizzes narrow this by their own settings (essay audience, quiz required).
    """
    return Member.objects.filter(cell__in=plan_cells(plan))


def plan_cells(plan: StudyPlan):
    """Ids of the cells that have an obligation under PLAN (a subquery): whose members it concerns."""
    return Obligation.objects.filter(plan=plan, org__kind__in=CELL_KINDS).values("org_id")


def essay_writers(plan: StudyPlan, today=None):
    """Members PLAN requires to write an essay: those it concerns, narrowed to the current
    position holders when the essay audience is the key cadres. One rule for "Học tập của tôi",
    the essays pages and the fidelity figures."""
    if plan.status == PlanStatus.DRAFT or not plan.essay_audience:
        return Member.objects.none()
    members = plan_members(plan)
    if plan.essay_audience == EssayAudience.KEY_CADRES:
        members = members.filter(pk__in=Position.objects.current(today).values("member_id"))
    return members
