"""Quiz results for the board: per member (best score, attempts, passed) and per child organisation.

Read from the attempts on the fly (indexed by quiz and member); a rollup table is left for when a
province-wide board needs it.
"""

from django.db.models import Avg, Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Attempt
from .services import quiz_takers


def _submitted(quiz):
    return Attempt.objects.filter(quiz=quiz, member=OuterRef("pk"), submitted_at__isnull=False)


def member_results(quiz, org):
    """Members required to take QUIZ under ORG, with best score, attempts made and whether they passed."""
    done = _submitted(quiz)
    tries = done.order_by().values("member").annotate(n=Count("pk")).values("n")
    best = done.order_by().values("member").annotate(best=Max("score")).values("best")
    return (
        quiz_takers(quiz.plan)
        .filter(cell__path__startswith=org.path)
        .annotate(
            best_score=Subquery(best),
            attempt_count=Coalesce(Subquery(tries, output_field=IntegerField()), 0),
            has_passed=Exists(done.filter(passed=True)),
        )
        .select_related("cell")
        .order_by("cell__path", "full_name_folded", "id")
    )


def org_summary(quiz, org):
    """Takers, members who took it, mean best score and pass rate, for ORG as a whole."""
    totals = member_results(quiz, org).aggregate(
        takers=Count("pk"),
        took=Count("pk", filter=Q(attempt_count__gt=0)),
        mean=Avg("best_score"),
        passed=Count("pk", filter=Q(has_passed=True)),
    )
    totals["pass_rate"] = round(100 * totals["passed"] / totals["takers"], 1) if totals["takers"] else None
    totals["org"] = org
    return totals


def child_summaries(quiz, org, visible):
    """One summary per child of ORG that has members required to take the quiz."""
    rows = [org_summary(quiz, child) for child in org.visible_children(visible)]
    return [row for row in rows if row["takers"]]
