"""Deployment drill on several hosts, on one machine (issue 16, item 3): `make drill`, as root.

    python -m deploy.drill [--members 3000] [--concurrency 200] [--app-workers 3]
                           [--import-rows 20000] [--essays 3000] [--scale 0.05] [--keep-logs DIR]

Five hosts, each a network namespace joined by a bridge (`deploy.lab`): `db` (10.77.0.10) runs a
throwaway PostgreSQL cluster (initdb in a temporary directory, trust for the subnet only);
`app1` and `app2` (.21, .22) each run gunicorn with production settings (DJANGO_DEBUG=0,
`--app-workers` sync workers) and one task worker (`manage.py db_worker`); `lb` (.30) runs HAProxy
from Debian's packages in front of the two app nodes (`HAPROXY_CONFIG`: health check GET /healthz,
a node out at its first refused connection, the requests it had in flight sent to the other node
when they are safe to run twice); `client` (.40) is where the drill itself runs: it migrates
and seeds the database (a small demo province, `--scale`), builds the check-in burst's data
(`bench.checkin_burst.build`: a conference of `--members` members with API tokens), then:

1. the check-in burst through the balancer: every member checks in twice at once over
   `--concurrency` connections, the phones sending again a request that failed (`deploy.client`:
   no answer or 5xx, up to 5 times with a doubling pause); when half the requests are answered,
   app1's gunicorn (master and workers) is killed with SIGKILL. Tallied from the database as the
   benchmark does: `lost` (members with no 200 or no attendance row), `duplicates` (members with
   two rows), `errors_after_retry` (requests still failed after their last try), `rps` and
   `p99_ms` (a request's time from its first sending to its last answer), `client_retries` (tries
   the phones made again), `balancer_retried` (requests HAProxy sent again, from its log).
2. a roster import of `--import-rows` new members (.xlsx) queued as a job; the worker that claims
   it is killed (SIGKILL, its whole session) as soon as PostgreSQL shows it inserting the members,
   inside the import's one transaction. `import_rows_half_written`: 1 if the members of that
   file ever counted other than none or all of them (watched from the kill to the end).
3. the bulk originality rescan of a plan with `--essays` essays, queued as a job; its worker is
   killed once its job reports at least a quarter of the work done.

After each kill the surviving worker must notice the silence (WORKER_DEAD_SECONDS, 4 s here) and
run the job again from the start (`quantriet.core.workers`); the killed worker is then started
again, as systemd's `Restart=always` would. `jobs_recovered` counts the killed jobs that ended done
(or failed with "Chạy lại" offered); `jobs_killed` how many were killed.

One JSON line on stdout; progress on stderr. Exit 0 when every target is met (0 lost, 0
duplicates, 0 errors after retry, 0 half-written, every killed job recovered), 1 when one is
missed, 2 when the machine cannot run the drill (not root, no `ip netns`, a program missing).
Everything is removed at the end, on failure, Ctrl+C and SIGTERM too (`deploy.lab.Lab`);
`--keep-logs DIR` first copies every process's log there.
"""

import argparse
import asyncio
import glob
import grp
import http.client
import json
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import sys
import time
from contextlib import redirect_stdout

from bench import checkin_burst
from bench._common import emit, log, setup_django, timer
from deploy import client
from deploy.lab import QUIT_SIGNALS, Lab, Process, Refusal, run, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOSTS = {"db": 10, "app1": 21, "app2": 22, "lb": 30, "client": 40}
APP_PORT, LB_PORT, DB_PORT = 8000, 80, 5432
HEALTH = "/healthz"
DB_NAME = "quantriet"
#: The drill's worker timings (production: 10 s and 60 s, settings.py): a dead worker is noticed in seconds.
HEARTBEAT_SECONDS, DEAD_SECONDS = 1, 4
#: The roster rows' record numbers end so (no demo member's does): the drill's members are counted by it.
RECORD_LETTERS = "QTD"
SEED = 163
#: Whether a session of the database is inserting members right now (the roster import's commit).
INSERTING_MEMBERS = (
    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'INSERT INTO \"org_member\"%%'"
)
#: How long a killed job may take to be taken back and finished by the other worker.
RECOVERY_TIMEOUT = 300

