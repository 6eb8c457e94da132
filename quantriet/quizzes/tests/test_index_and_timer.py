"""The quizzes index (who sees "Cấu hình", how the member's own quizzes read), the export's file name, and the
attempt page's countdown that submits the paper when the time runs out."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from quantriet.org.models import Organization
from quantriet.quizzes import services
from quantriet.quizzes.exports import ascii_code
from quantriet.quizzes.models import GRACE, Attempt

from .common import right_answers, take

INDEX = reverse("quizzes:index")


def configure_url(quiz):
    return reverse("quizzes:quiz_edit", args=[quiz.plan_id])


# ---------------------------------------------------------------- "Cấu hình" on the index


@pytest.mark.parametrize("persona", ["admin", "tinh.tuyengiao"])
def test_the_index_offers_the_configuration_to_who_may_configure(quiz, client_as, persona):
    client = client_as(persona)
    assert f'href="{configure_url(quiz)}"' in client.get(INDEX).content.decode()
    assert client.get(configure_url(quiz)).status_code == 200


@pytest.mark.parametrize("persona", ["xa1.bithu", "xa2.bithu"])
def test_the_index_hides_the_configuration_from_who_follows_the_results_only(quiz, client_as, persona):
    client = client_as(persona)
    page = client.get(INDEX).content.decode()
    assert f'href="{reverse("quizzes:results", args=[quiz.plan_id])}"' in page  # the quiz is on their board
    assert configure_url(quiz) not in page
    assert client.get(configure_url(quiz)).status_code == 403


# ---------------------------------------------------------------- the member's own quizzes


def status(client, quiz) -> str:
    """The text of the quiz's line in "Bài kiểm tra của tôi"."""
    page = client.get(INDEX).content.decode()
    line = re.search(rf'href="{reverse("quizzes:take", args=[quiz.plan_id])}">.*?</li>', page, re.S)[0]
    return " ".join(strip_tags(line.split(">", 1)[1]).split())


@pytest.fixture
def member(users):
    return users["dangvien1"].member


def test_a_quiz_never_started_reads_not_done(quiz, client_as):
    text = status(client_as("dangvien1"), quiz)
    assert text.endswith("Chưa làm") and "xong" not in text and "Điểm" not in text


def test_an_open_attempt_reads_not_finished(quiz, member, client_as):
    services.attempt_start(None, quiz, member)
    assert status(client_as("dangvien1"), quiz).endswith("Chưa làm xong lần 1")


def test_a_failed_attempt_reads_its_score_and_not_passed(quiz, member, client_as):
    take(quiz, member, perfect=False)
    text = status(client_as("dangvien1"), quiz)
    assert "Điểm cao nhất: 0" in text and text.endswith("Chưa đạt (đã nộp 1/2 lần)")
    assert "Chưa làm" not in text


def test_a_second_attempt_in_progress_reads_not_finished_with_the_first_score(quiz, member, client_as):
    take(quiz, member, perfect=False)
    services.attempt_start(None, quiz, member)
    text = status(client_as("dangvien1"), quiz)
    assert "Chưa làm xong lần 2" in text and "Chưa đạt (đã nộp 1/2 lần)" in text


def test_a_pass_stays_a_pass_after_a_weaker_attempt(quiz, member, client_as):
    take(quiz, member, perfect=True)
    take(quiz, member, perfect=False)
    text = status(client_as("dangvien1"), quiz)
    assert "Điểm cao nhất: 100" in text and "Đạt (đã nộp 2/2 lần)" in text and "Chưa đạt" not in text


def test_an_attempt_whose_time_ran_out_is_closed_not_shown_as_in_progress(quiz, member, client_as):
    attempt, _ = services.attempt_start(None, quiz, member)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - GRACE - datetime.timedelta(minutes=1))
    text = status(client_as("dangvien1"), quiz)
    assert "Chưa làm xong" not in text and "Chưa đạt (đã nộp 1/2 lần)" in text
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.closed_late


# ---------------------------------------------------------------- the export's file name


def test_the_export_is_named_with_the_organisation_code(quiz, users, client_as):
    commune1 = users["xa1.bithu"].grants.get().org
    response = client_as("xa1.bithu").get(reverse("quizzes:results_xlsx", args=[quiz.plan_id]), {"org": commune1.pk})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="ket-qua-kiem-tra-{quiz.plan_id}-{commune1.code}.xlsx"'
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("TVL-X001", "TVL-X001"),
        ("Đảng ủy xã/Phú Hòa", "Dang-uy-xa-Phu-Hoa"),
        ('X"01; rm -rf', "X-01-rm--rf"),
        ("…", "42"),
    ],
)
def test_the_code_in_a_file_name_is_ascii(code, expected):
    assert ascii_code(Organization(pk=42, code=code)) == expected


# ---------------------------------------------------------------- the countdown


def attempt_url(attempt):
    return reverse("quizzes:attempt", args=[attempt.pk])


def answers_form(answers, **extra):
    return {f"q{q}": [str(c) for c in cs] for q, cs in answers.items()} | extra


def test_the_countdown_submits_the_paper_at_zero(quiz, member, client_as):
    attempt, _ = services.attempt_start(None, quiz, member)
    page = client_as("dangvien1").get(attempt_url(attempt)).content.decode()
    assert 'src="/static/quiz-timer.js"' in page[page.index('id="paper"') :]  # a file: the CSP allows no inline script
    script = (settings.BASE_DIR / "quantriet" / "static" / "quiz-timer.js").read_text()
    assert 'field("action", "submit")' in script and 'field("auto", "1")' in script
    assert "form.submit()" in script and "if (left <= 0)" in script


def test_what_the_countdown_posts_within_the_grace_is_scored(quiz, member, client_as):
    attempt, _ = services.attempt_start(None, quiz, member)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - GRACE / 2)
    client = client_as("dangvien1")
    response = client.post(attempt_url(attempt), answers_form(right_answers(attempt), action="submit", auto="1"))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert not attempt.is_open and not attempt.closed_late and attempt.score == 100
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Hết giờ làm bài: bài đã được tự động nộp với các câu trả lời đã chọn."
    ]


def test_answers_posted_after_the_grace_close_the_attempt_with_those_saved(quiz, member, client_as):
    attempt, _ = services.attempt_start(None, quiz, member)
    right = right_answers(attempt)
    first = attempt.question_ids()[0]
    services.attempt_save(None, attempt, {first: right[first]})
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - GRACE - datetime.timedelta(seconds=5))
    response = client_as("dangvien1").post(attempt_url(attempt), answers_form(right, action="submit", auto="1"))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.closed_late and attempt.correct_count == 1 and attempt.answers.count() == 1
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã hết giờ: bài được đóng với các câu trả lời đã lưu."
    ]
