"""Back-fill for existing data: mark the questions already drawn into attempts as used, and write the
QuizResult rollup from the closed attempts (the same sums as services.rebuild_results)."""

from django.db import migrations
from django.db.models import Count, Max, Q

BATCH = 1000


def mark_used(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    Question = apps.get_model("quizzes", "Question")
    drawn = set()
    for layout in Attempt.objects.values_list("layout", flat=True).iterator(chunk_size=BATCH):
        drawn.update(item["q"] for item in layout or [])
    ids = sorted(drawn)
    for start in range(0, len(ids), BATCH):
        Question.objects.filter(pk__in=ids[start : start + BATCH]).update(used=True)


def write_results(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    QuizResult = apps.get_model("quizzes", "QuizResult")
    QuizResult.objects.all().delete()
    rows = (
        Attempt.objects.filter(submitted_at__isnull=False)
        .order_by()
        .values("quiz_id", "member_id")
        .annotate(
            n=Count("pk"),
            best=Max("score"),
            passed_count=Count("pk", filter=Q(passed=True)),
            last=Max("submitted_at"),
        )
    )
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(
            QuizResult(
                quiz_id=row["quiz_id"],
                member_id=row["member_id"],
                attempts=row["n"],
                best_score=row["best"],
                passed=row["passed_count"] > 0,
                last_submitted_at=row["last"],
            )
        )
        if len(batch) == BATCH:
            QuizResult.objects.bulk_create(batch)
            batch = []
    QuizResult.objects.bulk_create(batch)


def forwards(apps, schema_editor):
    mark_used(apps, schema_editor)
    write_results(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0002_bank_edit_reveal_results")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
