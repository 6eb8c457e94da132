"""The default criteria sets written by the migration: the same rules as the code's defaults, the
set in force chosen by date, a later set not rewriting an earlier period."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from quantriet.evaluation import rules
from quantriet.evaluation.defaults import ensure_default_sets
from quantriet.evaluation.models import CriteriaSet, Subject

pytestmark = pytest.mark.django_db


def test_the_migrated_default_sets_are_the_codes_defaults():
    members = CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(2026, 12, 31))
    collectives = CriteriaSet.objects.in_force(Subject.COLLECTIVE, datetime.date(2026, 12, 31))
    assert members.rules() == rules.DEFAULT_MEMBER_RULES
    assert collectives.rules() == rules.DEFAULT_COLLECTIVE_RULES
    assert members.to_confirm and "366-QĐ/TW" in members.basis


def test_no_set_before_the_first_one_and_a_later_set_takes_over_from_its_date():
    assert CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(2025, 1, 1)) is None
    first = CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(2026, 6, 1))
    later = CriteriaSet.objects.create(
        subject=Subject.MEMBER,
        name="Bộ tiêu chí 2027",
        basis="Hướng dẫn mới",
        valid_from=datetime.date(2027, 1, 1),
        excellent_share=Decimal("0.15"),
    )
    assert CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(2026, 12, 31)) == first
    assert CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(2027, 3, 1)) == later


def test_the_demo_writes_the_default_sets_back_into_a_database_that_lost_them():
    CriteriaSet.objects.all().delete()
    call_command("seed_demo", scale=0.01, quiet=True, essays=False, stdout=io.StringIO())
    assert {s.subject for s in CriteriaSet.objects.all()} == {"dang_vien", "tap_the"}
    assert ensure_default_sets() is False, "a database with sets of its own is left alone"