HAPROXY_CONFIG = """\
global
    maxconn 4096
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    option dontlog-normal            # log only errors, retries and redispatches
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 60s
    timeout check 5s                 # a node busy with a burst is slow, not down
    retries 3
    option redispatch 1              # every retry goes to another node
    # A request that reached a node which died before answering is sent again to another one:
    # only what may safely run twice (GET, HEAD, and the check-in, idempotent by its unique
    # constraint); a failed connection (nothing sent yet) is retried for every request.
    retry-on conn-failure empty-response response-timeout

frontend www
    bind {lb}:{lb_port}
    acl checkin path_reg ^/api/v1/conferences/[0-9]+/checkin$
    http-request disable-l7-retry if !METH_GET !METH_HEAD !checkin
    default_backend app

backend app
    balance roundrobin
    option httpchk GET {health}
    http-check expect status 200
    # A node refusing connections is taken out at the first refusal, not only at the next check:
    # the requests waiting for it go to the other node at once.
    default-server inter 1s fall 2 rise 2 maxconn {maxconn} observe layer4 error-limit 1 on-error mark-down
{servers}
"""


# ---------------------------------------------------------------- the machine


def postgres_binaries() -> str:
    """The newest PostgreSQL server's bin directory (Debian's /usr/lib/postgresql/<version>/bin), or PG_BIN."""
    found = [os.environ["PG_BIN"]] if os.environ.get("PG_BIN") else []
    found += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for directory in found:
        if all(os.access(os.path.join(directory, b), os.X_OK) for b in ("initdb", "postgres")):
            return directory
    raise Refusal(
        "Không thấy máy chủ PostgreSQL (initdb, postgres trong /usr/lib/postgresql/<phiên bản>/bin). "
        "Cài gói postgresql của Debian (apt-get install postgresql), hoặc đặt PG_BIN."
    )


def refuse_unless_ready() -> str:
    """The PostgreSQL bin directory, once the machine is known to run the drill; Refusal otherwise."""
    if os.geteuid() != 0:
        raise Refusal("Diễn tập cần quyền root (tạo network namespace, veth): chạy sudo make drill.")
    for program, package in (("ip", "iproute2"), ("haproxy", "haproxy"), ("setpriv", "util-linux")):
        if shutil.which(program) is None:
            raise Refusal(f"Thiếu chương trình {program}: apt-get install {package} (make drill tự cài haproxy).")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise Refusal("Thiếu người dùng hệ thống postgres (gói postgresql của Debian tạo ra).") from None
    return postgres_binaries()


# ---------------------------------------------------------------- the database host


def start_database(lab: Lab, binaries: str) -> str:
    """A throwaway cluster in the lab's directory, listening on the db host; its DATABASE_URL."""
    data = lab.path("pg")
    os.makedirs(data, mode=0o700)
    user = pwd.getpwnam("postgres")
    os.chown(data, user.pw_uid, user.pw_gid)
    # The server's user may pass through the lab's directory to its own, not list or read it.
    os.chown(lab.workdir, 0, user.pw_gid)
    os.chmod(lab.workdir, 0o710)  # noqa: S103
    as_postgres = ["setpriv", "--reuid=postgres", f"--regid={grp.getgrgid(user.pw_gid).gr_name}", "--init-groups"]
    run(*as_postgres, f"{binaries}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
        "--locale=C.UTF-8", "--no-sync")  # fmt: skip
    address = lab.address("db")
    with open(os.path.join(data, "postgresql.conf"), "a", encoding="utf-8") as conf:
        conf.write(
            f"listen_addresses = '{address}'\nport = {DB_PORT}\nunix_socket_directories = '{data}'\n"
            "max_connections = 100\nshared_buffers = '256MB'\n"
            # A backend notices a client gone in the middle of a long statement (a killed worker):
            # its transaction is rolled back at once rather than when the statement ends.
            "client_connection_check_interval = '1s'\n"
        )
    with open(os.path.join(data, "pg_hba.conf"), "a", encoding="utf-8") as hba:
        hba.write(f"host all all {address.rsplit('.', 1)[0]}.0/24 trust\n")
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    command = [*as_postgres, f"{binaries}/postgres", "-D", data]
    server = lab.start("db", "postgres", command, env=env, stop_signal=signal.SIGINT)  # fast shutdown
    import psycopg

    def ready():
        if not server.alive():
            raise RuntimeError(f"PostgreSQL stopped:\n{server.tail()}")
        try:
            with psycopg.connect(host=address, port=DB_PORT, user="postgres", dbname="postgres", autocommit=True) as c:
                c.execute(f"CREATE DATABASE {DB_NAME}")
            return True
        except psycopg.OperationalError:
            return False

    wait_for(ready, "PostgreSQL", timeout=60)
    log(f"db: PostgreSQL ({binaries.split('/')[-2]}) on {address}:{DB_PORT}, database {DB_NAME}")
    return f"postgres://postgres@{address}:{DB_PORT}/{DB_NAME}"


