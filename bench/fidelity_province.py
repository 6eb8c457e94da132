"""Fidelity rollups at province scale: full refresh time, API and dashboard latency, fully held plan.

    python -m bench.fidelity_province [--scale 1] [--database sqlite|postgres]
        [--api-requests 200] [--dashboard-requests 100] [--live-requests 8] [--refresh-timeout 1800] [--profile]

A fresh database (SQLite file, or PostgreSQL database `bench_fidelity_province` on the server
of DATABASE_URL, default the local one) gets the demo province (`seed_demo --scale 1`: about
150,000 members and 5,000 cells, no essays). Then the demo plan is made fully held: every
obligation not yet fulfilled gets a held conference (host the organisation, its secretary in the
chair and presenting, a local-situation section, a duration), its covered unit and presenter,
attendance for the members of its cell (for a committee: the cadres of its subtree; mostly
present, some late, excused or absent), and the obligation is fulfilled (conference, held_on) —
all in bulk (`bulk_create`, one `bulk_update`), no per-row service.

Figures: `members`, `orgs`, `refresh_s` (the full `refresh(plan)`, with `refresh_phases_s` from
its progress calls), `api_p95_ms` over `--api-requests` requests of
`GET /api/v1/plans/{id}/fidelity?org=` for random organisations of every level (province,
committees directly under it, grassroots committees, cells, in turn) with the demo `admin`'s
bearer token, `dashboard_p95_ms` over `--dashboard-requests` dashboard pages for the same mix,
logged in as `admin` — both through Django's test client, in this process — and the alternative
without rollups, `live_api_p95_ms`: the same answer computed from the raw tables
(`rollup.compute` for the organisation's subtree) for `--live-requests` organisations of the
same mix (the province itself among them: a live answer for it costs about a full refresh).
p50, max and the p95 per level are printed too, `seed_s` (migrate and `seed_demo`, whose own
refresh is in it), and `analytics_sha`, a hash of the analytics app's code measured (imported at
the start). Targets (issue): API and dashboard p95 at most 200 ms on both databases.

On PostgreSQL the tables are ANALYZEd after the bulk writes and the rollup table after the
refresh: the statistics autovacuum keeps on a running server (it would get there within minutes;
measured before, the planner sees empty tables). SQLite is left without statistics, as Django
leaves it. On PostgreSQL every session may write at most 4 GB of temporary files (`temp_file_limit`) and a
refresh or live query is stopped after `--refresh-timeout` seconds: a runaway query fails fast
(`refresh_error`, `live_api_error`) instead of filling the shared disk.
"""

import argparse
import datetime
import random
import sys
from contextlib import redirect_stdout

from bench import _fidelity as fid
from bench._common import database_label, emit, fresh_database, log, setup_django, timer

SEED = 28
LATE_SHARE = 0.12


def buckets(plan) -> dict[str, list[int]]:
    """Org ids with a rollup row, by level of the cascade (the province itself on its own)."""
    from quantriet.analytics.models import FidelityScore
    from quantriet.study.models import Level

    found = {"province": [], "upper": [], "grassroots": [], "cell": []}
    names = {Level.UPPER: "upper", Level.GRASSROOTS: "grassroots", Level.CELL: "cell"}
    for org_id, level, depth in FidelityScore.objects.filter(plan=plan).values_list("org_id", "level", "depth"):
        if depth == plan.issuer.depth:
            found["province"].append(org_id)
        elif level in names:
            found[names[level]].append(org_id)
    return found


