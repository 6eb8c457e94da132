"""Shared parts of the fidelity benchmarks (`fidelity_province`, `fidelity_national`).

The full rollup refresh timed by phase, random organisations drawn per level, and the three
latency loops: the API (`GET /api/v1/plans/{id}/fidelity?org=`, bearer token), the dashboard page
(`analytics:dashboard`, session) through Django's test client, and the alternative without
rollups: the same answer computed live from the raw tables (`rollup.compute` for the subtree).
Call these only after `django.setup()`.
"""

import cProfile
import io
import os
import pstats
import random
import time
import warnings
from collections import defaultdict

from bench._common import log, percentile

#: `refresh(plan)` reports progress(step, 5) after each of these phases.
REFRESH_PHASES = ("nodes", "conference_facts", "member_counts", "rows_and_write", "commit")
WARMUP = 3
TEMP_FILE_LIMIT = "4GB"

# Whitenoise notes once per client that `collectstatic` has not run; pages are served all the same.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)


def load_code() -> str:
    """After `django.setup()`: import the URL configuration (every view and API module) now, so the run
    fails at once on broken code and measures one version of it; returns a short hash of the
    analytics app's Python files and of the selectors it reads the other apps through (the rollup's
    queries), printed with the figures."""
    import hashlib
    from pathlib import Path

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports quantriet.urls and everything it includes
    import quantriet.analytics.rollup  # noqa: F401

    package = Path(__file__).resolve().parent.parent / "quantriet"
    selectors = [package / app / "selectors.py" for app in ("org", "study", "essays", "quizzes")]
    digest = hashlib.sha256()
    for path in [*sorted((package / "analytics").glob("*.py")), *selectors]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cap_postgres_temp_files(limit: str = TEMP_FILE_LIMIT) -> None:
    """Before `django.setup()`: every session of this process may write at most LIMIT of temporary files.

    A bad plan (for example `NOT IN (subquery)` too big to hash, rescanned per row) can otherwise
    fill the shared disk with sort and hash files before any timeout stops it; with the cap
    PostgreSQL cancels that query instead. The cap costs nothing to queries that stay under it.
    """
    from urllib.parse import quote

    url = os.environ.get("DATABASE_URL")
    if url and "options=" not in url:
        os.environ["DATABASE_URL"] = f"{url}{'&' if '?' in url else '?'}options={quote(f'-c temp_file_limit={limit}')}"


def analyze(*models) -> float:
    """PostgreSQL: ANALYZE (the tables of MODELS, or all); the statistics autovacuum keeps on a running server.

    Measured right after a bulk write, the planner would otherwise see empty tables: not the state
    a page or a refresh meets in service. SQLite keeps no statistics unless told (Django never runs
    ANALYZE there), so it is left as it is. Returns the seconds it took.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if not models:
            cursor.execute("ANALYZE")
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return time.perf_counter() - started


def statement_timeout(seconds: float) -> None:
    """PostgreSQL: stop any single query of this session after SECONDS (no-op on SQLite)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")


def timed_refresh(plan, profile: bool = False, reached: list | None = None) -> dict:
    """Run the full `refresh(plan)`; seconds, rows written and seconds per phase (from its progress calls).

    With PROFILE, cProfile runs around it and the 30 costliest functions (cumulative) go to stderr;
    the profiler's overhead then inflates the figures. REACHED, if given, gets each phase's name as it ends.
    """
    from quantriet.analytics.rollup import refresh

    marks = [time.perf_counter()]

    def progress(step, total):
        marks.append(time.perf_counter())
        if reached is not None:
            reached.append(REFRESH_PHASES[step - 1])
        log(f"refresh: phase {step}/{total} ({REFRESH_PHASES[step - 1]}) done after {marks[-1] - marks[0]:.1f}s")

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    rows = refresh(plan, progress=progress)
    if profiler:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        log(out.getvalue())
    end = time.perf_counter()
    phases = {name: round(b - a, 2) for name, a, b in zip(REFRESH_PHASES, marks, marks[1:], strict=False)}
    return {"seconds": end - marks[0], "rows": rows, "phases": phases}


def refresh_or_error(
    plan, timeout_s: float, profile: bool = False, session: dict | None = None
) -> tuple[dict | None, str | None]:
    """`timed_refresh`, any single query stopped after TIMEOUT_S on PostgreSQL: (figures, None) or (None, why).

    SESSION: PostgreSQL settings for this refresh only (`{"work_mem": "512MB"}`); the connection is
    closed afterwards, so later queries run with the server's settings again.
    """
    from django.db import DatabaseError, connection

    statement_timeout(timeout_s)
    if session:
        with connection.cursor() as cursor:
            for name, value in session.items():
                cursor.execute("SELECT set_config(%s, %s, false)", [name, str(value)])
    started = time.perf_counter()
    reached = []
    try:
        return timed_refresh(plan, profile, reached), None
    except DatabaseError as error:  # statement_timeout or temp_file_limit
        phase = REFRESH_PHASES[len(reached)] if len(reached) < len(REFRESH_PHASES) else "?"
        why = f"failed in phase {phase} after {time.perf_counter() - started:.0f}s: {' '.join(str(error).split())}"
        log(f"refresh {why}")
        return None, why
    finally:
        connection.close()  # the next query opens a session without the timeout


