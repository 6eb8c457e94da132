"""Reads of quizzes that other pages and apps need (the landing page, the member's record, the
fidelity rollups). Callers check access; nothing here writes."""

from django.db.models import Count, F, Q, Sum

from . import services
from .models import Quiz, QuizResult


def member_quizzes(member, plans) -> list[Quiz]:
    """The quizzes of PLANS that MEMBER must take, each with ``result`` (their QuizResult or None)."""
    quizzes = Quiz.objects.filter(plan__in=[p.pk for p in plans if p.quiz_required]).select_related("plan")
    quizzes = [q for q in quizzes if services.must_take(q.plan, member)]
    results = {r.quiz_id: r for r in QuizResult.objects.filter(member=member, quiz__in=quizzes)}
    for quiz in quizzes:
        quiz.result = results.get(quiz.pk)
    return quizzes


def member_results(member):
    """MEMBER's standing on every quiz they submitted, newest plan first."""
    return (
        QuizResult.objects.filter(member=member)
        .select_related("quiz", "quiz__plan")
        .order_by("-quiz__plan__published_at", "-quiz__plan_id")
    )


# ---------------------------------------------------------------- the facts of the fidelity rollups


def required_quiz(plan) -> Quiz | None:
    """PLAN's quiz when the plan requires its members to take one."""
    return getattr(plan, "quiz", None) if plan.quiz_required else None


def quiz_results_by_cell(quiz, members) -> list[dict]:
    """Per cell, the results of MEMBERS who took QUIZ: rows {"unit": cell id, "n", "score_sum" (the
    sum of their best scores, in percent), "passes"}."""
    taken = QuizResult.objects.filter(quiz=quiz, member__in=members, attempts__gt=0)
    rows = taken.values(unit=F("member__cell_id")).annotate(
        n=Count("id"), s=Sum("best_score"), passes=Count("id", filter=Q(passed=True))
    )
    return [{"unit": r["unit"], "n": r["n"], "score_sum": float(r["s"] or 0), "passes": r["passes"]} for r in rows]


def quiz_results_changed_since(plan, since):
    """Ids of the cells of the members whose result on PLAN's quiz changed since SINCE."""
    changed = QuizResult.objects.filter(quiz__plan=plan, updated_at__gte=since)
    return changed.order_by().values_list("member__cell_id", flat=True).distinct()


def quiz_changed_since(plan, since) -> bool:
    """Whether PLAN's quiz (its settings) changed since SINCE."""
    return Quiz.objects.filter(plan=plan, updated_at__gte=since).exists()
