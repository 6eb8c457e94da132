"""Writes of action programmes: create, save a version (title, preamble, tasks), move through the
workflow, comment, report a task's progress. Each runs in one transaction and leaves an audit
entry; the workflow's own writes (versions, transitions, comments) go through core.workflow with
this app's access function, so the policy decides them as it decides the pages.
"""

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from quantriet.core import workflow
from quantriet.core.audit import audit_record
from quantriet.core.files import Upload, store_upload
from quantriet.org.models import Member, Organization
from quantriet.org.policy import require
from quantriet.org.tree import ancestors_of, is_within
from quantriet.study.models import StudyPlan

from .access import access_programme, access_task
from .check import programme_check
from .models import Programme, ProgrammeFile, ProgrammeReview, ProgrammeTask, TaskEvidence, TaskStatus, TaskUpdate

#: A programme holds at most this many tasks (a programme is read and printed whole).
MAX_TASKS = 200


@dataclass
class TaskInput:
    """One task as a form or an import gives it; ID: the stored task it edits (None: a new one)."""

    content: str
    lead_org: Organization | None = None
    lead_person: Member | None = None
    coordinating: str = ""
    starts_on: date | None = None
    deadline: date | None = None
    product: str = ""
    indicator: str = ""
    target: Decimal | None = None
    unit: str = ""
    budget: Decimal | None = None
    id: int | None = None


TASK_FIELDS = [f.name for f in fields(TaskInput) if f.name != "id"]


def _parent_programme(plan: StudyPlan, org: Organization) -> Programme | None:
    """The programme of the nearest organisation above ORG with one for PLAN."""
    above = Programme.objects.filter(plan=plan, org__path__in=ancestors_of(org.path))
    return above.order_by("-org__depth").first()


@transaction.atomic
def programme_create(actor, plan: StudyPlan, org: Organization, title: str, preamble: str = "", symbol: str = ""):
    """ORG's programme for PLAN, as a draft, linked to the programme above and to those below."""
    require(actor, "programme.write", org)
    if not is_within(org.path, plan.issuer.path):
        raise ValidationError(f"{org.name} không thuộc phạm vi của kế hoạch “{plan.title}”.")
    if Programme.objects.filter(plan=plan, org=org).exists():
        raise ValidationError(f"{org.name} đã có chương trình hành động cho kế hoạch này; hãy mở để sửa.")
    title = title.strip()
    if not title:
        raise ValidationError("Hãy nhập tên chương trình.")
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                plan=plan,
                org=org,
                parent=_parent_programme(plan, org),
                title=title,
                preamble=preamble.strip(),
                symbol=symbol.strip(),
                created_by=actor,
            )
    except IntegrityError:  # created meanwhile by someone else
        raise ValidationError(f"{org.name} đã có chương trình hành động cho kế hoạch này; hãy mở để sửa.") from None
    # Programmes below ORG written before it now hang under it (the nearest level above).
    below = Programme.objects.filter(plan=plan, org__path__startswith=org.path).exclude(pk=programme.pk)
    for child in below.select_related("org"):
        if _parent_programme(plan, child.org) == programme:
            Programme.objects.filter(pk=child.pk).update(parent=programme)
    audit_record(actor, "programme.create", programme, after={"plan": plan.pk, "org": org.pk, "title": title})
    workflow.version_save(programme, snapshot(programme), actor, summary="Bản đầu tiên", access=access_programme)
    programme_check(programme)
    return programme


def _text(value) -> str:
    return "" if value is None else str(value)


def _task_snapshot(task) -> dict:
    return {
        "content": task.content,
        "lead_org": task.lead_org.name if task.lead_org else "",
        "lead_person": task.lead_person.full_name if task.lead_person else "",
        "coordinating": task.coordinating,
        "starts_on": task.starts_on.strftime("%d/%m/%Y") if task.starts_on else "",
        "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
        "product": task.product,
        "indicator": task.indicator,
        "target": _text(task.target),
        "unit": task.unit,
        "budget": _text(task.budget),
    }


