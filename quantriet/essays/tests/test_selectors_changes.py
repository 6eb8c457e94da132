"""What changed since a time (essays.selectors), as the incremental fidelity rollups read it:
a submission, a grade and an originality check each name the writer's cell."""

from django.utils import timezone

from quantriet.essays import selectors, services
from quantriet.essays.originality import essay_check

from .common import ESSAY, essay_plan


def test_a_submission_a_grade_and_a_check_after_a_time_name_the_writers_cell(users):
    plan = essay_plan(users["tinh.tuyengiao"])
    member = users["dangvien1"].member
    before = timezone.now()
    essay = services.essay_submit(users["dangvien1"], plan, member, ESSAY)
    assert selectors.essays_changed_since(plan, before) == {member.cell_id}
    submitted = timezone.now()
    assert selectors.essays_changed_since(plan, submitted) == set()
    criteria = list(services.rubric_ensure(users["admin"], plan).criteria.all())
    services.essay_grade(users["xa1.bithu"], essay, {c.pk: "2" for c in criteria})
    assert selectors.essays_changed_since(plan, submitted) == {member.cell_id}
    graded = timezone.now()
    essay_check(essay)
    assert selectors.essays_changed_since(plan, graded) == {member.cell_id}
