"""Writes of evaluations: begin one, self-assess, review (the cell), decide (the grassroots
committee, a unit's evaluations at once, so the quota is judged on all of them), reopen.

Each runs in one transaction; the workflow's writes (versions of the self-assessment, transitions
with their reasons) go through core.workflow with `access_evaluation`, so the policy decides them as
it decides the pages, and they are the evaluation's history.

Order (Quy định 366-QĐ/TW): collectives are evaluated before individuals and lower levels before
higher: a member is decided only once their cell's collective evaluation is, a collective only once
the collectives below it that have an evaluation this year are.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from quantriet.core import workflow
from quantriet.core.audit import audit_record
from quantriet.core.numbers import format_decimal
from quantriet.org.models import CELL_KINDS, Member, Organization, OrgKind, Position, Title
from quantriet.org.policy import require
from quantriet.org.tree import parent_path

from . import rules
from .access import access_evaluation
from .evidence import collective_proposal, propose_for
from .models import DECIDED, REVIEWED, SELF_ASSESSED, CriteriaSet, Evaluation, Subject
from .study import Proposal

#: Those whose unit's rating holds back their own (rules.check_head).
HEAD_TITLES = (Title.SECRETARY, Title.DEPUTY, Title.STANDING_DEPUTY)


def deciding_org_of(org: Organization) -> Organization:
    """Who decides the evaluations of ORG's members: the cell itself when it is a chi bộ cơ sở (or
    the top of the tree), else the organisation above it."""
    if org.kind == OrgKind.CHI_BO_CO_SO or org.depth == 1:
        return org
    return Organization.objects.get(path=parent_path(org.path))


def _criteria_set(subject: str, year: int) -> CriteriaSet:
    found = CriteriaSet.objects.in_force(subject, datetime.date(year, 12, 31))
    if found is None:
        raise ValidationError(f"Chưa có bộ tiêu chí đánh giá {Subject(subject).label.lower()} áp dụng cho năm {year}.")
    return found


@transaction.atomic
def evaluation_start(actor, year: int, *, member: Member | None = None, org: Organization | None = None) -> Evaluation:
    """MEMBER's (or the collective ORG's) evaluation for YEAR, as a draft self-assessment."""
    if member is not None:
        if actor.pk != member.user_id:
            require(actor, "evaluation.self", member.cell)
        org, subject, deciding = member.cell, Subject.MEMBER, deciding_org_of(member.cell)
    else:
        require(actor, "evaluation.self", org)
        subject = Subject.COLLECTIVE
        deciding = Organization.objects.filter(path=parent_path(org.path)).first() or org
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                year=year, subject=subject, member=member, org=org, deciding_org=deciding,
                criteria_set=_criteria_set(subject, year),
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(f"Đã có bản đánh giá năm {year}; hãy mở để tiếp tục.") from None
    audit_record(actor, "evaluation.start", evaluation, after={"year": year, "subject": subject})
    _propose_study(evaluation)
    return evaluation


def _propose_study(evaluation: Evaluation) -> None:
    """Store the study criterion proposed from the records of the year, with the sources of each part,
    as the pages show it: a member's from their study records (evaluation.evidence), a collective's
    from its fidelity index over the year's plans; nothing for a set without a study criterion or a
    collective no plan has judged."""
    criterion = evaluation.criteria_set.rules().study
    if criterion is None:
        return
    if evaluation.member_id is not None:
        proposal = propose_for([evaluation.member_id], evaluation.year, criterion.max_points)[evaluation.member_id]
    else:
        proposal = collective_proposal(evaluation.org_id, evaluation.year, criterion.max_points)
    evaluation.study_proposal = proposal_json(proposal) if proposal else {}
    evaluation.save(update_fields=["study_proposal"])


def proposal_json(proposal: Proposal) -> dict:
    """PROPOSAL as stored on the evaluation: points, and each part judged with its share and sources."""
    return {
        "points": str(proposal.points),
        "points_text": format_decimal(proposal.points),
        "max_text": format_decimal(proposal.max_points),
        "parts": [
            {"key": part.key, "label": part.label, "percent": round(100 * part.score),
             "sources": [{"text": s.text, "url": s.url} for s in part.sources]}
            for part in proposal.parts if part.score is not None
        ],
    }  # fmt: skip


def _points(evaluation: Evaluation, points: dict) -> dict[str, Decimal]:
    """POINTS (as typed: strings or numbers) checked against the evaluation's criteria set."""
    try:
        values = {key: Decimal(str(value)) for key, value in points.items()}
    except InvalidOperation:
        raise ValidationError("Điểm phải là số (ví dụ 8,5).") from None
    return rules.checked_points(evaluation.criteria_set.rules(), values)


