"""Quiz results for the board: per member (best score, attempts, passed) and per child organisation.

Read from the ``QuizResult`` rollup (one row per quiz and member, kept by the services), never from
the raw attempts: member rows are the quiz's takers left-joined to their QuizResult, and the
summaries of all the children of an organisation come from one aggregate query grouped by the
prefix of the member's cell path at the children's depth (a child's subtree is its path prefix).
"""

from django.db.models import Avg, BooleanField, Count, F, FilteredRelation, IntegerField, Q, Value
from django.db.models.functions import Coalesce, Substr

from quantriet.org.tree import path_length

from .services import quiz_takers


def _with_results(quiz, members):
    """MEMBERS left-joined to their QuizResult on QUIZ (best_score None, attempt_count 0 without one)."""
    return members.annotate(
        result=FilteredRelation("quiz_results", condition=Q(quiz_results__quiz=quiz)),
        best_score=F("result__best_score"),
        attempt_count=Coalesce(F("result__attempts"), Value(0), output_field=IntegerField()),
        has_passed=Coalesce(F("result__passed"), Value(False), output_field=BooleanField()),
        last_submitted_at=F("result__last_submitted_at"),
    )


def _takers_under(quiz, org):
    return _with_results(quiz, quiz_takers(quiz.plan).filter(cell__path__startswith=org.path))


def member_results(quiz, org):
    """Members required to take QUIZ under ORG, with best score, attempts made and whether they passed."""
    return _takers_under(quiz, org).select_related("cell").order_by("cell__path", "name_key", "id")


SUMMARY = {
    "takers": Count("pk"),
    "took": Count("pk", filter=Q(attempt_count__gt=0)),
    "mean": Avg("best_score"),
    "passed": Count("pk", filter=Q(has_passed=True)),
}


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _finish(totals, org):
    """Add the rates, each with its base in its name: ``pass_rate`` of those required to take the quiz,
    ``pass_rate_of_took`` of those who took it (the fidelity dashboard's and the report's rate),
    ``took_rate`` of those required."""
    totals["pass_rate"] = _rate(totals["passed"], totals["takers"])
    totals["pass_rate_of_took"] = _rate(totals["passed"], totals["took"])
    totals["took_rate"] = _rate(totals["took"], totals["takers"])
    totals["org"] = org
    return totals


def org_summary(quiz, org):
    """Takers, members who took it, mean best score and pass rate, for ORG as a whole."""
    return _finish(_takers_under(quiz, org).aggregate(**SUMMARY), org)


def child_summaries(quiz, org, visible):
    """One summary per child of ORG (among VISIBLE) that has members required to take the quiz.

    Two queries whatever the number of children: the children, and one aggregate over ORG's subtree
    grouped by the first (depth + 1) path steps of each member's cell.
    """
    children = list(org.visible_children(visible))
    if not children:
        return []
    length = path_length(org.depth + 1)
    grouped = (
        _takers_under(quiz, org)
        .annotate(branch=Substr("cell__path", 1, length))
        .order_by()
        .values("branch")
        .annotate(**SUMMARY)
    )
    by_branch = {row.pop("branch"): row for row in grouped}
    rows = [_finish(by_branch[child.path], child) for child in children if child.path in by_branch]
    return [row for row in rows if row["takers"]]
