"""Disguised copies in a real browser: a sample typed without diacritics, another reworded on a phone.

The province's propaganda office adds a sample essay to the library (a teacher's essay on
Kết luận 21 found on the internet); dangvien1 submits the demo library's sample on the duty of the
person in charge typed without diacritics, as on a phone without a Vietnamese keyboard; a comrade
of the same cell, on a phone, submits the teacher's essay reworded by hand (sentences merged and
split, paragraphs moved, a third to a half of the words replaced). xa1.bithu, the secretary of
their commune, sees both flagged on the class board with the kind of copying, and in the
side-by-side view the sentences aligned on both sides, numbered alike.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from quantriet.core.text import fold
from quantriet.essays import demo as essays_demo
from quantriet.essays.models import Essay, SampleEssay, VerdictLabel
from quantriet.org.models import Member
from quantriet.originality.tests import quality

from .test_browse import log_in
from .test_phone import PHONE

TEACHER = "orig-01-thu-hoach-kl21-giao-vien.txt"
TEACHER_TITLE = "Bài thu hoạch Kết luận 21 của một giáo viên (trên mạng)"
REWORDED = "para-01-kl21-giao-vien.txt"
DEMO_SAMPLE = essays_demo.SAMPLES[1][0]


def comrade_with_a_login(member) -> Member:
    """Another member of MEMBER's cell, given a login (the demo has one member login per cell)."""
    comrade = Member.objects.filter(cell=member.cell, user__isnull=True).order_by("id").first()
    user = get_user_model().objects.create_user("dangvien.cungchibo", password=settings.DEMO_PASSWORD)
    comrade.user = user
    comrade.save(update_fields=["user"])
    return comrade


def submit(page, plan, text):
    page.get_by_role("navigation").get_by_role("link", name="Học tập của tôi").first.click()
    page.locator("#essays").get_by_role("link", name=plan.title).click()
    page.get_by_label("Gõ bài thu hoạch").fill(text)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp bài thu hoạch lần 1.")


def test_unaccented_and_reworded_copies_are_flagged_with_their_kind_and_aligned(new_context, essay_demo):
    plan = essay_demo
    texts = quality.texts()

    # The province's propaganda office adds a sample found on the internet.
    office = new_context().new_page()
    log_in(office, "tinh.tuyengiao")
    office.goto("/thu-hoach/mau-tren-mang/")
    office.get_by_label("Tiêu đề").fill(TEACHER_TITLE)
    office.get_by_label("Nội dung").fill(texts[TEACHER])
    office.get_by_role("button", name="Thêm vào thư viện").click()
    expect(office.locator(".alert-success")).to_contain_text(f"Đã thêm bài mẫu “{TEACHER_TITLE}”")

    # dangvien1 types the demo sample without diacritics; a comrade rewords the teacher's on a phone.
    member = get_user_model().objects.get(username="dangvien1").member
    desktop = new_context().new_page()
    log_in(desktop, "dangvien1")
    submit(desktop, plan, quality.unaccent(SampleEssay.objects.get(title=DEMO_SAMPLE).text))
    comrade = comrade_with_a_login(member)
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(phone, "dangvien.cungchibo")
    phone.get_by_role("button", name="Mở menu").click()
    submit(phone, plan, texts[REWORDED])

    expected = {
        member: (DEMO_SAMPLE, "gõ không dấu"),
        comrade: (TEACHER_TITLE, "diễn đạt lại"),
    }
    for author, (title, kind) in expected.items():
        essay = Essay.objects.select_related("verdict__sample").get(plan=plan, member=author)
        assert essay.verdict.label == VerdictLabel.COPIES_SAMPLE and essay.verdict.sample.title == title
        assert essay.verdict.copying_text == kind

    # xa1.bithu sees both flagged on the board, each with its kind of copying.
    board = new_context().new_page()
    log_in(board, "xa1.bithu")
    board.goto(f"/thu-hoach/ke-hoach/{plan.pk}/cham/?org={member.cell.pk}")
    for author, (_, kind) in expected.items():
        row = board.locator("#essays tbody tr").filter(has_text=author.full_name)
        expect(row).to_contain_text("Chép bài mẫu trên mạng")
        expect(row).to_contain_text(kind)

    # The side-by-side view of each: the kind, and the same numbered sentences on both sides.
    for author, (title, kind) in expected.items():
        board.goto(f"/thu-hoach/ke-hoach/{plan.pk}/cham/?org={member.cell.pk}")
        board.locator("#essays tbody tr").filter(has_text=author.full_name).get_by_role("link", name="so sánh").click()
        expect(board.get_by_role("heading", level=1)).to_contain_text(f"Bài mẫu: {title}")
        expect(board.locator("#copying")).to_have_text(f"Cách chép: {kind}")
        mine, theirs = board.locator("#mine mark"), board.locator("#theirs mark")
        expect(mine.first).to_be_visible()
        assert mine.count() >= 8 and mine.count() == theirs.count()
        numbers = [mark.get_attribute("data-passage") for mark in mine.all()]
        assert sorted(numbers) == sorted(mark.get_attribute("data-passage") for mark in theirs.all())
        first = numbers[0]
        left = board.locator(f'#mine mark[data-passage="{first}"]').inner_text()
        right = board.locator(f'#theirs mark[data-passage="{first}"]').inner_text()
        if kind == "gõ không dấu":
            assert left == fold(left) or left.lower() == fold(left)  # shown as the member typed it
            assert fold(left).split()[:4] == fold(right).split()[:4]
        else:
            assert set(fold(left).split()) & set(fold(right).split())
        board.locator(f'#legend a[href="#a-{first}"]').click()
        expect(board).to_have_url(re.compile(rf"#a-{first}$"))