def _stored(points: dict[str, Decimal]) -> dict[str, str]:
    return {key: str(value) for key, value in points.items()}


@transaction.atomic
def self_assess(actor, evaluation: Evaluation, points: dict, text: str) -> Evaluation:
    """Save the self-assessment (a version of it: what changed is kept); only while a draft."""
    checked = _points(evaluation, points)
    evaluation.self_points, evaluation.self_text = _stored(checked), text.strip()
    workflow.version_save(evaluation, {"self_points": evaluation.self_points, "self_text": evaluation.self_text},
                          actor, access=access_evaluation)  # fmt: skip
    evaluation.save(update_fields=["self_points", "self_text"])
    return evaluation


@transaction.atomic
def submit(actor, evaluation: Evaluation) -> Evaluation:
    """Send the self-assessment to the cell; the study proposal is brought up to date with it."""
    if not evaluation.self_points:
        raise ValidationError("Hãy chấm điểm tự đánh giá từng tiêu chí trước khi gửi.")
    workflow.transition(evaluation, "submit", actor, access=access_evaluation)
    _propose_study(evaluation)
    return evaluation


def _study_shares(evaluation: Evaluation, given: Decimal | None) -> tuple[float | None, float | None]:
    """The study criterion the cell gave and the one proposed, as shares of its maximum (None: none)."""
    criterion = evaluation.criteria_set.rules().study
    if criterion is None or given is None:
        return None, None
    proposed = evaluation.study_proposal.get("points")
    return (float(given / criterion.max_points),
            None if proposed is None else float(Decimal(proposed) / criterion.max_points))  # fmt: skip


def _checked_tallies(rules_: rules.Rules, tallies: dict) -> dict[str, int]:
    found = {}
    for code, count in tallies.items():
        if code not in rules.BAND_CODES:
            raise ValidationError(f"Không có mức xếp loại “{code}”.")
        try:
            number = int(count)
        except (TypeError, ValueError):
            raise ValidationError(f"Số phiếu “{rules_.band(code).label}” phải là số nguyên.") from None
        if number < 0:
            raise ValidationError(f"Số phiếu “{rules_.band(code).label}” không được âm.")
        found[code] = number
    return found


@transaction.atomic
def review(actor, evaluation: Evaluation, *, points: dict, text: str, tallies: dict, disciplined: bool = False,
           study_reason: str = "") -> Evaluation:  # fmt: skip
    """The cell's review: its points (the study criterion as proposed, unless a reason is written),
    its comments, its meeting's tallies (numbers only), whether a discipline fell in the year."""
    access_evaluation(actor, evaluation.pk, "evaluation.review")
    if evaluation.state != SELF_ASSESSED:
        raise ValidationError(f"Bản đánh giá đang ở trạng thái “{evaluation.state_label}”: chưa nhận xét được.")
    checked = _points(evaluation, points)
    study = evaluation.criteria_set.rules().study
    key, proposed = study and study.key, evaluation.study_proposal.get("points")
    if key and proposed is not None and checked[key] != Decimal(proposed) and not study_reason.strip():
        raise ValidationError(
            f"Điểm học tập khác đề xuất của hệ thống ({format_decimal(Decimal(proposed))} điểm, theo kết quả "
            "học tập ghi nhận): hãy ghi lý do điều chỉnh."
        )
    evaluation.review_points, evaluation.review_text = _stored(checked), text.strip()
    evaluation.tallies = _checked_tallies(evaluation.criteria_set.rules(), tallies)
    evaluation.disciplined, evaluation.study_reason = disciplined, study_reason.strip()
    evaluation.study_share, evaluation.study_proposed_share = _study_shares(evaluation, checked.get(key))
    evaluation.save(update_fields=["review_points", "review_text", "tallies", "disciplined", "study_reason",
                                   "study_share", "study_proposed_share"])  # fmt: skip
    return workflow.transition(evaluation, "review", actor, access=access_evaluation)


