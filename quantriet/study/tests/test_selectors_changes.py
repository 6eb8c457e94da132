"""What changed since a time (study.selectors), as the incremental fidelity rollups read it."""

import datetime

from django.utils import timezone

from quantriet.study import selectors, services
from quantriet.study.models import AttendanceStatus, BridgePoint, Obligation

from .test_conferences_common import make_conference, make_plan, org


def test_attendance_marked_after_a_time_names_the_members_cells(users):
    plan = make_plan(users["admin"])
    conference = make_conference(plan, org("X001"), users["admin"])
    member = services.conference_roster(conference).order_by("id").first()
    before = timezone.now()
    services.attendance_mark(users["admin"], conference, member, AttendanceStatus.PRESENT)
    assert list(selectors.attendance_changed_since(plan, before)) == [member.cell_id]
    assert list(selectors.attendance_changed_since(plan, timezone.now())) == []


def test_a_changed_conference_names_its_host_the_units_it_covers_and_its_bridging_points(users):
    plan = make_plan(users["admin"])
    before = timezone.now()
    conference = make_conference(plan, org("TVL"), users["admin"], covered=[org("TVL-CQD")])
    BridgePoint.objects.create(conference=conference, host=org("X001"), place="Hội trường xã", expected=40)
    expected = {org("TVL").pk, org("TVL-CQD").pk, org("X001").pk}
    assert selectors.conferences_changed_since(plan, before) == expected
    assert selectors.conferences_changed_since(plan, timezone.now()) == set()


def test_an_obligation_whose_deadline_passed_since_a_day_without_a_conference_names_its_unit(users):
    plan = make_plan(users["admin"])
    overdue = Obligation.objects.filter(plan=plan, org=org("X001")).get()
    overdue.deadline = timezone.localdate() - datetime.timedelta(days=1)
    overdue.save(update_fields=["deadline"])
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    assert list(selectors.obligations_fallen_due_since(plan, two_days_ago)) == [overdue.org_id]
    assert list(selectors.obligations_fallen_due_since(plan, timezone.now())) == []  # fell due before today
