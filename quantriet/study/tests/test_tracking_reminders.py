"""Overdue reminders: who gets the email and the notification, and not twice within a week."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from quantriet.core.models import AuditEntry, Notification
from quantriet.org.models import Grant, Organization, Role, Title
from quantriet.study.models import Level, Obligation, PlanStatus
from quantriet.study.reminders import send_overdue_reminders, send_overdue_reminders_task

from .test_plans_common import close_other_plans, days, make_plan, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(users):
    """X001 and its four cells overdue under one plan; xa1.bithu (X001's secretary) has an email.

    One cell's secretary gets an account with an email ("direct"); another cell has an office
    clerk with an email ("clerk"); the other two fall back to xa1.bithu, who leads X001.
    """
    User = get_user_model()
    plan = make_plan(org("X001"), {Level.UPPER: days(-6), Level.CELL: days(-2)}, publish=True)
    close_other_plans(plan)
    xa1 = users["xa1.bithu"]
    xa1.email = "xa1@example.vn"
    xa1.save()
    cells = list(Organization.objects.get_children(org("X001")).order_by("path"))
    direct = next(c for c in cells if c.holder(Title.SECRETARY).user_id is None)
    head = direct.holder(Title.SECRETARY)
    head.user = User.objects.create_user("bithu.chibo", email="chibo@example.vn")
    head.save(update_fields=["user"])
    clerk_cell = next(c for c in cells if c != direct)
    clerk = User.objects.create_user("vanphong.chibo", email="vanphong@example.vn")
    Grant.objects.create(user=clerk, org=clerk_cell, role=Role.OFFICE)
    others = [c for c in cells if c not in (direct, clerk_cell)]
    return {
        "plan": plan,
        "xa1": xa1,
        "head": head.user,
        "clerk": clerk,
        "direct": direct,
        "clerk_cell": clerk_cell,
        "fallback": [org("X001"), *others],
    }


def _notified(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_reminders_go_to_the_head_or_else_the_leaders(overdue):
    plan, xa1, head, clerk = overdue["plan"], overdue["xa1"], overdue["head"], overdue["clerk"]
    assert Obligation.objects.filter(plan=plan).count() == 5

    counts = send_overdue_reminders()

    assert counts["obligations"] == 5 and counts["emails"] == 3 and counts["unreachable"] == 0
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"xa1@example.vn", "chibo@example.vn", "vanphong@example.vn"}
    xa1_mail = by_recipient["xa1@example.vn"].body
    for unit in overdue["fallback"]:
        assert f"{unit.name} chưa tổ chức" in xa1_mail
    assert overdue["direct"].name not in xa1_mail and overdue["clerk_cell"].name not in xa1_mail
    assert f"{overdue['direct'].name} chưa tổ chức" in by_recipient["chibo@example.vn"].body
    assert f"{overdue['clerk_cell'].name} chưa tổ chức" in by_recipient["vanphong@example.vn"].body
    assert "3 đơn vị quá hạn" in by_recipient["xa1@example.vn"].subject
    assert len(_notified(xa1)) == 3 and len(_notified(head)) == 1 and len(_notified(clerk)) == 1
    assert all(text.startswith("Quá hạn:") for text in _notified(xa1))
    url = Notification.objects.filter(user=clerk).get().url
    assert url == f"/hoc-tap/ke-hoach/{plan.pk}/?trang_thai=qua_han#progress"
    assert not Obligation.objects.filter(plan=plan, reminded_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="obligation.remind").exists()


def test_no_second_reminder_within_seven_days(overdue):
    send_overdue_reminders()
    sent, notes = len(mail.outbox), Notification.objects.count()

    again = send_overdue_reminders(timezone.localdate() + datetime.timedelta(days=3))
    assert again["obligations"] == 0 and len(mail.outbox) == sent and Notification.objects.count() == notes

    # A week later (the last reminder eight days ago) they are reminded again.
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    Obligation.objects.filter(plan=overdue["plan"]).update(reminded_at=eight_days_ago)
    later = send_overdue_reminders()
    assert later["obligations"] == 5 and len(mail.outbox) == sent + 3


def test_only_overdue_obligations_of_published_plans(overdue, users):
    plan = overdue["plan"]
    held, due_today = overdue["fallback"][1], overdue["fallback"][2]
    Obligation.objects.filter(plan=plan, org=held).update(held_on=days(-1))  # held late: not overdue
    Obligation.objects.filter(plan=plan, org=due_today).update(deadline=days(0))  # due today: not yet
    closed = make_plan(org("X002"), {Level.UPPER: days(-3)}, publish=True)
    closed.status = PlanStatus.CLOSED
    closed.save()

    counts = send_overdue_reminders()

    assert counts["obligations"] == 3
    reminded = set(Obligation.objects.filter(reminded_at__isnull=False).values_list("org_id", flat=True))
    assert reminded == {org("X001").pk, overdue["direct"].pk, overdue["clerk_cell"].pk}
    assert not Obligation.objects.filter(plan=closed, reminded_at__isnull=False).exists()


def test_propaganda_staff_above_are_the_last_resort(users):
    bloc_unit = org("CQD-01")  # a grassroots committee: no accounts, no leader or office grant above it
    plan = make_plan(bloc_unit, {Level.GRASSROOTS: days(-5), Level.CELL: days(-1)}, publish=True)
    close_other_plans(plan)
    Obligation.objects.filter(plan=plan).update(head=None)

    counts = send_overdue_reminders()

    assert counts["unreachable"] == 0 and counts["obligations"] == plan.obligations.count() > 0
    assert Notification.objects.filter(user=users["tinh.tuyengiao"]).count() == plan.obligations.count()


def test_admins_are_not_reminded(users):
    """The admin's grant on the province is to run the software, not to push a unit's study: where
    the province answers, its propaganda staff are reminded and the admin is not."""
    bloc_unit = org("CQD-01")
    plan = make_plan(bloc_unit, {Level.GRASSROOTS: days(-5), Level.CELL: days(-1)}, publish=True)
    close_other_plans(plan)
    Obligation.objects.filter(plan=plan).update(head=None)
    assert Grant.objects.filter(user=users["admin"], org__code="TVL", role=Role.ADMIN).exists()

    send_overdue_reminders()

    assert Notification.objects.filter(user=users["tinh.tuyengiao"]).count() == plan.obligations.count() > 0
    assert not Notification.objects.filter(user=users["admin"]).exists()
    assert all(users["admin"].email not in m.to for m in mail.outbox)


def test_an_unreachable_unit_is_counted_and_tried_again(users):
    bloc_unit = org("CQD-01")
    plan = make_plan(bloc_unit, {Level.GRASSROOTS: days(-5), Level.CELL: days(-1)}, publish=True)
    close_other_plans(plan)
    Obligation.objects.filter(plan=plan).update(head=None)
    Grant.objects.filter(org__code="TVL").delete()  # nobody above either

    counts = send_overdue_reminders()

    assert counts["unreachable"] == plan.obligations.count() > 0
    assert counts["obligations"] == 0 and mail.outbox == [] and not Notification.objects.exists()
    assert not Obligation.objects.filter(plan=plan, reminded_at__isnull=False).exists()


def test_a_head_without_email_gets_the_notification_and_the_leaders_the_email(overdue, users):
    head = overdue["head"]
    head.email = ""
    head.save()
    send_overdue_reminders()
    line = f"{overdue['direct'].name} chưa tổ chức"
    assert any(line in text for text in _notified(head))
    assert any(line in text for text in _notified(overdue["xa1"]))
    xa1_mail = next(m for m in mail.outbox if m.to == ["xa1@example.vn"])
    assert line in xa1_mail.body
    assert all(m.to != [""] for m in mail.outbox)


def test_management_command_and_task(overdue):
    out = io.StringIO()
    call_command("send_overdue_reminders", stdout=out)
    assert "Đã nhắc 5 đơn vị quá hạn: gửi 3 email, tạo 5 thông báo." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("send_overdue_reminders", "--ngay", "2026-13-45", stdout=io.StringIO())
    Obligation.objects.update(reminded_at=None)
    result = send_overdue_reminders_task.enqueue()
    assert result.return_value["obligations"] == 5 and result.return_value["emails"] == 3