def _undecided_collectives(evaluation: Evaluation) -> list[str]:
    """The collectives that must be decided before EVALUATION, not yet decided (their names)."""
    year = evaluation.year
    if evaluation.member_id is not None:
        first = Evaluation.objects.filter(year=year, member__isnull=True, org=evaluation.org)
    else:
        below = evaluation.org
        first = Evaluation.objects.filter(year=year, member__isnull=True, org__path__startswith=below.path,
                                          org__depth=below.depth + 1)  # fmt: skip
    if evaluation.member_id is not None and not first.exists():
        return [evaluation.org.name]
    return [row.org.name for row in first.exclude(state=DECIDED).select_related("org")]


def _heads(evaluations: list[Evaluation]) -> set[int]:
    """The member ids of EVALUATIONS who headed their cell during the year."""
    ids = [e.member_id for e in evaluations if e.member_id]
    if not ids:
        return set()
    year = evaluations[0].year
    held = Position.objects.filter(member_id__in=ids, title__in=HEAD_TITLES, org__kind__in=CELL_KINDS,
                                   start__lte=datetime.date(year, 12, 31))  # fmt: skip
    held = held.exclude(end__lt=datetime.date(year, 1, 1))
    return set(held.filter(org_id__in=[e.org_id for e in evaluations]).values_list("member_id", flat=True))


@transaction.atomic
def decide(actor, deciding_org: Organization, evaluations: list[Evaluation], *, number: str,
           decided_on: datetime.date) -> list[Evaluation]:  # fmt: skip
    """The grassroots committee's decision on EVALUATIONS (reviewed, all of DECIDING_ORG): each rated
    by its criteria set from the cell's points; refused as a whole — nothing decided — when one comes
    before its collective, when the unit's "hoàn thành xuất sắc" would exceed the quota, or when a
    head would be rated above a unit rated below "hoàn thành tốt"."""
    require(actor, "evaluation.decide", deciding_org)
    if not number.strip():
        raise ValidationError("Hãy ghi số quyết định (hoặc số nghị quyết) của cấp ủy.")
    problems, graded = [], {}
    for evaluation in evaluations:
        who = str(evaluation).split(" — ", 1)[1]
        if evaluation.deciding_org_id != deciding_org.pk:
            problems.append(f"{who}: không thuộc thẩm quyền quyết định của {deciding_org.name}.")
            continue
        if evaluation.state != REVIEWED:
            problems.append(f"{who}: đang ở trạng thái “{evaluation.state_label}”, chưa có nhận xét của chi bộ.")
            continue
        waiting = _undecided_collectives(evaluation)
        if waiting:
            problems.append(f"{who}: cần quyết định xếp loại tập thể trước ({', '.join(waiting)}).")
            continue
        found = rules.Facts({k: Decimal(v) for k, v in evaluation.review_points.items()}, evaluation.disciplined)
        graded[evaluation.pk] = rules.grade(evaluation.criteria_set.rules(), found)
    if problems:
        raise ValidationError(problems)
    members = [e for e in evaluations if e.member_id]
    if members:
        _check_quota(deciding_org, members, graded)
        _check_heads(members, graded)
    for evaluation in evaluations:
        found = graded[evaluation.pk]
        evaluation.total, evaluation.band = found.total, found.band
        evaluation.decision_number, evaluation.decision_date = number.strip(), decided_on
        evaluation.save(update_fields=["total", "band", "decision_number", "decision_date"])
        workflow.transition(evaluation, "decide", actor, comment=f"Quyết định số {number.strip()}",
                            access=access_evaluation)  # fmt: skip
    return evaluations


def _check_quota(deciding_org: Organization, members: list[Evaluation], graded: dict) -> None:
    rules_ = members[0].criteria_set.rules()
    earlier = Evaluation.objects.filter(year=members[0].year, deciding_org=deciding_org, member__isnull=False,
                                        state=DECIDED).exclude(pk__in=[e.pk for e in members])  # fmt: skip
    bands = list(earlier.values_list("band", flat=True)) + [graded[e.pk].band for e in members]
    rules.check_excellent_quota(rules_, deciding_org.name, bands.count(rules.XUAT_SAC), bands.count(rules.TOT))


def _check_heads(members: list[Evaluation], graded: dict) -> None:
    heads = _heads(members)
    for evaluation in members:
        if evaluation.member_id not in heads:
            continue
        unit = Evaluation.objects.filter(year=evaluation.year, member__isnull=True, org=evaluation.org).first()
        rules.check_head(evaluation.criteria_set.rules(), evaluation.org.name, unit.band, graded[evaluation.pk].band)


def reopen(actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """Reopen a decided evaluation for another look (the reason is kept in its history)."""
    return workflow.transition(evaluation, "reopen", actor, comment=reason, access=access_evaluation)
