"""Check-in burst: every member of a big conference checks in twice at once, through the real HTTP server.

    python -m bench.checkin_burst [--members 5000] [--workers 4] [--concurrency 200] [--scale 0.05]

PostgreSQL (DATABASE_URL, default the local server) in a fresh database `bench_checkin_burst`;
gunicorn (`--workers` sync workers, production settings) serves the API. One conference in
progress has a roster of exactly `--members` members, each with a user and a bearer token. The
board's code is fetched once over the API (`checkin_interval` is 600 s, so it does not turn).
Then all 2N `POST /api/v1/conferences/{id}/checkin` requests are fired from `--concurrency`
client connections (asyncio, raw HTTP/1.1): members in random order, each member's two requests
back to back, so they are in flight at the same time and usually reach two different workers.

Figures: `stored` Attendance rows, `duplicates` (members with more than one row; the unique
constraint keeps it 0), `lost` (members with no 200 response or no row: must be 0), `ok` and
`again` (200 with outcome ok / lap_lai), `errors` (non-2xx or failed requests), latency
`p50_ms`/`p99_ms` per request (connect to last byte, queueing in the server included), `rps`
over the burst, `overlapping_pairs` (members whose two requests were in flight together),
`again_mismatch` (members whose two answers disagree on the check-in time: must be 0).

Measured in the same run, same client, server and concurrency, as many requests again:
`bare_rps` (GET /healthz, no table touched: the framework's own cost), `read_rps` (an empty
authenticated read, GET /api/v1/me/essays, with the members' tokens) and `rps_ratio` = `rps` /
`bare_rps` (target ≥ 0.5).

The alternative, on the same database in the same run: `naive_duplicates`, the same 2N
check-ins as "SELECT, then INSERT if absent" against a copy of the table without the unique
constraint, from `--workers` threads (the server's number of database sessions).

gunicorn's sync workers answer with `Connection: close` (as behind nginx, which opens one
upstream connection per request); the client reconnects for the next request.
"""

import argparse
import asyncio
import datetime
import json
import os
import queue
import random
import secrets
import signal
import sys
import threading
import time
from collections import defaultdict, deque
from contextlib import redirect_stdout

from bench._common import database_label, emit, fresh_database, gunicorn, log, percentile, setup_django, timer

SEED = 2810
CHECKIN_INTERVAL = 600
REQUEST_TIMEOUT = 120


# ---------------------------------------------------------------- data


def build(members: int):
    """A published plan, a new cell of MEMBERS members with users and tokens, its conference in progress.

    Returns (conference, {member id: raw token}, raw token of the admin who fetches the code).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from quantriet.core.models import ApiToken, _hash_token
    from quantriet.core.text import fold
    from quantriet.documents.models import Audience, DocType, Document
    from quantriet.org.demo import ROOT_CODE
    from quantriet.org.models import Gender, Member, MemberStatus, Organization, OrgKind
    from quantriet.study import services
    from quantriet.study.models import Conference, EssayAudience, Level, LevelDeadline, StudyPlan

    User = get_user_model()
    admin = User.objects.get(username="admin")
    root = Organization.objects.get(code=ROOT_CODE)
    commune = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    now = timezone.now()
    today = timezone.localdate()

    with transaction.atomic():
        document = Document.objects.create(
            number="901",
            type_code="KL",
            issuer_code="TW",
            doc_type=DocType.CONCLUSION,
            title="Kết luận dùng cho benchmark điểm danh",
            issuer_name="Bộ Chính trị",
            issued_on=datetime.date(2025, 1, 2),
        )
        plan = StudyPlan.objects.create(
            issuer=root,
            symbol="901-KH/TU",
            title="Kế hoạch học tập (benchmark điểm danh)",
            audiences=[Audience.MEMBERS],
            essay_audience=EssayAudience.NONE,
        )
        plan.documents.add(document)
        LevelDeadline.objects.create(plan=plan, level=Level.CELL, deadline=today + datetime.timedelta(days=30))
    services.plan_publish(admin, plan)

    with timer() as elapsed, transaction.atomic():
        cell = Organization(code=f"{ROOT_CODE}-X001-DIEMDANH", name="Chi bộ Điểm danh (benchmark)", kind=OrgKind.CHI_BO)
        cell = Organization.objects.add_child(commune, instance=cell)
        taken = set(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
        cards = (f"{n:08d}" for n in range(60_000_000, 100_000_000) if f"{n:08d}" not in taken)
        users = User.objects.bulk_create(
            [User(username=f"bench.dd{i:06d}", password=make_password(None)) for i in range(members)],
            batch_size=2000,
        )
        rows = []
        for i, user in enumerate(users):
            name = f"Nguyễn Văn Điểm {i}"
            rows.append(
                Member(
                    full_name=name,
                    full_name_folded=fold(name),
                    card_number=next(cards),
                    date_of_birth=datetime.date(1970, 1, 1) + datetime.timedelta(days=i % 9000),
                    gender=Gender.MALE if i % 3 else Gender.FEMALE,
                    joined_on=datetime.date(2000, 5, 19),
                    official_on=datetime.date(2001, 5, 19),
                    status=MemberStatus.FULL,
                    cell=cell,
                    user=user,
                )
            )
        created = Member.objects.bulk_create(rows, batch_size=2000)
        # The same hashing as ApiToken.issue: only the sha256 of the raw token is stored.
        raw = [secrets.token_urlsafe(32) for _ in users]
        expires = now + datetime.timedelta(days=1)
        ApiToken.objects.bulk_create(
            [ApiToken(user=u, key_hash=_hash_token(r), expires_at=expires) for u, r in zip(users, raw, strict=True)],
            batch_size=2000,
        )
    log(f"{members} members, users and tokens in a new cell in {elapsed():.1f}s")

    conference = Conference(
        plan=plan,
        host=cell,
        title="Hội nghị học tập (benchmark điểm danh)",
        starts_at=now - datetime.timedelta(minutes=5),
        duration_minutes=240,
        location="Hội trường lớn",
        checkin_interval=CHECKIN_INTERVAL,
    )
    services.conference_save(admin, conference, covered=[cell], presenters=[], board=[])
    assert services.conference_roster(conference).count() == members
    tokens = {m.pk: r for m, r in zip(created, raw, strict=True)}
    return conference, tokens, ApiToken.issue(admin)


# ---------------------------------------------------------------- a small HTTP/1.1 client


class Connection:
    """One client connection; kept alive unless the server says `Connection: close`."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def request(self, raw: bytes):
        reused = self.writer is not None
        if not reused:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(raw)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            self.close()
            if reused:  # the server closed an idle connection: one retry on a new one
                return await self.request(raw)
            raise ConnectionError("no response")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def http_request(method, port, path, token=None, body=b""):
    authorization = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{authorization}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + body