def production_env(lab: Lab, secret: str, database_url: str) -> dict:
    """Production settings (docs/deployment.md) for every process; plain HTTP inside the lab."""
    hosts = ",".join(lab.address(h) for h in ("lb", "app1", "app2"))
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "quantriet.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": f"{hosts},127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # TLS ends at the balancer in a real deployment; the drill's traffic is plain HTTP.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": lab.path("static"),
        "MEDIA_ROOT": lab.path("media"),
        "LOG_LEVEL": "WARNING",
        "WORKER_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "WORKER_DEAD_SECONDS": str(DEAD_SECONDS),
    }


# ---------------------------------------------------------------- the data


def prepare(args) -> dict:
    """Migrate, seed the demo province, the burst's conference, the essays to rescan, the roster file."""
    setup_django(args.scale)
    from bench.import_members import make_members, to_xlsx
    from quantriet.org.demo import ROOT_CODE
    from quantriet.org.models import Organization

    conference, tokens, admin_token = checkin_burst.build(args.members)
    essays = write_essays(conference, args.essays)
    root = Organization.objects.get(code=ROOT_CODE)
    cells = list(Organization.objects.cells().active().filter(path__startswith=root.path).order_by("path"))
    roster = to_xlsx(make_members(args.import_rows, cells, card_base=70_000_000, record_letters=RECORD_LETTERS))
    log(f"roster file: {args.import_rows} new members, {len(roster) / 1e6:.1f} MB .xlsx")
    return {"conference": conference, "tokens": tokens, "admin_token": admin_token, "essays": essays, "roster": roster}


def write_essays(conference, count: int) -> int:
    """COUNT essays of the conference's members for its plan, written in bulk (the rescan's input)."""
    from django.utils import timezone

    from bench.originality import Corpus
    from quantriet.essays.models import Essay, EssaySource
    from quantriet.study.services import conference_roster

    corpus = Corpus(words=300)
    writers = list(conference_roster(conference).order_by("pk").values_list("pk", "cell_id")[:count])
    now = timezone.now()
    rows = [
        Essay(plan=conference.plan, member_id=pk, cell_id=cell, text=corpus.text(i), source=EssaySource.TYPED,
              submitted_at=now)
        for i, (pk, cell) in enumerate(writers)
    ]  # fmt: skip
    Essay.objects.bulk_create(rows, batch_size=2000)
    log(f"{len(rows)} essays for the plan to rescan")
    return len(rows)


# ---------------------------------------------------------------- the app and balancer hosts


def http_status(host: str, port: int, path: str = HEALTH, token: str | None = None) -> tuple[int | None, bytes]:
    """One GET: (status, body), or (None, b"") when nothing answers."""
    connection = http.client.HTTPConnection(host, port, timeout=3)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return None, b""
    finally:
        connection.close()


def start_app(lab: Lab, host: str, env: dict, workers: int) -> Process:
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    command = [gunicorn, "quantriet.wsgi:application", "-w", str(workers), "-b", f"{lab.address(host)}:{APP_PORT}"]
    command += ["--timeout", "60", "--backlog", "2048", "--log-level", "warning"]
    server = lab.start(host, f"gunicorn-{host}", command, env, cwd=ROOT)
    wait_for(lambda: _answers(server, lab.address(host), APP_PORT), f"gunicorn {host}", timeout=60)
    log(f"{host}: gunicorn, {workers} workers, on {lab.address(host)}:{APP_PORT}")
    return server


def _answers(process: Process, host: str, port: int) -> bool:
    if not process.alive():
        raise RuntimeError(f"{process.name} stopped:\n{process.tail()}")
    return http_status(host, port)[0] == 200


def start_worker(lab: Lab, host: str, env: dict, number: int) -> tuple[str, Process]:
    """A task worker (`manage.py db_worker`) on HOST; its worker id and process."""
    worker_id = f"{lab.ns(host)}-{number}"
    command = [sys.executable, "manage.py", "db_worker", "--worker-id", worker_id, "--interval", "0.2"]
    command += ["--no-startup-delay", "--no-reload"]
    process = lab.start(host, f"worker-{worker_id}", command, env, cwd=ROOT)
    log(f"{host}: task worker {worker_id}")
    return worker_id, process


