"""Reads of quizzes that other pages and apps need (the landing page, the member's record, the
fidelity rollups). Callers check access; nothing here writes."""

from collections import defaultdict

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from quantriet.core.links import page_urls
from quantriet.study import selectors as study

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


# ---------------------------------------------------------------- a calendar year of many members (evaluation)


def member_quizzes_in(member_ids, year: int, cells: dict[int, int] | None = None, today=None) -> dict[int, list[dict]]:
    """Per member of MEMBER_IDS, the quizzes asked of them in YEAR, taken or not (at most four
    queries; callers check access and keep MEMBER_IDS to a few thousand).

    Asked, as `services.quiz_takers` says: the plan requires its quiz and the member's cell has an
    obligation under it; the year is that of the obligation's deadline (plans closed since count
    too). Each is {"plan_id", "quiz_id", "title" ("Bài kiểm tra — Kế hoạch 12-KH/BTGDVTU"), "best":
    the best closed attempt's share of the maximum (0–1; None: not taken), "deadline", "due": the
    cell's deadline is past TODAY (default: today), "url": the quiz's results page for the member's
    cell}. CELLS ({member id: cell id}) saves a lookup.
    """
    member_ids = list(member_ids)
    today = today or timezone.localdate()
    cells = study.member_cells(member_ids) if cells is None else cells
    due = study.cell_plans_due_in(set(cells.values()), year)
    if not due:
        return {member_id: [] for member_id in member_ids}
    quizzes = {
        plan_id: (pk, f"Bài kiểm tra — {study.plan_label(symbol, title)}")
        for pk, plan_id, symbol, title in Quiz.objects.filter(
            plan_id__in={plan_id for _cell, plan_id, _deadline in due}, plan__quiz_required=True
        ).values_list("pk", "plan_id", "plan__symbol", "plan__title")
    }
    by_cell = defaultdict(list)
    for cell_id, plan_id, deadline in sorted(due, key=lambda row: row[1]):
        if plan_id in quizzes:
            by_cell[cell_id].append((plan_id, deadline))
    results = {}
    if by_cell:
        taken = QuizResult.objects.filter(
            quiz_id__in=[pk for pk, _title in quizzes.values()], member_id__in=member_ids, attempts__gt=0
        )
        results = {(m, q): best for q, m, best in taken.values_list("quiz_id", "member_id", "best_score")}
    url = page_urls("quizzes:results")
    found = {}
    for member_id in member_ids:
        cell_id = cells.get(member_id)
        records = []
        for plan_id, deadline in by_cell.get(cell_id, ()):
            quiz_id, title = quizzes[plan_id]
            best = results.get((member_id, quiz_id))
            records.append(
                {
                    "plan_id": plan_id,
                    "quiz_id": quiz_id,
                    "title": title,
                    "best": float(best) / 100 if best is not None else None,
                    "deadline": deadline,
                    "due": deadline < today,
                    "url": url(plan_id, f"org={cell_id}"),
                }
            )
        found[member_id] = records
    return found
