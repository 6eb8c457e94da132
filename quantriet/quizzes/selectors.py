"""Reads of quizzes that other pages and apps need (the landing page, the member's record).
Callers check access; nothing here writes."""

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
