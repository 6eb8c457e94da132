"""A mark typed with a decimal comma, key by key as a grader types it, is stored as the grader means it.

Seen before: <input type="number"> dropped the comma, so "0,2" was saved as 2 points and "0,5"
became 5 (then refused as above the criterion's maximum).
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from quantriet.essays import services
from quantriet.essays.models import Grade
from quantriet.essays.tests.common import ESSAY, essay_plan

from .test_browse import log_in

TYPED = ["0,5", "1,5", "0", "0,2"]


def test_half_a_point_typed_with_a_comma_is_stored_as_half_a_point(page: Page):
    users = get_user_model().objects
    plan = essay_plan(users.get(username="admin"))
    writer = users.get(username="dangvien1")
    essay = services.essay_submit(writer, plan, writer.member, ESSAY)
    criteria = list(services.rubric_ensure(users.get(username="admin"), plan).criteria.all())

    log_in(page, "xa1.bithu")
    page.goto(essay.get_absolute_url())
    for criterion, typed in zip(criteria, TYPED, strict=True):
        field = page.locator(f"#c{criterion.pk}")
        field.click()
        field.press_sequentially(typed)  # key by key, as a person types
        expect(field).to_have_value(typed)  # the comma is not eaten
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã chấm: 2,2 điểm")

    grade = Grade.objects.get(essay=essay)
    points = [grade.scores.get(criterion=c).points for c in criteria]
    assert points == [Decimal("0.5"), Decimal("1.5"), Decimal("0"), Decimal("0.2")]
    assert grade.total == Decimal("2.2")