def snapshot(programme: Programme, tasks=None) -> dict:
    """PROGRAMME's content as a version keeps it: task number → its fields, as people read them."""
    tasks = tasks if tasks is not None else programme.tasks.select_related("lead_org", "lead_person")
    return {
        "symbol": programme.symbol,
        "title": programme.title,
        "preamble": programme.preamble,
        "tasks": {str(number): _task_snapshot(task) for number, task in enumerate(tasks, start=1)},
    }


def _may_lead(lead: Organization, org: Organization) -> bool:
    """A task is led by ORG, one of its units, or a level above it (a programme restating the duties
    of the level above names it: the check then finds the unit owns none of them)."""
    return is_within(lead.path, org.path) or is_within(org.path, lead.path)


def _check_tasks(programme: Programme, tasks: list[TaskInput]):
    if len(tasks) > MAX_TASKS:
        raise ValidationError(f"Chương trình có {len(tasks)} nhiệm vụ, quá mức {MAX_TASKS}; hãy gộp bớt.")
    problems = []
    for number, task in enumerate(tasks, start=1):
        if not task.content.strip():
            problems.append(f"Nhiệm vụ {number}: hãy nhập nội dung nhiệm vụ.")
        if task.starts_on and task.deadline and task.deadline < task.starts_on:
            problems.append(f"Nhiệm vụ {number}: thời hạn trước ngày bắt đầu.")
        if task.lead_org is not None and not _may_lead(task.lead_org, programme.org):
            lead, org = task.lead_org.name, programme.org.name
            problems.append(
                f"Nhiệm vụ {number}: đơn vị chủ trì phải là {org}, một đơn vị thuộc {org} hoặc cấp trên của nó; "
                f"{lead} thì không."
            )
        if task.target is not None and task.target < 0:
            problems.append(f"Nhiệm vụ {number}: chỉ tiêu không được âm.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def programme_save(actor, programme: Programme, *, title: str, preamble: str, symbol: str, tasks: list[TaskInput],
                   summary: str = "") -> bool:  # fmt: skip
    """Save PROGRAMME's content as its next version (only while a draft or under consultation), then
    check its concreteness again; False when nothing changed. Tasks keep their ids (and so the
    comments on them) when edited; those left out are removed."""
    access_programme(actor, programme.pk, "programme.write")
    if not title.strip():
        raise ValidationError("Hãy nhập tên chương trình.")
    _check_tasks(programme, tasks)
    programme.title, programme.preamble, programme.symbol = title.strip(), preamble.strip(), symbol.strip()
    rows = _task_rows(programme, tasks)
    saved = workflow.version_save(programme, snapshot(programme, rows), actor, summary=summary, access=access_programme)
    if saved is None:
        return False
    programme.updated_at = timezone.now()
    programme.save(update_fields=["title", "preamble", "symbol", "updated_at"])
    kept = [row.pk for row in rows if row.pk]
    programme.tasks.exclude(pk__in=kept).delete()
    for row in rows:
        row.save()
    programme_check(programme)
    return True


def _task_rows(programme: Programme, tasks: list[TaskInput]) -> list[ProgrammeTask]:
    """Unsaved rows for TASKS, numbered in order: the stored task for a given id, else a new one."""
    stored = {task.pk: task for task in programme.tasks.all()}
    rows = []
    for number, task in enumerate(tasks, start=1):
        if task.id is not None and task.id not in stored:
            raise ValidationError(f"Nhiệm vụ {number} không thuộc chương trình này; hãy tải lại trang.")
        row = stored.get(task.id) or ProgrammeTask(programme=programme)
        row.number = number
        for name in TASK_FIELDS:
            value = getattr(task, name)
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        rows.append(row)
    return rows


APPROVE = "approve"