def start_balancer(lab: Lab, apps: list[str], maxconn: int) -> Process:
    servers = "\n".join(f"    server {h} {lab.address(h)}:{APP_PORT} check" for h in apps)
    config = HAPROXY_CONFIG.format(
        lb=lab.address("lb"), lb_port=LB_PORT, health=HEALTH, maxconn=maxconn, servers=servers
    )
    path = lab.path("haproxy.cfg")
    with open(path, "w", encoding="utf-8") as f:
        f.write(config)
    run("haproxy", "-c", "-q", "-f", path)
    balancer = lab.start("lb", "haproxy", ["haproxy", "-db", "-f", path], env={"PATH": os.environ.get("PATH", "")})
    wait_for(lambda: _answers(balancer, lab.address("lb"), LB_PORT), "HAProxy", timeout=30)
    log(f"lb: HAProxy on {lab.address('lb')}:{LB_PORT} in front of {', '.join(apps)}")
    return balancer


# ---------------------------------------------------------------- 1. the check-in burst


#: In HAProxy's log line (option httplog), after the termination state ("----", "SC--"):
#: "actconn/feconn/beconn/srv_conn/retries", the retries marked "+" when redispatched.
RETRIES = re.compile(r" [-A-Za-z]{4} \d+/\d+/\d+/\d+/\+?(\d+) ")


def balancer_retries(balancer: Process) -> int:
    """How many requests HAProxy sent again (to the other node) rather than answer with an error."""
    with open(balancer.log, encoding="utf-8", errors="replace") as f:
        return sum(1 for line in f if (found := RETRIES.search(line)) and int(found[1]) > 0)


def burst(lab: Lab, data: dict, concurrency: int, victim: Process) -> dict:
    """Every member checks in twice through the balancer; VICTIM is killed half-way."""
    from quantriet.study import checkin as codes

    lb, conference, tokens = lab.address("lb"), data["conference"], data["tokens"]
    status, body = http_status(lb, LB_PORT, f"/api/v1/conferences/{conference.pk}/checkin-code", data["admin_token"])
    assert status == 200, (status, body)
    code = json.loads(body)["code"]
    assert codes.parse_code(code)[0] == conference.pk
    warm = [(i, checkin_burst.http_request("GET", LB_PORT, "/api/v1/plans", data["admin_token"])) for i in range(40)]
    assert all(o.status == 200 for o in asyncio.run(client.fire(lb, LB_PORT, warm, 10)))

    members = list(tokens)
    random.Random(SEED).shuffle(members)
    path = f"/api/v1/conferences/{conference.pk}/checkin"
    payload = json.dumps({"code": code}).encode()
    jobs = [(m, checkin_burst.http_request("POST", LB_PORT, path, tokens[m], payload)) for m in members for _ in (1, 2)]
    killed_at = []

    def kill_half_way(answered: int):
        if answered >= len(jobs) // 2 and not killed_at:
            lab.kill(victim)
            killed_at.append(answered)
            log(f"app1: gunicorn killed (SIGKILL) after {answered} of {len(jobs)} answers")

    log(f"firing {len(jobs)} check-ins over {concurrency} connections through the balancer…")
    with timer() as elapsed:
        outcomes = asyncio.run(client.fire(lb, LB_PORT, jobs, concurrency, kill_half_way))
    results = [(o.key, o.status, o.body, o.started, o.ended) for o in outcomes]
    figures = checkin_burst.tally(conference, tokens, results, elapsed())
    retried = [o for o in outcomes if o.tries > 1]
    log(f"burst done in {elapsed():.1f}s; {len(retried)} requests sent more than once")
    return {
        "members": len(tokens),
        "requests": len(jobs),
        "lost": figures["lost"],
        "duplicates": figures["duplicates"],
        "errors_after_retry": figures["errors"],
        "again_mismatch": figures["again_mismatch"],
        "rps": figures["rps"],
        "p50_ms": figures["p50_ms"],
        "p99_ms": figures["p99_ms"],
        "client_retries": sum(o.tries - 1 for o in outcomes),
        "requests_retried": len(retried),
        "app_killed_after": killed_at[0] if killed_at else None,
    }