async def fire(port, jobs, concurrency):
    """Send JOBS [(key, raw request)] over CONCURRENCY connections; [(key, status, body, start, end)]."""
    pending = deque(jobs)
    results = []

    async def client():
        connection = Connection(port)
        try:
            while pending:
                key, raw = pending.popleft()
                started = time.perf_counter()
                try:
                    status, body = await asyncio.wait_for(connection.request(raw), REQUEST_TIMEOUT)
                except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
                    connection.close()
                    status, body = None, repr(error).encode()
                results.append((key, status, body, started, time.perf_counter()))
        finally:
            connection.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return results


# ---------------------------------------------------------------- the run


def burst(port, conference, tokens, admin_token, concurrency, workers):
    from quantriet.study import checkin as codes

    fetch = http_request("GET", port, f"/api/v1/conferences/{conference.pk}/checkin-code", admin_token)
    [(_, status, body, _, _)] = asyncio.run(fire(port, [("code", fetch)], 1))
    assert status == 200, (status, body)
    code = json.loads(body)["code"]
    assert codes.parse_code(code)[0] == conference.pk
    log(f"board code {code} (turns every {CHECKIN_INTERVAL}s)")

    # Warm-up: every worker loads the app and opens its database connection (not measured).
    warm = [(i, http_request("GET", port, "/api/v1/plans", admin_token)) for i in range(workers * 4)]
    assert all(r[1] == 200 for r in asyncio.run(fire(port, warm, workers * 2)))

    members = list(tokens)
    random.Random(SEED).shuffle(members)
    path = f"/api/v1/conferences/{conference.pk}/checkin"
    payload = json.dumps({"code": code}).encode()
    jobs = [(m, http_request("POST", port, path, tokens[m], payload)) for m in members for _ in range(2)]
    log(f"firing {len(jobs)} check-ins over {concurrency} connections to {workers} workers…")
    with timer() as elapsed:
        results = asyncio.run(fire(port, jobs, concurrency))
    log(f"burst done in {elapsed():.1f}s")
    return results, elapsed()


def baselines(port, tokens, concurrency, requests):
    """Requests per second of the same client, server and concurrency on cheaper requests.

    `bare_rps`: /healthz, which touches no table: what the framework, gunicorn and the client cost.
    `read_rps`: GET /api/v1/me/essays with the members' tokens: what every authenticated API
    request pays (token, user, member, the answer) before the check-in's own work.
    """
    members = list(tokens)
    cases = {
        "bare_rps": [(i, http_request("GET", port, "/healthz")) for i in range(requests)],
        "read_rps": [
            (i, http_request("GET", port, "/api/v1/me/essays", tokens[members[i % len(members)]]))
            for i in range(requests)
        ],
    }
    figures = {}
    for name, jobs in cases.items():
        with timer() as elapsed:
            results = asyncio.run(fire(port, jobs, concurrency))
        failed = sum(1 for r in results if r[1] != 200)
        assert not failed, f"{name}: {failed} of {requests} requests failed"
        figures[name] = round(requests / elapsed(), 1)
        log(f"{name}: {figures[name]}/s")
    return figures


