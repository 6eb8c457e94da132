"""The study criterion proposed from evidence for every member of a province (issue 15, item 2).

    python -m bench.evaluation [--scale 1] [--database sqlite|postgres] [--naive-sample 300]

A fresh database (SQLite file, or PostgreSQL database `bench_evaluation` on the server of
DATABASE_URL, default the local one) gets the demo province (`seed_demo --scale 1`: about 150,000
members and 5,000 cells, no essays); the demo plan is then made fully held with attendance for
every member concerned (`fidelity_province.hold_the_rest`), and the rest of a year's records are
written in bulk: the plan's rubric and quiz, an essay for about 70 % of the members (most graded,
each with an originality verdict, about 8 % judged a copy of a sample), a quiz result for about
75 %, a yearly commitment for about 85 % (some reviewed mid-year, some flagged as copied), and a
personal action plan for about half of the heads.

Figures: `members`, `year` (the demo plan's), `evaluation_propose_s` (`evaluation.evidence.
propose_for` over every member of the province, records read and points proposed), `queries`
(how many it ran), `per_member_ms`, and the naive alternative measured in the same run:
`naive_per_member_ms` over `--naive-sample` random members, each read on its own (one set of
queries per member, the same selectors called with one id), extrapolated to every member as
`naive_propose_s`, with `naive_over_ours`. Also the rows written (`attendance_added`, `essays`,
`quiz_results`, `commitments`), the records a sample of members holds (`sample_records`),
`mean_points` out of 10, and `seed_s`. Target (issue): `evaluation_propose_s` at most 60 s.

Then the year is decided for every member and collective, in bulk, as the demo writes a finished
year (`write_decisions` through `evaluation.demo`: graded bands within the quota and the heads'
rule, the study shares the summary reads), the fidelity index is refreshed, and the summary page
(`evaluation:summary`, logged in as the province's administrator) is timed for the province and
for random communes: `summary_p50_ms`, `summary_p95_ms`,
`summary_p95_ms_by_level`, `summary_requests`; the alternative in the same run,
`naive_summary_ms`: the province's counts by unit and band, and the study criterion's mean, read by
opening every decided evaluation's points in Python rather than grouped in SQL over the stored
shares (the mean of `--naive-summary-runs` runs). Also `decided` (evaluations written),
`decide_write_s`, `fidelity_refresh_s`. Target (issue): `summary_p95_ms` at most 200 ms.
"""

import argparse
import cProfile
import pstats
import random
import sys
import time
from contextlib import redirect_stdout

from bench import _fidelity as fid
from bench._common import database_label, emit, fresh_database, log, setup_django, timer

SEED = 15


def write_year(plan) -> dict:
    """The year's essays, grades, verdicts, quiz results, commitments and personal plans, in bulk."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from quantriet.essays.models import (
        Criterion,
        Essay,
        EssaySource,
        EssayVerdict,
        Grade,
        Rubric,
        VerdictLabel,
    )
    from quantriet.org.models import LEAD_TITLES, Member, Position
    from quantriet.plans.models_commitments import Commitment, CommitmentState, PersonalPlan
    from quantriet.quizzes.models import Quiz, QuizResult

    rng = random.Random(SEED)
    year = plan_year(plan)
    now = timezone.now()
    members = list(Member.objects.filter(cell__path__startswith=plan.issuer.path).values_list("pk", "cell_id"))
    heads = set(Position.objects.current().filter(title__in=LEAD_TITLES).values_list("member_id", flat=True))
    with transaction.atomic():
        rubric = Rubric.objects.create(plan=plan)
        Criterion.objects.create(rubric=rubric, name="Nhận thức", max_points=Decimal(6))
        Criterion.objects.create(rubric=rubric, name="Liên hệ thực tiễn", max_points=Decimal(4))
        quiz = Quiz.objects.get_or_create(plan=plan)[0]
        writers = [(pk, cell) for pk, cell in members if rng.random() < 0.7]
        essays = [
            Essay(plan=plan, member_id=pk, cell_id=cell, text="Bài thu hoạch", source=EssaySource.TYPED,
                  submitted_at=now)
            for pk, cell in writers
        ]  # fmt: skip
        Essay.objects.bulk_create(essays, batch_size=5000)
        Grade.objects.bulk_create(
            [Grade(essay=e, total=Decimal(rng.randint(4, 10))) for e in essays if rng.random() < 0.85], batch_size=5000
        )
        verdicts = []
        for essay in essays:
            copied = rng.random() < 0.08
            verdicts.append(
                EssayVerdict(
                    essay=essay,
                    label=VerdictLabel.COPIES_SAMPLE if copied else VerdictLabel.ORIGINAL,
                    sample_score=0.9 if copied else 0.0,
                    sample_kind=rng.choice(["verbatim", "paraphrased", "paraphrased_unaccented"]) if copied else "",
                )
            )
        EssayVerdict.objects.bulk_create(verdicts, batch_size=5000)
        results = []
        for pk, _cell in members:
            if rng.random() < 0.75:
                best = Decimal(rng.randint(40, 100))
                results.append(QuizResult(quiz=quiz, member_id=pk, attempts=rng.randint(1, 2), best_score=best,
                                          passed=best >= 70, last_submitted_at=now))  # fmt: skip
        QuizResult.objects.bulk_create(results, batch_size=5000)
        commitments = []
        for pk, cell in members:
            if rng.random() < 0.85:
                flagged = rng.random() < 0.05
                commitments.append(
                    Commitment(
                        member_id=pk, year=year, cell_id=cell, state=CommitmentState.SUBMITTED, submitted_at=now,
                        first_submitted_at=now, mid_reviewed_at=now if rng.random() < 0.6 else None,
                        flagged=flagged, copied_share=0.8 if flagged else 0.0, copy_kind="verbatim" if flagged else "",
                        copied_from=[{"type": "sample", "id": 1, "share": 0.8}] if flagged else [],
                    )
                )  # fmt: skip
        Commitment.objects.bulk_create(commitments, batch_size=5000)
        cells = dict(members)
        personal = [
            PersonalPlan(member_id=pk, cell_id=cells[pk], year=year, title="Kế hoạch hành động cá nhân")
            for pk in sorted(heads)
            if pk in cells and rng.random() < 0.5
        ]
        PersonalPlan.objects.bulk_create(personal, batch_size=5000)
    return {"essays": len(essays), "quiz_results": len(results), "commitments": len(commitments)}


def write_decisions(year: int) -> int:
    """Every member's and collective's evaluation of YEAR decided, as the demo writes a finished year
    (`evaluation.demo`: bands drawn and graded by the criteria set, the quota and the heads' rule held
    per deciding organisation, one bulk insert); how many were written."""
    from django.utils import timezone

    from quantriet.evaluation.demo import EvaluationDemo

    written = EvaluationDemo(timezone.localdate()).last_year(year)
    return written["members"] + written["collectives"]


def vacuum_evaluations() -> float:
    """On PostgreSQL, VACUUM (ANALYZE) the evaluations just bulk-written, as autovacuum does soon after a
    bulk insert (PostgreSQL 13+): the summary reads its index alone only once the pages are marked
    all-visible. Seconds taken (0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with timer() as elapsed, connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) evaluation_evaluation")
    return elapsed()