# ---------------------------------------------------------------- 2, 3. jobs whose worker is killed


class Workers:
    """The task workers of the app hosts: started, killed, started again."""

    def __init__(self, lab: Lab, env: dict):
        self.lab, self.env = lab, env
        self.processes: dict[str, Process] = {}
        self.started = {host: 0 for host in ("app1", "app2")}

    def start(self, host: str):
        self.started[host] += 1
        worker_id, process = start_worker(self.lab, host, self.env, self.started[host])
        self.processes[worker_id] = process

    def kill(self, worker_id: str):
        process = self.processes.pop(worker_id)
        self.lab.kill(process)
        process.popen.wait()
        log(f"{process.host}: task worker {worker_id} killed (SIGKILL)")
        return process.host


def claimed(job) -> str | None:
    """The id of the worker running JOB's task, once one does."""
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").values_list("worker_ids", flat=True).first()
    return task[-1] if task else None


def ended(job):
    """JOB as it ended (done, or failed), once it has."""
    from quantriet.core.models import Job

    job = Job.objects.defer("payload").get(pk=job.pk)
    return job if job.finished else None


def recovered(job) -> bool:
    """Finished, or failed with "Chạy lại" offered to its creator."""
    return job.status == "done" or (job.status == "failed" and job.resumable)


