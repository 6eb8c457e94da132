"""The demo's dates around the turn of a day and of a year: the live conference (the QR check-in to try) is
in progress and among the commune's conferences of the day whenever the demo is seeded or served, even a
minute before or after local midnight; the essays are due within the year the demo is seeded in (that
year's evaluation counts them)."""

import datetime

import pytest
from django.utils import timezone

from quantriet.org.models import Organization
from quantriet.org.tree import parent_path
from quantriet.study.demo import LIVE_TITLE, StudyDemo, refresh_live_window
from quantriet.study.models import Conference
from quantriet.study.selectors import conferences_on

DAY = datetime.date(2026, 12, 6)


def local(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.mark.parametrize(("hour", "minute"), [(23, 59), (0, 2), (0, 0), (14, 30)])
def test_the_live_conference_belongs_to_the_day_it_is_refreshed_and_is_in_progress(users, hour, minute):
    now = local(DAY, hour, minute)
    refresh_live_window(now)
    live = Conference.objects.get(title=LIVE_TITLE)
    assert live.host == users["dangvien1"].member.cell
    assert timezone.localtime(live.starts_at).date() == DAY
    assert now - datetime.timedelta(minutes=5) <= live.starts_at <= now < live.ends_at
    # "Hội nghị hôm nay" of xa1.bithu's commune on that day (the home page's selector)
    commune = Organization.objects.get(path=parent_path(live.host.path))
    assert users["xa1.bithu"].grants.filter(org=commune).exists()
    assert live in conferences_on([commune], DAY)


def test_seeded_a_minute_before_midnight_it_is_still_in_progress_after_it(users):
    refresh_live_window(local(DAY, 23, 59))
    live = Conference.objects.get(title=LIVE_TITLE)
    assert live.starts_at < local(DAY + datetime.timedelta(days=1), 0, 1) < live.ends_at


@pytest.mark.parametrize(
    ("today", "deadline"),
    [
        (datetime.date(2026, 11, 2), datetime.date(2026, 11, 22)),
        (datetime.date(2026, 12, 20), datetime.date(2026, 12, 31)),
        (datetime.date(2027, 1, 3), datetime.date(2027, 1, 23)),
    ],
)
def test_the_essays_are_due_within_the_year_of_the_seeding(db, today, deadline):
    assert StudyDemo(today=today).create_plan().essay_deadline == deadline