def sample(buckets: dict[str, list[int]], n: int, seed: int) -> list[tuple[str, int]]:
    """N (bucket, org id) pairs: the buckets in turn (each level gets its share), a random org of each."""
    rng = random.Random(seed)
    names = [name for name, ids in buckets.items() if ids]
    return [(names[i % len(names)], rng.choice(buckets[names[i % len(names)]])) for i in range(n)]


def latencies(call, items: list[tuple[str, int]], what: str, warmup: int = WARMUP) -> list[tuple[str, float]]:
    """Call CALL(org_id) for each item, timed in ms; the first WARMUP items run once before, untimed."""
    for _, org_id in items[:warmup]:
        call(org_id)
    timed = []
    every = max(1, len(items) // 10)
    for i, (bucket, org_id) in enumerate(items, start=1):
        start = time.perf_counter()
        call(org_id)
        timed.append((bucket, (time.perf_counter() - start) * 1000))
        if i % every == 0 or i == len(items):
            log(f"{what}: {i}/{len(items)}, p95 so far {percentile([ms for _, ms in timed], 95):.1f} ms")
    return timed


def figures(prefix: str, timed: list[tuple[str, float]]) -> dict:
    """`{prefix}_p50_ms`, `{prefix}_p95_ms`, `{prefix}_max_ms`, `{prefix}_requests` and the p95 per bucket."""
    values = [ms for _, ms in timed]
    by_bucket = defaultdict(list)
    for bucket, ms in timed:
        by_bucket[bucket].append(ms)
    return {
        f"{prefix}_p50_ms": round(percentile(values, 50), 1),
        f"{prefix}_p95_ms": round(percentile(values, 95), 1),
        f"{prefix}_max_ms": round(max(values, default=0), 1),
        f"{prefix}_requests": len(values),
        f"{prefix}_p95_ms_by_level": {bucket: round(percentile(ms, 95), 1) for bucket, ms in by_bucket.items()},
    }


def api_call(plan, user):
    """A function org_id → the API's answer for ORG (asserted 200), with a bearer token of USER."""
    from django.test import Client

    from quantriet.core.models import ApiToken

    client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}")
    url = f"/api/v1/plans/{plan.pk}/fidelity"

    def call(org_id):
        response = client.get(url, {"org": org_id})
        if response.status_code != 200:
            raise RuntimeError(f"API {url}?org={org_id}: {response.status_code} {response.content[:300]!r}")
        body = response.json()
        if body["org"]["org_id"] != org_id:
            raise RuntimeError(f"API {url}?org={org_id} answered for {body['org']['org_id']}")
        return body

    return call


def dashboard_call(plan, user):
    """A function org_id → the dashboard page of ORG (asserted 200 and rendered with figures), USER logged in."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    url = reverse("analytics:dashboard", args=[plan.pk])

    def call(org_id):
        response = client.get(url, {"org": org_id})
        if response.status_code != 200 or b'id="org-index"' not in response.content:
            raise RuntimeError(f"dashboard {url}?org={org_id}: {response.status_code} (or no figures on the page)")
        return response

    return call


def live_call(plan):
    """A function org_id → the same figures computed from the raw tables for ORG's subtree, no rollup read.

    What each API request would cost without the rollup rows: `rollup.compute` (unsaved rows),
    with the plan's settings read as `refresh` reads them.
    """
    from django.utils import timezone

    from quantriet.analytics.models import plan_settings
    from quantriet.analytics.rollup import compute
    from quantriet.org.models import Organization

    def call(org_id):
        org = Organization.objects.get(pk=org_id)
        today = timezone.localdate()
        rows = compute(plan, org, plan_settings(plan, today), today)
        own = next(row for row in rows if row.org_id == org_id)
        children = [row for row in rows if row.parent_org_id == org_id]
        return own, children

    return call


def live_figures(plan, items: list[tuple[str, int]], timeout_s: float, check_org: int) -> dict:
    """`live_api_*` figures for ITEMS (after checking the live answer for CHECK_ORG against its stored row);
    on PostgreSQL a query is stopped after TIMEOUT_S, and a failure gives `live_api_error` instead."""
    from django.db import DatabaseError, connection

    statement_timeout(timeout_s)
    try:
        check_live_matches(plan, check_org)
        return figures("live_api", latencies(live_call(plan), items, "live compute (no rollups)", warmup=1))
    except DatabaseError as error:
        return {"live_api_p95_ms": None, "live_api_error": " ".join(str(error).split())}
    finally:
        connection.close()


def check_live_matches(plan, org_id: int) -> None:
    """The live answer for ORG must match its stored rollup row (else the alternative measures something else)."""
    from quantriet.analytics.models import FidelityScore

    own, children = live_call(plan)(org_id)
    stored = FidelityScore.objects.get(plan=plan, org_id=org_id)
    stored_children = FidelityScore.objects.filter(plan=plan, parent_org_id=org_id).count()
    if (own.index, own.members, own.attended) != (stored.index, stored.members, stored.attended) or len(
        children
    ) != stored_children:
        raise RuntimeError(
            f"live compute differs from the rollup for org {org_id}: "
            f"{(own.index, own.members, own.attended, len(children))} vs "
            f"{(stored.index, stored.members, stored.attended, stored_children)}"
        )


def admin_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")
