"""The essay journey in a real browser: a member submits an essay copied from an internet sample,
the commune's secretary sees it flagged with the copied passages highlighted, and grades it.

dangvien1 (who has no essay in the demo) opens the demo plan's essay page from "Học tập của tôi"
and pastes the demo library's sample on the duty of the person in charge, with the name, cell
and commune swapped for their own; xa1.bithu, the secretary of dangvien1's commune, opens the
class board, follows the flag to the side-by-side view, then grades the essay with the rubric.
The database is only read, to check what the pages did.

The essays demo (sample library, the plan's essays, the quiz) is seeded here, through
``seed_demo --essays``: the test database's province is seeded without it, because the unit tests
of essays and quizzes expect an empty library and no essays. The flush at the end of this test
takes it away again, and the e2e conftest puts back the province alone.
"""

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from quantriet.essays import demo as essays_demo
from quantriet.essays.models import Essay, EssaySource, Grade, SampleEssay, VerdictLabel
from quantriet.essays.services import rubric_ensure
from quantriet.org.models import Organization
from quantriet.org.tree import parent_path

from .test_browse import log_in

SAMPLE_TITLE = essays_demo.SAMPLES[1][0]  # "Bài thu hoạch về trách nhiệm nêu gương …", mau-2 of the corpus
#: The rubric's four criteria, in order, and what xa1.bithu gives: 1 + 0,5 + 0 + 0,5 = 2 of 10.
POINTS = ["1", "0.5", "0", "0.5"]
COMMENT = "Bài chép gần nguyên văn bài mẫu trên mạng, chỉ thay tên người và địa danh. Đề nghị đồng chí viết lại."


def copied_essay(member) -> str:
    """The demo sample with the names and places swapped for the member's own, as a copier would."""
    sample = SampleEssay.objects.get(title=SAMPLE_TITLE)
    commune = Organization.objects.get(path=parent_path(member.cell.path))
    swaps = essays_demo.SAMPLE_NAMES["mau-2-internet.txt"]
    return (
        sample.text.replace(swaps["person"], member.full_name)
        .replace(swaps["cell"], member.cell.name)
        .replace(swaps["commune"], commune.name)
    )


def test_the_demo_has_essays_of_every_kind_half_graded(essay_demo):
    essays = Essay.objects.filter(plan=essay_demo)
    labels = set(essays.values_list("verdict__label", flat=True))
    assert labels == set(VerdictLabel.values)
    assert 30 <= essays.count() <= 60
    assert essays.filter(verdict__label=VerdictLabel.ORIGINAL).count() > essays.count() / 2
    assert 0.3 < Grade.objects.filter(essay__plan=essay_demo).count() / essays.count() < 0.7
    assert SampleEssay.objects.count() == 3
    assert not essays.filter(member__user__isnull=False).exists()  # the demo logins write their own
    assert essay_demo.quiz.attempts.filter(passed=True).exists() and essay_demo.quiz.attempts.filter(passed=False)


def test_copied_essay_is_flagged_highlighted_and_graded(new_context, essay_demo):
    plan = essay_demo
    member = get_user_model().objects.get(username="dangvien1").member
    assert not Essay.objects.filter(plan=plan, member=member).exists()  # the demo leaves it to this journey
    text = copied_essay(member)
    assert "Nguyễn Văn An" not in text and member.full_name in text

    # dangvien1 submits, from "Học tập của tôi".
    page = new_context().new_page()
    log_in(page, "dangvien1")
    page.get_by_role("navigation").get_by_role("link", name="Học tập của tôi").first.click()
    page.locator("#essays").get_by_role("link", name=plan.title).click()
    expect(page).to_have_url(re.compile(rf"/thu-hoach/ke-hoach/{plan.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài thu hoạch của tôi")
    page.get_by_label("Gõ bài thu hoạch").fill(text)
    expect(page.locator("#word-count [data-words]")).not_to_have_text("0")
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp bài thu hoạch lần 1.")
    expect(page.locator("#current")).to_contain_text(member.full_name)

    essay = Essay.objects.select_related("verdict", "verdict__sample").get(plan=plan, member=member)
    assert (essay.source, essay.late, essay.versions.count()) == (EssaySource.TYPED, False, 1)
    assert essay.verdict.label == VerdictLabel.COPIES_SAMPLE
    assert essay.verdict.sample.title == SAMPLE_TITLE and essay.verdict.sample_score >= 0.8

    # xa1.bithu finds it flagged on the class board of the commune.
    board = new_context().new_page()
    log_in(board, "xa1.bithu")
    board.goto("/thu-hoach/")
    board.locator("#grading").get_by_role("link", name=plan.title).click()
    expect(board).to_have_url(re.compile(rf"/thu-hoach/ke-hoach/{plan.pk}/cham/"))
    board.get_by_role("link", name="Chưa chấm").click()
    row = board.locator("#essays tbody tr").filter(has_text=member.full_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chép bài mẫu trên mạng")

    # The side-by-side view: the shared passages are marked on both sides.
    row.get_by_role("link", name="so sánh").click()
    expect(board).to_have_url(re.compile(rf"/thu-hoach/so-sanh/{essay.pk}/mau/{essay.verdict.sample_id}/$"))
    expect(board.get_by_role("heading", level=1)).to_contain_text(f"Bài mẫu: {SAMPLE_TITLE}")
    expect(board.locator("#mine mark").first).to_be_visible()
    expect(board.locator("#theirs mark").first).to_be_visible()
    assert board.locator("#mine mark").count() >= 1 and board.locator("#theirs mark").count() >= 1
    marked = " ".join(board.locator("#mine mark").all_inner_texts())
    assert "cấp trên làm kỹ, cấp dưới làm lướt" in marked

    # Grading with the rubric, from the essay's page.
    board.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=member.full_name).click()
    expect(board).to_have_url(re.compile(rf"/thu-hoach/bai/{essay.pk}/$"))
    expect(board.locator("#verdict")).to_contain_text("Chép bài mẫu trên mạng")
    criteria = list(rubric_ensure(None, plan).criteria.all())
    assert len(criteria) == len(POINTS)
    grading = board.locator("#grading")
    for criterion, points in zip(criteria, POINTS, strict=True):
        grading.get_by_label(criterion.name).fill(points)
    grading.get_by_label("Nhận xét").fill(COMMENT)
    grading.get_by_role("button", name="Lưu điểm").click()
    expect(board.locator(".alert-success")).to_have_text("Đã chấm: 2 điểm — Chưa đạt.")

    grade = Grade.objects.get(essay=essay)
    assert (grade.total, grade.band, grade.comment) == (Decimal("2.0"), "Chưa đạt", COMMENT)
    assert grade.grader.username == "xa1.bithu"
    assert [s.points for s in grade.scores.all()] == [Decimal(p) for p in POINTS]

    # The member sees the grade on their essay page.
    page.reload()
    expect(page.locator("#grade")).to_contain_text("Chưa đạt")
    expect(page.locator("#grade")).to_contain_text(COMMENT)