def summary_call(user):
    """A function org_id → the summary page of ORG for the year (asserted 200 with its table), USER logged in."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)

    def call(org_id, year):
        response = client.get(reverse("evaluation:summary", args=[org_id]), {"nam": year})
        if response.status_code != 200 or b'id="summary-table"' not in response.content:
            raise RuntimeError(f"summary of {org_id}: {response.status_code} (or no table on the page)")
        return response

    return call


def naive_summary(root, year) -> dict:
    """The province's counts by unit below and band, and the study mean, from every decided evaluation's
    points read in Python (the alternative to grouping the stored shares in SQL)."""
    from collections import Counter
    from decimal import Decimal

    from quantriet.evaluation.models import DECIDED, Evaluation
    from quantriet.org.tree import path_length

    width, counts, study = path_length(root.depth + 1), Counter(), []
    decided = Evaluation.objects.filter(year=year, state=DECIDED, member__isnull=False, org__path__startswith=root.path)
    for path, band, points in decided.values_list("org__path", "band", "review_points").iterator(chunk_size=5000):
        counts[(path[:width], band)] += 1
        study.append(Decimal(points.get("hoc_tap", "0")) / 10)
    return {"units": len({unit for unit, _ in counts}), "study_mean": float(sum(study) / len(study)) if study else None}


def measure_summary(plan, year: int, requests: int, naive_runs: int) -> dict:
    from django.contrib.auth import get_user_model

    from quantriet.org.models import Organization, OrgKind

    root = plan.issuer
    call = summary_call(get_user_model().objects.get(username="admin"))
    communes = list(Organization.objects.filter(path__startswith=root.path, kind=OrgKind.DANG_UY_XA)
                    .values_list("pk", flat=True))  # fmt: skip
    items = [("province", root.pk) if i % 2 == 0 else ("commune", random.Random(SEED + i).choice(communes))
             for i in range(requests)]  # fmt: skip
    timed = fid.latencies(lambda org_id: call(org_id, year), items, "summary")
    naive = []
    for _ in range(naive_runs):
        with timer() as elapsed:
            naive_summary(root, year)
        naive.append(elapsed() * 1000)
    return {**fid.figures("summary", timed), "naive_summary_ms": round(sum(naive) / len(naive), 1)}


def plan_year(plan) -> int:
    from django.utils import timezone

    return timezone.localtime(plan.published_at).year


class QueryCounter:
    """Counts the queries run on the default connection (an execute wrapper: no query log kept)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def run(args) -> dict:
    import django

    fid.cap_postgres_temp_files()
    django.setup()
    with timer() as seed_time:
        setup_django(args.scale)
    from decimal import Decimal

    from django.db import connection

    from bench.fidelity_province import hold_the_rest
    from quantriet.essays import selectors as essays
    from quantriet.evaluation import evidence
    from quantriet.org import selectors as org
    from quantriet.org.models import Member
    from quantriet.plans import selectors as plans
    from quantriet.quizzes import selectors as quizzes
    from quantriet.study import selectors as study
    from quantriet.study.demo import PLAN_SYMBOL
    from quantriet.study.models import StudyPlan

    plan = StudyPlan.objects.select_related("issuer").get(symbol=PLAN_SYMBOL)
    with timer() as hold_time:
        held = hold_the_rest(plan)
        written = write_year(plan)
    log(f"held the rest ({held['attendance']:,} attendance rows) and wrote the year {written} in {hold_time():.1f}s")
    log(f"ANALYZE (PostgreSQL) in {fid.analyze():.1f}s")
    year = plan_year(plan)
    ids = list(Member.objects.filter(cell__path__startswith=plan.issuer.path).values_list("pk", flat=True))

    fid.load_code()  # the URL configuration, loaded as in a running server (the records link their pages)
    counter = QueryCounter()
    profiler = cProfile.Profile() if args.profile else None
    with connection.execute_wrapper(counter), timer() as ours:
        if profiler:
            profiler.enable()
        proposals = evidence.propose_for(ids, year, Decimal(10))
        if profiler:
            profiler.disable()
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    log(f"propose_for: {len(proposals):,} members in {ours():.1f}s, {counter.n} queries")

    def naive(pk):
        """One member on their own: every selector called with one id, then the same proposal."""
        cells = study.member_cells([pk])
        rows = {
            "cell": cells[pk],
            "conferences": study.member_attendance_in([pk], year, cells)[pk],
            "essays": essays.member_essays_in([pk], year, cells)[pk],
            "quizzes": quizzes.member_quizzes_in([pk], year, cells)[pk],
            "commitment": plans.member_commitments_in([pk], year).get(pk),
            "personal_plan_url": plans.member_personal_plans_in([pk], year).get(pk),
            "head": pk in org.heads_in([pk], year),
        }
        records = evidence.records_of(rows)
        return evidence.propose(records, Decimal(10))

    sample = random.Random(SEED).sample(ids, min(args.naive_sample, len(ids)))
    naive_counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(naive_counter):
        for pk in sample:
            assert naive(pk) == proposals[pk], pk  # the same answer, one member at a time
    naive_each = (time.perf_counter() - started) / len(sample)
    log(f"naive: {len(sample)} members in {naive_each * len(sample):.1f}s ({naive_counter.n} queries)")

    records = evidence.study_records(sample, year)  # what a member's records hold, on the sample
    with timer() as decide_time:
        decided = write_decisions(year)
    log(f"decided {decided:,} evaluations in {decide_time():.1f}s; VACUUM in {vacuum_evaluations():.1f}s")
    with timer() as refresh_time:
        fid.timed_refresh(plan)
    log(f"fidelity refreshed in {refresh_time():.1f}s; ANALYZE (PostgreSQL) in {fid.analyze():.1f}s")
    summary = measure_summary(plan, year, args.summary_requests, args.naive_summary_runs)
    return {
        "bench": "evaluation",
        "database": database_label(),
        "scale": args.scale,
        "members": len(ids),
        "year": year,
        "evaluation_propose_s": round(ours(), 2),
        "queries": counter.n,
        "chunk": evidence.CHUNK,
        "per_member_ms": round(1000 * ours() / len(ids), 4),
        "naive_sample": len(sample),
        "naive_queries_per_member": round(naive_counter.n / len(sample), 1),
        "naive_per_member_ms": round(1000 * naive_each, 2),
        "naive_propose_s": round(naive_each * len(ids), 1),
        "naive_over_ours": round(naive_each * len(ids) / ours(), 1),
        "mean_points": round(float(sum(p.points for p in proposals.values()) / len(proposals)), 2),
        "attendance_added": held["attendance"],
        "essays": written["essays"],
        "quiz_results": written["quiz_results"],
        "commitments": written["commitments"],
        "sample_records": {
            "conferences": sum(len(r.conferences) for r in records.values()),
            "essays": sum(len(r.essays) for r in records.values()),
            "quizzes": sum(len(r.quizzes) for r in records.values()),
            "heads": sum(r.head for r in records.values()),
        },
        "decided": decided,
        "decide_write_s": round(decide_time(), 1),
        "fidelity_refresh_s": round(refresh_time(), 1),
        **summary,
        "hold_and_write_s": round(hold_time(), 1),
        "seed_s": round(seed_time(), 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo province scale (default 1: ~150,000 members)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--naive-sample", type=int, default=300, help="members read one at a time (the alternative)")
    parser.add_argument("--summary-requests", type=int, default=60, help="summary pages timed (province, communes)")
    parser.add_argument("--naive-summary-runs", type=int, default=3, help="runs of the naive summary (the alternative)")
    parser.add_argument("--profile", action="store_true", help="cProfile propose_for (top functions on stderr)")
    args = parser.parse_args(argv)
    with timer() as wall, fresh_database(args.database, "bench_evaluation"), redirect_stdout(sys.stderr):
        figures = run(args)
    figures["seconds"] = round(wall(), 1)
    emit(figures)


if __name__ == "__main__":
    main()