def tally(conference, tokens, results, seconds):
    from django.db.models import Count

    from quantriet.study.models import Attendance

    answers = defaultdict(list)
    ok = again = errors = 0
    for member, status, body, started, ended in results:
        if status == 200:
            data = json.loads(body)
            ok += data["outcome"] == "ok"
            again += data["outcome"] == "lap_lai"
            answers[member].append((data["checked_in_at"], started, ended))
        else:
            errors += 1
            if errors <= 5:
                log(f"member {member}: {status} {body[:200]!r}")
    spans = defaultdict(list)
    for member, _, _, started, ended in results:
        spans[member].append((started, ended))
    overlapping = sum(1 for (a, b) in spans.values() if max(a[0], b[0]) < min(a[1], b[1]))
    mismatch = sum(1 for got in answers.values() if len({t for t, _, _ in got}) > 1)

    rows = Attendance.objects.filter(conference=conference)
    stored = rows.count()
    duplicates = rows.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count()
    with_row = set(rows.values_list("member_id", flat=True))
    lost = sum(1 for m in tokens if m not in answers or m not in with_row)
    latencies = [(ended - started) * 1000 for _, _, _, started, ended in results]
    return {
        "stored": stored,
        "duplicates": duplicates,
        "lost": lost,
        "ok": ok,
        "again": again,
        "errors": errors,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "rps": round(len(results) / seconds, 1),
        "seconds": round(seconds, 2),
        "overlapping_pairs": overlapping,
        "again_mismatch": mismatch,
    }


def naive_check_then_insert(conference_id, member_ids, threads):
    """The same 2N check-ins as SELECT-then-INSERT without a unique constraint; members stored twice."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE bench_naive_attendance (id bigserial PRIMARY KEY, conference_id bigint NOT NULL,"
            " member_id bigint NOT NULL, checked_in_at timestamptz NOT NULL)"
        )
        conn.execute("CREATE INDEX ON bench_naive_attendance (conference_id, member_id)")
    order = list(member_ids)
    random.Random(SEED).shuffle(order)
    jobs = queue.SimpleQueue()
    for member in order:
        jobs.put(member)
        jobs.put(member)
    start = threading.Barrier(threads)

    def worker():
        with psycopg.connect(url, autocommit=True) as conn:
            start.wait()
            while True:
                try:
                    member = jobs.get_nowait()
                except queue.Empty:
                    return
                seen = conn.execute(
                    "SELECT 1 FROM bench_naive_attendance WHERE conference_id = %s AND member_id = %s",
                    (conference_id, member),
                ).fetchone()
                if seen is None:
                    conn.execute(
                        "INSERT INTO bench_naive_attendance (conference_id, member_id, checked_in_at)"
                        " VALUES (%s, %s, now())",
                        (conference_id, member),
                    )

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    with timer() as elapsed:
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    with psycopg.connect(url) as conn:
        duplicates = conn.execute(
            "SELECT count(*) FROM (SELECT member_id FROM bench_naive_attendance"
            " GROUP BY member_id HAVING count(*) > 1) twice"
        ).fetchone()[0]
    log(f"naive check-then-insert with {threads} threads: {duplicates} members stored twice ({elapsed():.1f}s)")
    return duplicates, elapsed()


def run(args) -> dict:
    secret = secrets.token_urlsafe(50)
    os.environ["SECRET_KEY"] = secret  # the server and this process sign codes alike
    setup_django(args.scale)
    conference, tokens, admin_token = build(args.members)
    env = os.environ | {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "ERROR",
    }
    from django.db import connections

    connections.close_all()  # the server's workers get the database to themselves
    with gunicorn(args.workers, env) as port:
        results, seconds = burst(port, conference, tokens, admin_token, args.concurrency, args.workers)
        rates = baselines(port, tokens, args.concurrency, len(results))
    figures = tally(conference, tokens, results, seconds)
    figures |= rates | {"rps_ratio": round(figures["rps"] / rates["bare_rps"], 3)}
    naive_duplicates, naive_seconds = naive_check_then_insert(conference.pk, tokens, args.workers)
    return {
        "bench": "checkin_burst",
        "database": database_label(),
        "members": args.members,
        "requests": len(results),
        **figures,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "naive_duplicates": naive_duplicates,
        "naive_threads": args.workers,
        "naive_seconds": round(naive_seconds, 2),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000, help="roster size (default 5000)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--concurrency", type=int, default=200, help="client connections (default 200)")
    parser.add_argument("--scale", type=float, default=0.05, help="demo province around it (default 0.05)")
    args = parser.parse_args(argv)
    if min(args.members, args.workers, args.concurrency) < 1:
        parser.error("--members, --workers and --concurrency must be at least 1")
    # Stopped with SIGTERM, still stop the server and drop the database (the `finally` blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with fresh_database("postgres", "bench_checkin_burst"), redirect_stdout(sys.stderr):
        figures = run(args)
    emit(figures)
    failed = figures["duplicates"] or figures["lost"] or figures["again_mismatch"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