@transaction.atomic
def programme_transition(actor, programme: Programme, name: str, comment: str = "", *,
                         approved_on: date | None = None, approval_ref: str = "",
                         approval_file: Upload | None = None) -> Programme:  # fmt: skip
    """Take transition NAME. Approving needs the date and the resolution or minutes that approved
    it (its number, and the file when there is one)."""
    if name == APPROVE:
        if approved_on is None or not approval_ref.strip():
            raise ValidationError("Thông qua chương trình cần ghi ngày thông qua và số nghị quyết hoặc biên bản họp.")
        if approved_on > timezone.localdate():
            raise ValidationError("Ngày thông qua không thể sau hôm nay.")
    workflow.transition(programme, name, actor, comment=comment, access=access_programme)
    programme.updated_at = timezone.now()
    programme.save(update_fields=["updated_at"])
    if name == APPROVE:
        programme.approved_on, programme.approval_ref = approved_on, approval_ref.strip()
        programme.save(update_fields=["approved_on", "approval_ref"])
        if approval_file is not None:
            stored = store_upload(ProgrammeFile(programme=programme), approval_file)
            audit_record(actor, "programme.file_add", programme, after={"file": stored.pk, "name": stored.name})
    return programme


def programme_comment(actor, programme: Programme, text: str, task: ProgrammeTask | None = None):
    """ACTOR's opinion on PROGRAMME, or on one of its tasks."""
    if task is not None and task.programme_id != programme.pk:
        raise ValidationError("Nhiệm vụ không thuộc chương trình này.")
    anchor = f"task:{task.pk}" if task is not None else ""
    return workflow.comment_add(programme, actor, text, access=access_programme, anchor=anchor)


@transaction.atomic
def task_report(actor, task: ProgrammeTask, *, status: str, achieved: Decimal | None = None, note: str = "",
                reported_on: date | None = None, files: list[Upload] = ()) -> TaskUpdate:  # fmt: skip
    """ACTOR reports TASK's progress (the programme approved or in force), with evidence files."""
    access_task(actor, task.pk, "programme.report")
    programme = task.programme
    if not programme.running:
        raise ValidationError(
            f"Chương trình đang ở trạng thái “{programme.state_label}”: chỉ báo cáo tiến độ khi đã thông qua "
            "hoặc đang thực hiện."
        )
    if status not in TaskStatus.values:
        raise ValidationError("Hãy chọn tiến độ của nhiệm vụ.")
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError("Ngày báo cáo không thể sau hôm nay.")
    if achieved is not None and achieved < 0:
        raise ValidationError("Kết quả đạt được không được âm.")
    before = {"status": task.status, "achieved": _text(task.achieved)}
    update = TaskUpdate.objects.create(
        task=task, reported_on=reported_on, status=status, achieved=achieved, note=note.strip(), created_by=actor
    )
    for upload in files:
        store_upload(TaskEvidence(update=update), upload)
    task.status, task.updated_on = status, reported_on
    if achieved is not None:
        task.achieved = achieved
    task.save(update_fields=["status", "achieved", "updated_on"])
    after = {"status": status, "achieved": _text(task.achieved), "files": len(files), "update": update.pk}
    audit_record(actor, "programme.task_report", task, before=before, after=after)
    return update


@transaction.atomic
def programme_review(actor, programme: Programme, *, held_on: date, summary: str) -> ProgrammeReview:
    """Record a sơ kết of PROGRAMME (approved or in force), by those who decide it."""
    access_programme(actor, programme.pk, "programme.approve")
    if not programme.running:
        raise ValidationError(
            f"Chương trình đang ở trạng thái “{programme.state_label}”: chỉ sơ kết khi đã thông qua hoặc đang "
            "thực hiện."
        )
    summary = summary.strip()
    if not summary:
        raise ValidationError("Hãy ghi kết quả sơ kết và những việc cần điều chỉnh.")
    if held_on > timezone.localdate():
        raise ValidationError("Ngày sơ kết không thể sau hôm nay.")
    if programme.approved_on and held_on < programme.approved_on:
        raise ValidationError(f"Ngày sơ kết trước ngày thông qua chương trình ({programme.approved_on:%d/%m/%Y}).")
    review = ProgrammeReview.objects.create(programme=programme, held_on=held_on, summary=summary, created_by=actor)
    audit_record(actor, "programme.review", programme, after={"review": review.pk, "held_on": held_on.isoformat()})
    return review