def hold_the_rest(plan) -> dict:
    """Every obligation of PLAN not yet fulfilled gets a held conference, attendance and its fulfilment, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from quantriet.org.models import CELL_KINDS, Member, Position, Title
    from quantriet.study.demo import LOCAL_FACTS
    from quantriet.study.models import (
        Attendance,
        AttendanceSource,
        AttendanceStatus,
        Conference,
        ConferenceFormat,
        ConferenceStatus,
        Obligation,
    )

    rng = random.Random(SEED)
    today = timezone.localdate()
    open_ = list(Obligation.objects.filter(plan=plan, held_on__isnull=True).select_related("org").order_by("org__path"))
    secretaries = dict(Position.objects.current(today).filter(title=Title.SECRETARY).values_list("org_id", "member_id"))
    cadres = list(Position.objects.current(today).values_list("org__path", "member_id"))
    members_by_cell = {}
    for pk, cell_id in Member.objects.filter(cell__path__startswith=plan.issuer.path).values_list("pk", "cell_id"):
        members_by_cell.setdefault(cell_id, []).append(pk)

    def held_day(deadline):
        if rng.random() < LATE_SHARE:
            day = deadline + datetime.timedelta(days=rng.randint(1, 8))
        else:
            day = deadline - datetime.timedelta(days=rng.randint(0, 6))
        return min(day, today - datetime.timedelta(days=1))

    conferences, attendees = [], []
    for obligation in open_:
        org = obligation.org
        day = held_day(obligation.deadline)
        facts = rng.sample(LOCAL_FACTS, 3)
        local = " ".join(f.format(unit=org.name, rate=rng.randint(12, 98)) for f in facts)
        secretary = secretaries.get(org.pk)
        conferences.append(
            Conference(
                plan=plan,
                host=org,
                title=f"Hội nghị học tập, quán triệt Chỉ thị 28-CT/TU — {org.name}",
                starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([7, 8, 14])))),
                duration_minutes=rng.choice([90, 120, 150]) if org.kind in CELL_KINDS else rng.choice([180, 240]),
                format=ConferenceFormat.IN_PERSON,
                location=f"Hội trường {org.name}",
                chair_id=secretary,
                local_context=f"Liên hệ tình hình {org.name}: {local}",
                status=ConferenceStatus.HELD,
            )
        )
        if org.kind in CELL_KINDS:
            attendees.append(members_by_cell.get(org.pk, []))
        else:  # a committee's conference is for the cadres of its subtree, as in the demo
            attendees.append(sorted({m for path, m in cadres if path.startswith(org.path)}))

    statuses = []
    for members in attendees:
        row = []
        for _ in members:
            roll = rng.random()
            if roll < 0.86:
                row.append((AttendanceStatus.PRESENT, ""))
            elif roll < 0.91:
                row.append((AttendanceStatus.LATE, ""))
            elif roll < 0.97:
                row.append((AttendanceStatus.EXCUSED, "Đi công tác theo phân công"))
            else:
                row.append((AttendanceStatus.ABSENT, ""))
        statuses.append(row)

    with transaction.atomic():
        Conference.objects.bulk_create(conferences, batch_size=1000)
        covered = Conference.covered_orgs.through
        presenters = Conference.presenters.through
        covered.objects.bulk_create(
            [covered(conference_id=c.pk, organization_id=c.host_id) for c in conferences], batch_size=5000
        )
        presenters.objects.bulk_create(
            [presenters(conference_id=c.pk, member_id=c.chair_id) for c in conferences if c.chair_id],
            batch_size=5000,
        )
        rows = [
            Attendance(conference_id=c.pk, member_id=m, status=s, reason=r, source=AttendanceSource.BOARD)
            for c, members, row in zip(conferences, attendees, statuses, strict=True)
            for m, (s, r) in zip(members, row, strict=True)
        ]
        Attendance.objects.bulk_create(rows, batch_size=5000)
        for obligation, conference in zip(open_, conferences, strict=True):
            obligation.conference = conference
            obligation.held_on = timezone.localtime(conference.starts_at).date()
        Obligation.objects.bulk_update(open_, ["conference", "held_on"], batch_size=1000)
    left = Obligation.objects.filter(plan=plan, held_on__isnull=True).count()
    if left:
        raise RuntimeError(f"{left} obligations still not held")
    return {"conferences": len(conferences), "attendance": len(rows)}


def run(args) -> dict:
    import django

    fid.cap_postgres_temp_files()
    django.setup()
    code = fid.load_code()
    with timer() as seed_time:
        setup_django(args.scale)
    from django.utils import timezone

    from quantriet.analytics.models import FidelityScore
    from quantriet.org.models import Member, Organization
    from quantriet.study.demo import PLAN_SYMBOL
    from quantriet.study.models import Attendance, Conference, StudyPlan

    plan = StudyPlan.objects.select_related("issuer").get(symbol=PLAN_SYMBOL)
    with timer() as hold_time:
        added = hold_the_rest(plan)
    log(
        f"held the rest: {added['conferences']:,} conferences, {added['attendance']:,} attendance rows "
        f"in {hold_time():.1f}s"
    )
    log(f"ANALYZE (PostgreSQL) in {fid.analyze():.1f}s")
    members = Member.objects.filter(cell__path__startswith=plan.issuer.path).count()
    orgs = Organization.objects.filter(path__startswith=plan.issuer.path).count()

    refreshed, error = fid.refresh_or_error(plan, args.refresh_timeout, profile=args.profile)
    if error:
        return {
            "bench": "fidelity_province",
            "database": database_label(),
            "scale": args.scale,
            "members": members,
            "orgs": orgs,
            "refresh_s": None,
            "refresh_error": error,
            "api_p95_ms": None,
            "dashboard_p95_ms": None,
            "seed_s": round(seed_time(), 1),
            "analytics_sha": code,
        }
    log(f"full refresh: {refreshed['rows']:,} rows in {refreshed['seconds']:.1f}s {refreshed['phases']}")
    assert refreshed["rows"] == FidelityScore.objects.filter(plan=plan).count()
    assert FidelityScore.objects.filter(plan=plan, held_on__isnull=True).count() == 0
    fid.analyze(FidelityScore)

    levels = buckets(plan)
    admin = fid.admin_user()
    api_sample = fid.sample(levels, args.api_requests, SEED + 1)
    api = fid.latencies(fid.api_call(plan, admin), api_sample, "API")
    pages = fid.latencies(
        fid.dashboard_call(plan, admin), fid.sample(levels, args.dashboard_requests, SEED + 2), "dashboard"
    )
    live_sample = fid.sample(levels, args.live_requests, SEED + 3)
    live = fid.live_figures(plan, live_sample, args.refresh_timeout, check_org=api_sample[1][1])

    figures = {
        "bench": "fidelity_province",
        "database": database_label(),
        "scale": args.scale,
        "members": members,
        "orgs": orgs,
        "cells": len(levels["cell"]),
        "rollup_rows": refreshed["rows"],
        "conferences": Conference.objects.filter(plan=plan).count(),
        "attendance": Attendance.objects.filter(conference__plan=plan).count(),
        "refresh_s": round(refreshed["seconds"], 2),
        "refresh_phases_s": refreshed["phases"],
        **fid.figures("api", api),
        **fid.figures("dashboard", pages),
        **live,
    }
    if figures["live_api_p95_ms"] is not None:
        figures["live_over_api_p95"] = round(figures["live_api_p95_ms"] / max(figures["api_p95_ms"], 0.001), 1)
    figures["seed_s"] = round(seed_time(), 1)
    figures["hold_rest_s"] = round(hold_time(), 2)
    figures["held_added"] = added["conferences"]
    figures["attendance_added"] = added["attendance"]
    figures["today"] = timezone.localdate().isoformat()
    figures["analytics_sha"] = code
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo province scale (default 1: ~150,000 members)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--api-requests", type=int, default=200)
    parser.add_argument("--dashboard-requests", type=int, default=100)
    parser.add_argument("--live-requests", type=int, default=8, help="live computations (the alternative)")
    parser.add_argument(
        "--refresh-timeout", type=float, default=1800, help="PostgreSQL: seconds before one refresh query is stopped"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the refresh (top functions on stderr)")
    args = parser.parse_args(argv)
    with timer() as wall, fresh_database(args.database, "bench_fidelity_province"), redirect_stdout(sys.stderr):
        figures = run(args)
    figures["seconds"] = round(wall(), 1)
    emit(figures)


if __name__ == "__main__":
    main()
