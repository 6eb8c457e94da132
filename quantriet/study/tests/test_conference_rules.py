"""Service-level guards on conferences, whatever page or API calls them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from quantriet.study import checkin as codes
from quantriet.study import services
from quantriet.study.models import CheckinOutcome, Conference, StudyPlan

from .test_conferences_common import make_conference, make_plan, org


def test_a_conference_is_marked_held_once(users):
    conference = make_conference(make_plan(users["admin"]), org("X001"), users["admin"])
    services.conference_mark_held(users["admin"], conference)
    with pytest.raises(ValidationError, match="đã được ghi nhận"):
        services.conference_mark_held(users["admin"], conference)


def test_a_closed_plan_takes_no_more_conferences(users):
    plan = make_plan(users["admin"])
    conference = make_conference(plan, org("X001"), users["admin"])
    services.plan_close(users["admin"], plan)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.conference_mark_held(users["admin"], conference)


def test_the_host_must_be_inside_the_issuers_subtree(users):
    plan = make_plan(users["admin"])
    commune_plan = StudyPlan.objects.create(
        issuer=org("X001"), title="Kế hoạch của phường", audiences=["dang_vien"], essay_audience=""
    )
    commune_plan.documents.set(plan.documents.all())
    commune_plan.deadlines.create(level="chi_bo", deadline=timezone.localdate() + datetime.timedelta(days=9))
    services.plan_publish(users["admin"], commune_plan)
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        make_conference(commune_plan, org("X002"), users["admin"])
    assert not Conference.objects.filter(plan=commune_plan).exists()


def test_check_in_opens_a_little_before_the_start(users):
    soon = timezone.now() + datetime.timedelta(minutes=codes.EARLY_MINUTES - 5)
    cell = users["dangvien1"].member.cell
    conference = make_conference(make_plan(users["admin"]), cell, users["admin"], starts_at=soon)
    assert conference.checkin_open() and not conference.in_window()
    outcome, row = services.checkin(users["dangvien1"], conference, codes.make_code(conference))
    assert outcome == CheckinOutcome.OK and row.status == "co_mat"
