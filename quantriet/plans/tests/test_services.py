"""Programmes stored through the services: the concreteness kept on the row (who copied whom), the
links between levels, the workflow (consultation, comments on tasks, approval with its minutes,
progress reports) and its refusals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quantriet.core.models import AuditEntry, WorkflowComment
from quantriet.core.workflow import history
from quantriet.plans import services
from quantriet.plans.models import Programme, TaskStatus
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME, PASTED, RESTATING

from .common import store, task_inputs

pytestmark = pytest.mark.django_db


def test_a_concrete_commune_programme_is_not_flagged(users, plan, where):
    commune = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME, person=users["xa1.bithu"].member)
    assert commune.concreteness >= 80 and commune.flags == [] and commune.copied_share == 0
    assert commune.complete_share == 1 and commune.own_share == 1
    assert commune.version == 2 and commune.state == "draft"


def test_a_cell_pasting_the_commune_programme_is_flagged_with_its_source(users, plan, where):
    commune = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    pasted = store(users["xa1.bithu"], plan, where["cell"], PASTED, lead=where["commune"])
    assert pasted.parent == commune
    assert pasted.flags == ["sao_chep", "chua_cu_the"]
    assert pasted.copied_share >= 0.9 and pasted.own_share == 0
    assert pasted.copied_from[0]["programme"] == commune.pk and pasted.copied_from[0]["kind"]
    # The commune, checked again, is not accused of copying the cell that copied it.
    services.programme_save(users["xa1.bithu"], commune, title=commune.title, preamble=commune.preamble + " Cập nhật.",
                            symbol="", tasks=task_inputs(COMMUNE_PROGRAMME, where["commune"]))  # fmt: skip
    commune.refresh_from_db()
    assert commune.copied_share == 0 and commune.flags == []


def test_of_two_sibling_cells_with_one_programme_the_later_is_flagged(users, plan, where):
    first = store(users["xa1.bithu"], plan, where["sibling"], COMMUNE_PROGRAMME, lead=where["sibling"])
    second = store(users["xa1.bithu"], plan, where["cell"], COMMUNE_PROGRAMME, lead=where["cell"])
    assert "sao_chep" in second.flags and second.copied_from[0]["programme"] == first.pk
    services.programme_save(users["xa1.bithu"], first, title=first.title, preamble=first.preamble + " Bổ sung.",
                            symbol="", tasks=task_inputs(COMMUNE_PROGRAMME, where["sibling"]))  # fmt: skip
    first.refresh_from_db()
    assert first.flags == [] and first.copied_share == 0


def test_restating_the_province_programme_is_not_concrete(users, plan, where):
    store(users["admin"], plan, where["province"], RESTATING, title="Chương trình của Tỉnh ủy")
    cell = store(users["xa1.bithu"], plan, where["cell"], RESTATING, lead=where["province"])
    assert cell.own_share == 0 and "sao_chep" in cell.flags


def test_a_programme_written_after_those_below_becomes_their_parent(users, plan, where):
    cell = store(users["xa1.bithu"], plan, where["cell"], COMMUNE_PROGRAMME)
    assert cell.parent is None
    commune = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    cell.refresh_from_db()
    assert cell.parent == commune


def test_one_programme_per_unit_and_plan(users, plan, where):
    services.programme_create(users["xa1.bithu"], plan, where["commune"], "Chương trình")
    with pytest.raises(ValidationError, match="đã có chương trình hành động"):
        services.programme_create(users["xa1.bithu"], plan, where["commune"], "Chương trình khác")


def test_only_the_committee_drafts(users, plan, where):
    with pytest.raises(PermissionDenied):
        services.programme_create(users["dangvien1"], plan, where["cell"], "Chương trình")
    with pytest.raises(PermissionDenied):
        services.programme_create(users["xa2.bithu"], plan, where["commune"], "Chương trình")


def test_consultation_comments_and_changes_are_kept(users, plan, where):
    secretary, member = users["xa1.bithu"], users["dangvien1"]
    programme = store(secretary, plan, where["commune"], COMMUNE_PROGRAMME)
    services.programme_transition(secretary, programme, "submit")
    task = programme.tasks.get(number=1)
    services.programme_comment(member, programme, "Đề nghị mở thêm lớp cho ấp Kinh Xáng vào buổi sáng.", task=task)
    tasks = task_inputs(COMMUNE_PROGRAMME, where["commune"])
    tasks[0].content += " Ấp Kinh Xáng thêm một buổi sáng Chủ nhật."
    tasks[0].id = task.pk
    saved = services.programme_save(secretary, programme, title=programme.title, preamble=programme.preamble,
                                    symbol="", tasks=tasks, summary="Tiếp thu ý kiến đảng viên")  # fmt: skip
    assert saved
    comment = WorkflowComment.objects.get(object_id=programme.pk, anchor=f"task:{task.pk}")
    assert comment.version == 2 and comment.author == member
    latest = programme.versions.get(number=3)
    assert latest.summary == "Tiếp thu ý kiến đảng viên"
    assert [change["field"] for change in latest.changes] == ["tasks.1.content"]
    task.refresh_from_db()
    assert "buổi sáng Chủ nhật" in task.content  # the task kept its id, and its comment


def test_approval_needs_its_date_and_minutes(users, plan, where):
    secretary = users["xa1.bithu"]
    programme = store(secretary, plan, where["commune"], COMMUNE_PROGRAMME)
    services.programme_transition(secretary, programme, "submit")
    with pytest.raises(ValidationError, match="ngày thông qua"):
        services.programme_transition(secretary, programme, "approve")
    with pytest.raises(ValidationError, match="sau hôm nay"):
        services.programme_transition(secretary, programme, "approve", approved_on=timezone.localdate() + timedelta(1),
                                      approval_ref="Nghị quyết số 12-NQ/ĐU")  # fmt: skip
    services.programme_transition(secretary, programme, "approve", approved_on=date(2026, 11, 20),
                                  approval_ref="Nghị quyết số 12-NQ/ĐU")  # fmt: skip
    programme.refresh_from_db()
    assert programme.state == "approved" and programme.approved_on == date(2026, 11, 20)
    assert [entry.action for entry in history(programme)][-2:] == ["workflow.submit", "workflow.approve"]
    with pytest.raises(ValidationError, match="chỉ sửa nội dung"):
        services.programme_save(secretary, programme, title="Khác", preamble="", symbol="", tasks=[])


def test_a_plain_member_comments_but_does_not_approve(users, plan, where):
    programme = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    services.programme_transition(users["xa1.bithu"], programme, "submit")
    with pytest.raises(PermissionDenied):
        services.programme_transition(users["dangvien1"], programme, "approve", approved_on=date(2026, 11, 20),
                                      approval_ref="Biên bản họp")  # fmt: skip


def _running(users, plan, where):
    secretary = users["xa1.bithu"]
    programme = store(secretary, plan, where["cell"], COMMUNE_PROGRAMME, person=users["dangvien1"].member)
    services.programme_transition(secretary, programme, "submit")
    services.programme_transition(secretary, programme, "approve", approved_on=date(2026, 11, 20),
                                  approval_ref="Biên bản họp chi bộ ngày 20/11/2026")  # fmt: skip
    return programme


def test_progress_is_reported_by_the_committee_or_the_task_lead(users, plan, where):
    programme = _running(users, plan, where)
    led = programme.tasks.filter(lead_person=users["dangvien1"].member).first()
    other = programme.tasks.filter(lead_person__isnull=True).first()
    update = services.task_report(users["dangvien1"], led, status=TaskStatus.IN_PROGRESS, achieved=Decimal(300),
                                  note="Đã mở 6 buổi tại 3 ấp.")  # fmt: skip
    led.refresh_from_db()
    assert led.status == TaskStatus.IN_PROGRESS and led.achieved == 300 and led.progress == pytest.approx(1 / 3)
    assert AuditEntry.objects.filter(action="programme.task_report", object_id=str(led.pk)).exists()
    assert update.created_by == users["dangvien1"]
    with pytest.raises(PermissionDenied):
        services.task_report(users["dangvien1"], other, status=TaskStatus.DONE)
    services.task_report(users["xa1.bithu"], other, status=TaskStatus.DONE)


def test_no_progress_on_a_draft(users, plan, where):
    programme = store(users["xa1.bithu"], plan, where["cell"], COMMUNE_PROGRAMME)
    with pytest.raises(ValidationError, match="chỉ báo cáo tiến độ khi đã thông qua"):
        services.task_report(users["xa1.bithu"], programme.tasks.first(), status=TaskStatus.DONE)


def test_a_task_cannot_be_led_from_outside_the_unit(users, plan, where):
    programme = services.programme_create(users["xa1.bithu"], plan, where["cell"], "Chương trình")
    tasks = task_inputs(COMMUNE_PROGRAMME, where["sibling"])
    with pytest.raises(ValidationError, match="đơn vị chủ trì phải là Chi bộ"):
        services.programme_save(users["xa1.bithu"], programme, title="Chương trình", preamble="", symbol="",
                                tasks=tasks)  # fmt: skip
    assert Programme.objects.get(pk=programme.pk).version == 1


def test_a_programme_in_force_is_reviewed_halfway(users, plan, where):
    programme = _running(users, plan, where)
    review = services.programme_review(users["xa1.bithu"], programme, held_on=date(2026, 12, 1),
                                       summary="Hoàn thành 2/4 nhiệm vụ; lùi thời hạn nhiệm vụ 3.")  # fmt: skip
    assert list(programme.reviews.all()) == [review]
    assert AuditEntry.objects.filter(action="programme.review", object_id=str(programme.pk)).exists()
    with pytest.raises(ValidationError, match="trước ngày thông qua"):
        services.programme_review(users["xa1.bithu"], programme, held_on=date(2026, 11, 1), summary="Sớm quá.")
    with pytest.raises(PermissionDenied):  # deciding, not drafting: propaganda staff do not
        services.programme_review(users["tinh.tuyengiao"], programme, held_on=date(2026, 12, 1), summary="Ghi.")
    draft = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    with pytest.raises(ValidationError, match="chỉ sơ kết khi"):
        services.programme_review(users["xa1.bithu"], draft, held_on=date(2026, 12, 1), summary="Ghi.")
