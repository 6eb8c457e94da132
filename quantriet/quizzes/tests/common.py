"""Shared helpers of the quiz tests (no tests here): a plan requiring a quiz, a bank, a quiz, attempts.

The personas and `expect` of the permission matrix are in quantriet.tests.matrix.
"""

import io

from openpyxl import Workbook

from quantriet.quizzes import services
from quantriet.quizzes.models import QuestionKind
from quantriet.study.tests.test_conferences_common import make_plan


def add_questions(actor, document, count=12, multiple_every=3):
    """COUNT questions with four choices; every MULTIPLE_EVERY-th is multiple choice (A and C right)."""
    questions = []
    for i in range(count):
        multiple = multiple_every and i % multiple_every == multiple_every - 1
        kind = QuestionKind.MULTIPLE if multiple else QuestionKind.SINGLE
        right = {0, 2} if multiple else {1}
        choices = [(f"Phương án {letter} của câu {i + 1}", n in right) for n, letter in enumerate("ABCD")]
        questions.append(
            services.question_add(
                actor, document, kind, f"Câu hỏi số {i + 1} về Chỉ thị 28-CT/TU?", f"Giải thích câu {i + 1}.", choices
            )
        )
    return questions


def quiz_plan(actor, *, count=12, per_attempt=5, attempts=2, pass_mark=60, number="838", reveal=None):
    plan = make_plan(actor, number=number)
    plan.quiz_required = True
    plan.save(update_fields=["quiz_required"])
    add_questions(actor, plan.documents.get(), count)
    quiz = services.quiz_save(
        actor,
        plan,
        time_limit_minutes=15,
        questions_per_attempt=per_attempt,
        attempts_allowed=attempts,
        pass_mark=pass_mark,
        shuffle=True,
        **({"reveal": reveal} if reveal else {}),
    )
    return quiz


def right_answers(attempt):
    """{question id: [correct choice ids]} for the attempt's paper."""
    from quantriet.quizzes.models import Choice

    out = {}
    for item in attempt.layout:
        out[item["q"]] = sorted(Choice.objects.filter(pk__in=item["c"], correct=True).values_list("pk", flat=True))
    return out


def xlsx(rows, headers=None):
    from quantriet.quizzes.bank_import import HEADERS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def take(the_quiz, member, perfect, actor=None):
    """One attempt of MEMBER on THE_QUIZ, submitted all right (PERFECT) or blank."""
    attempt, _ = services.attempt_start(actor, the_quiz, member)
    return services.attempt_submit(actor, attempt, right_answers(attempt) if perfect else {})