def import_drill(workers: Workers, data: dict, rows: int) -> dict:
    """A roster import whose worker is killed inside the import's transaction (see the module docstring)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from quantriet.org.models import Member
    from quantriet.org.tasks import roster_import_start

    admin = get_user_model().objects.get(username="admin")
    drill_rows = Member.objects.filter(record_number__endswith=RECORD_LETTERS)
    job = roster_import_start(admin, None, "dien-tap.xlsx", data["roster"])
    worker_id = wait_for(lambda: claimed(job), "the import's worker", timeout=60, every=0.02)

    def inserting_members():
        with connection.cursor() as cursor:
            cursor.execute(INSERTING_MEMBERS)
            return cursor.fetchone()[0] > 0 or ended(job)

    wait_for(inserting_members, "the import's commit", timeout=120, every=0.005)
    where = "commit" if not ended(job) else "too late"
    host = workers.kill(worker_id)
    with timer() as elapsed:
        counts = [drill_rows.count()]

        def watched_end():
            counts.append(drill_rows.count())
            return ended(job)

        job = wait_for(watched_end, "the import after its worker died", timeout=RECOVERY_TIMEOUT, every=0.25)
    counts.append(drill_rows.count())
    half = any(n not in (0, rows) for n in counts)
    log(f"import: killed in its {where}; rows of the file seen: {sorted(set(counts))}; "
        f"job {job.status} after {elapsed():.1f}s (restarts {job.restarts})")  # fmt: skip
    workers.start(host)
    return {
        "import_rows": rows,
        "import_killed_in": where,
        "import_rows_half_written": int(half),
        "import_rows_written": counts[-1],
        "import_recovery_s": round(elapsed(), 1),
        "killed": where == "commit",
        "recovered": recovered(job) and counts[-1] in (0, rows),
    }


def rescan_drill(workers: Workers, data: dict) -> dict:
    """The plan's bulk rescan, whose worker is killed once a quarter of the work is done."""
    from django.contrib.auth import get_user_model

    from quantriet.core.models import Job
    from quantriet.essays.models import EssayVerdict
    from quantriet.essays.originality import plan_rescan_start

    admin = get_user_model().objects.get(username="admin")
    plan = data["conference"].plan
    job, _ = plan_rescan_start(admin, plan)
    worker_id = wait_for(lambda: claimed(job), "the rescan's worker", timeout=60, every=0.02)

    def a_quarter_done():
        row = Job.objects.defer("payload").get(pk=job.pk)
        return row if row.finished or (row.total and row.done >= row.total // 4) else None

    progress = wait_for(a_quarter_done, "the rescan's progress", timeout=120, every=0.01)
    where = f"{progress.done}/{progress.total}" if not progress.finished else "too late"
    host = workers.kill(worker_id)
    with timer() as elapsed:
        job = wait_for(lambda: ended(job), "the rescan after its worker died", timeout=RECOVERY_TIMEOUT, every=0.25)
    verdicts = EssayVerdict.objects.filter(essay__plan=plan).count()
    log(f"rescan: killed at {where}; job {job.status} after {elapsed():.1f}s (restarts {job.restarts}); "
        f"{verdicts} verdicts for {data['essays']} essays")  # fmt: skip
    workers.start(host)
    return {
        "rescan_essays": data["essays"],
        "rescan_killed_at": where,
        "rescan_verdicts": verdicts,
        "rescan_recovery_s": round(elapsed(), 1),
        "killed": not progress.finished,
        "recovered": recovered(job) and verdicts in (0, data["essays"]),
    }


# ---------------------------------------------------------------- the run


def drill(lab: Lab, binaries: str, args) -> dict:
    lab.enter("client")
    env = production_env(lab, secrets.token_urlsafe(50), start_database(lab, binaries))
    os.environ.update(env)
    with timer() as elapsed:
        data = prepare(args)
    log(f"data ready in {elapsed():.1f}s")
    from django.db import connections

    connections.close_all()
    run(sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", env=env, cwd=ROOT)
    apps = {host: start_app(lab, host, env, args.app_workers) for host in ("app1", "app2")}
    workers = Workers(lab, env)
    for host in apps:
        workers.start(host)
    balancer = start_balancer(lab, list(apps), maxconn=2 * args.app_workers)

    figures = {"bench": "drill", "database": "postgresql", "hosts": len(HOSTS)}
    figures |= burst(lab, data, args.concurrency, apps["app1"])
    figures["balancer_retried"] = balancer_retries(balancer)
    jobs = [import_drill(workers, data, args.import_rows), rescan_drill(workers, data)]
    for job in jobs:
        figures |= {k: v for k, v in job.items() if k not in ("killed", "recovered")}
    figures["jobs_killed"] = sum(job["killed"] for job in jobs)
    figures["jobs_recovered"] = sum(job["killed"] and job["recovered"] for job in jobs)
    figures["jobs"] = len(jobs)
    connections.close_all()
    return figures


def targets_met(figures: dict) -> bool:
    return (
        figures["lost"] == figures["duplicates"] == figures["errors_after_retry"] == figures["again_mismatch"] == 0
        and figures["app_killed_after"] is not None
        and figures["import_rows_half_written"] == 0
        and figures["jobs_killed"] == figures["jobs_recovered"] == figures["jobs"]
    )


def stopped_by(number, _frame):
    log(f"Nhận tín hiệu {signal.Signals(number).name}: dừng diễn tập và dọn dẹp.")
    sys.exit(128 + number)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=3000, help="members checking in (default 3000)")
    parser.add_argument("--concurrency", type=int, default=200, help="client connections (default 200)")
    parser.add_argument("--app-workers", type=int, default=3, help="gunicorn workers per app node (default 3)")
    parser.add_argument("--import-rows", type=int, default=20000, help="rows of the roster file (default 20000)")
    parser.add_argument("--essays", type=int, default=3000, help="essays to rescan, at most --members (default 3000)")
    parser.add_argument("--scale", type=float, default=0.05, help="demo province (default 0.05)")
    parser.add_argument("--keep-logs", default="", metavar="DIR", help="copy the processes' logs to DIR at the end")
    args = parser.parse_args(argv)
    if min(args.members, args.concurrency, args.app_workers, args.import_rows, args.essays) < 1:
        parser.error("every number must be at least 1")
    try:
        binaries = refuse_unless_ready()
    except Refusal as refusal:
        log(f"Không chạy được diễn tập: {refusal}")
        sys.exit(2)
    # Stopped by SIGTERM or a closed terminal, still remove everything (the `finally` of Lab).
    for sig in set(QUIT_SIGNALS) - {signal.SIGINT}:  # Ctrl+C is Python's KeyboardInterrupt already
        signal.signal(sig, stopped_by)
    started = time.monotonic()
    try:
        with Lab(HOSTS, keep_logs=args.keep_logs) as lab, redirect_stdout(sys.stderr):
            figures = drill(lab, binaries, args)
    except Refusal as refusal:
        log(f"Không chạy được diễn tập: {refusal}")
        sys.exit(2)
    except KeyboardInterrupt:
        log("Đã dừng diễn tập (Ctrl+C); mọi namespace, tiến trình và thư mục tạm đã được dọn.")
        sys.exit(130)
    figures["seconds"] = round(time.monotonic() - started, 1)
    emit(figures)
    sys.exit(0 if targets_met(figures) else 1)


if __name__ == "__main__":
    main()
