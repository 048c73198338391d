#!/usr/bin/env python
"""Load benchmark at the scale of DESIGN.md §1: each endpoint's cost in units of the floor.

Run from the repository root (results and how to read them: bench/README.md):

    .venv/bin/python bench/load.py                                    # full scale, 3 rounds (~15 min)
    .venv/bin/python bench/load.py --database badgeapp_load --keep    # keep the seeded database...
    .venv/bin/python bench/load.py --database badgeapp_load --reuse --only home,badge-list --rounds 1
    .venv/bin/python bench/load.py --employees 3000 --badges 50 --awards 30000 --rounds 1   # a quick look

What it does:

1. a fresh PostgreSQL database (or ``--reuse`` one seeded before), ``migrate``,
   ``seed_scale --employees 30000 --badges 500 --awards 300000``, ``collectstatic``;
2. in another process, the fixtures (the busiest holder, the most-held badge, one
   of its active awards...), a real proxy session for that holder, minted as the
   DjaoDjin proxy mints it (tests/support/sessions.py), and each endpoint's SQL statements
   per request, counted through Django's test Client (a second request, warm);
3. gunicorn with the project's ``gunicorn.conf.py``, in production mode
   (DJANGO_DEBUG=false, fresh secrets, https BADGEAPP_BASE_URL; DJANGO_HTTPS=false
   on loopback), one worker and one thread unless told, on a free port, with the
   bench-only settings ``bench.load_settings`` (the app's, plus a floor view);
4. wrk against each endpoint, interleaved with the floor (``/bench/floor``: "ok"
   through the same settings and middleware, no session) measured seconds
   before it, for ``--rounds`` rounds; cost = the endpoint's time per request
   divided by the floor's;
5. once each: awarding 5,000 people through the API (time to answer), and the
   organisation's CSV export (time to first and last byte, and how long the
   floor waits meanwhile);
6. a markdown table on stdout (and ``--json`` for the raw figures).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
FULL = {"employees": 30_000, "badges": 500, "awards": 300_000}
ORG = "globex"
# Recipients of the 5,000-person award: deleted again before each run.
BENCH_RECIPIENT_DOMAIN = "load.bench.example"
BATCH_SIZE = 5000

# name: label, in the order. "floor" is measured before each of them.
ENDPOINTS = {
    "floor-session": "floor with a valid proxy session (no work)",
    "award-page": "public award page",
    "assertion": "assertion JSON-LD",
    "baked-png": "baked PNG",
    "badgeclass": "BadgeClass",
    "issuer": "issuer",
    "me-awards": "`/api/me/awards/`",
    "badge-page": "badge page as manager (holders page 1)",
    "home": "home (the busiest holder)",
    "revocations": "revocation list",
    "org-awards": "`/api/orgs/<org>/awards/` page 1",
    "org-awards-deep": "`/api/orgs/<org>/awards/` deep page (by cursor where there is one)",
    "org-awards-numbered": "`/api/orgs/<org>/awards/?page=N`, the same depth by number",
    "badge-list": "manager's badge list (holder counts)",
    "me-progress": "`/api/me/progress/` (issue 8; where it exists)",
    "badge-progress": "a badge's progress page as manager (issue 8; where it exists)",
    "dashboard": "the organisation dashboard (issue 13; where it exists)",
}
ONE_SHOTS = {
    "award-5000": "award 5,000 people through the API",
    "export-csv": "organisation CSV export",
}


# --- Small helpers -------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def git_commit() -> str:
    out = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip()[:80]


def run(cmd: list[str], env: dict[str, str], label: str) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{label} failed ({done.returncode})\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def ms(microseconds: float) -> str:
    value = microseconds / 1000
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def size(n: int | None) -> str:
    if n is None:
        return "—"
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"


# --- The database ------------------------------------------------------------
def postgres_admin(url: str):
    import psycopg2  # the project's driver (requirements.txt)

    connection = psycopg2.connect(f"{url.rstrip('/')}/postgres")
    connection.autocommit = True
    return connection


@contextlib.contextmanager
def admin_for(url: str, name: str):
    import psycopg2

    connection = psycopg2.connect(f"{url.rstrip('/')}/{name}")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def database_exists(admin, name: str) -> bool:
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def drop_database(admin, name: str) -> None:
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(admin, name: str) -> None:
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'")


# --- The SMTP relay (--mail smtp) ------------------------------------------------
class SlowRelay:
    """A local SMTP server that accepts every message, after ``delay`` seconds each."""

    def __init__(self, delay: float):
        try:
            from aiosmtpd.controller import Controller
        except ImportError as err:
            raise SystemExit("--mail smtp needs aiosmtpd: pip install -r bench/requirements.txt") from err
        relay = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import asyncio

                await asyncio.sleep(delay)
                relay.received += 1
                return "250 OK"

        self.received = 0
        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


# --- gunicorn ------------------------------------------------------------------
class Server:
    """gunicorn with the project's gunicorn.conf.py, its log kept in a file."""

    def __init__(self, env: dict[str, str], workdir: Path, workers: int, threads: int, extra: list[str]):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        self.cmd = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", *extra]
        self.log_path = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            self.cmd, cwd=ROOT, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/bench/floor", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 60 s:\n{self.log_path.read_text()[-3000:]}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()

    def restarts(self) -> int:
        """Workers gunicorn recycled (max_requests) so far."""
        return self.log_path.read_text(errors="replace").count("Autorestarting worker")


# --- wrk -------------------------------------------------------------------------
def wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
    cmd += ["-s", str(BENCH / "wrk_report.lua")]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    done = subprocess.run([*cmd, url], capture_output=True, text=True, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"wrk failed on {url}:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("WRK-JSON "))
    # The server's time per request (its throughput's inverse): what the cost compares.
    result["per_request_us"] = result["duration_us"] / max(result["requests"], 1)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def fetch(url: str, headers: dict[str, str], data: bytes | None = None, timeout: float = 120):
    """(status, body bytes, seconds to answer): one request, for warm-ups and one-shots."""
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        body, status = err.read(), err.code
    return status, body, time.perf_counter() - started


class py_spy:
    """py-spy records gunicorn's workers while an endpoint is measured (--profile)."""

    def __init__(self, pid: int, seconds: float, out: Path):
        self.cmd = [
            str(Path(sys.executable).parent / "py-spy"),
            "record", "--pid", str(pid), "--subprocesses", "--rate", "250", "--duration",
            str(int(seconds) + 1), "--format", "raw", "--output", str(out), "--nonblocking",
        ]  # fmt: skip
        self.out = out
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        if shutil.which(self.cmd[0]) is None:
            raise SystemExit("--profile needs py-spy: pip install -r bench/requirements.txt")
        self.process = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
        time.sleep(0.5)  # attached before the load starts
        return self

    def __exit__(self, *exc):
        self.process.wait(timeout=60)
        if self.out.exists():
            summary = profile_summary(self.out)
            self.out.with_suffix(".summary.txt").write_text(summary)


def profile_summary(raw: Path, top: int = 40) -> str:
    """Inclusive and self share of each function, from py-spy's collapsed stacks."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + n
        own[frames[-1]] = own.get(frames[-1], 0) + n
    lines = [f"{total} samples", "", "inclusive:"]
    for frame, n in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{100 * n / total:5.1f}%  {frame}")
    lines += ["", "self:"]
    for frame, n in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{100 * n / total:5.1f}%  {frame}")
    return "\n".join(lines) + "\n"


# --- The parent ------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fixtures", action="store_true", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--database", help="database name (default: badgeapp_load_<pid>, dropped after)")
    parser.add_argument("--keep", action="store_true", help="keep the database after the run")
    parser.add_argument("--reuse", action="store_true", help="reuse --database if seeded (migrate only)")
    for name, value in FULL.items():
        parser.add_argument(f"--{name}", type=int, default=value)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per measurement")
    parser.add_argument("--gap", type=float, default=1, help="seconds between two measurements")
    parser.add_argument("--connections", type=int, default=1, help="wrk connections (default 1)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--gunicorn-arg", action="append", default=[], help="extra gunicorn argument, e.g. --max-requests=0"
    )
    names = [*ENDPOINTS, *ONE_SHOTS]
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(names)}")
    parser.add_argument("--skip", default="", help="comma-separated endpoints to leave out")
    parser.add_argument("--mail", choices=["console", "smtp"], default="console")
    parser.add_argument("--smtp-delay-ms", type=float, default=10, help="the relay's time per message")
    parser.add_argument("--profile", type=Path, help="folder for py-spy profiles (first round)")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument("--sql-log", type=Path, help="folder for each endpoint's SQL, with times")
    parser.add_argument(
        "--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="two --json files: one table"
    )
    args = parser.parse_args()
    if args.fixtures:
        return fixtures()
    if args.compare:
        return print(compare(*(json.loads(path.read_text()) for path in args.compare)))

    selected = args.only.split(",") if args.only else names
    unknown = (set(selected) | set(filter(None, args.skip.split(",")))) - set(names)
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    selected = [n for n in names if n in selected and n not in args.skip.split(",")]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    started_at = datetime.now(UTC)
    commit = git_commit()  # what is measured, whatever the tree becomes meanwhile
    load_before = load_average()
    name = args.database or f"badgeapp_load_{os.getpid()}"
    workdir = Path(tempfile.gettempdir()) / f"badgeapp-load-{name}"
    sizes = {k: getattr(args, k) for k in FULL}
    admin = postgres_admin(args.pg)
    reuse = args.reuse and database_exists(admin, name) and (workdir / "seeded.json").exists()
    if reuse and json.loads((workdir / "seeded.json").read_text()) != sizes:
        raise SystemExit(f"{name} was seeded with other sizes: run without --reuse")
    if not reuse:
        drop_database(admin, name)
        create_database(admin, name)
        shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJAODJIN_SECRET_KEY": secrets.token_urlsafe(32),
        "BADGEAPP_BASE_URL": "https://badges.example.com",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_HTTPS": "false",  # plain HTTP on loopback; the proxy terminates TLS
        "DATABASE_URL": f"{args.pg.rstrip('/')}/{name}",
        "BADGEAPP_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
        "BENCH_SELECTED": ",".join(selected),
    }
    if args.sql_log:
        args.sql_log.mkdir(parents=True, exist_ok=True)
        env["BENCH_SQL_LOG"] = str(args.sql_log.resolve())
    if (ROOT / "core" / "domain" / "credentials" / "keys.py").exists():
        # Open Badges 3.0 (issue 11): production refuses to start without a signing key.
        new_key = "from core.domain.credentials.keys import generate_secret; print(generate_secret())"
        env["OB3_SIGNING_KEY"] = run([sys.executable, "-c", new_key], env, "a signing key").strip()
    relay = None
    if args.mail == "smtp":
        relay = SlowRelay(args.smtp_delay_ms / 1000)
        env.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(relay.port),
        )
    else:
        env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    python = sys.executable
    try:
        log(f"database {name} ({'reused' if reuse else 'fresh'}); load average {load_before}")
        run([python, "manage.py", "migrate", "--noinput", "-v0"], env, "migrate")
        # As autovacuum soon would after the seed and migrations: statistics, visibility map.
        with admin_for(args.pg, name) as cursor:
            cursor.execute("VACUUM ANALYZE")
        if not reuse:
            seeded = time.perf_counter()
            run([python, "manage.py", "seed_scale", *[f"--{k}={v}" for k, v in sizes.items()]], env, "seed")
            (workdir / "seeded.json").write_text(json.dumps(sizes))
            log(f"seeded in {time.perf_counter() - seeded:.0f} s")
        run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env, "collectstatic")
        log("fixtures and SQL counts")
        fixture = json.loads(
            run([python, str(Path(__file__).resolve()), "--fixtures"], env, "fixtures").splitlines()[-1]
        )
        extra = [*args.gunicorn_arg]
        with Server(env, workdir, args.workers, args.threads, extra) as server, relay or _Null():
            log(f"gunicorn on {server.base}: {args.workers} worker(s) × {args.threads} thread(s) {extra}")
            results = measure(server, fixture, selected, args, relay)
            restarts = server.restarts()
    finally:
        if not (args.keep or args.reuse):
            drop_database(admin, name)
            shutil.rmtree(workdir, ignore_errors=True)
        admin.close()

    meta = {
        "date": started_at.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "command": "python bench/load.py " + " ".join(sys.argv[1:]),
        "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {fixture['server_version']}",
        "load_before": load_before,
        "load_after": load_average(),
        "workers": args.workers,
        "threads": args.threads,
        "connections": args.connections,
        "gunicorn_args": extra,
        "worker_restarts": restarts,
        "mail": args.mail if args.mail == "console" else f"smtp relay, {args.smtp_delay_ms:g} ms a message",
        "sizes": sizes,
        "facts": fixture["facts"],
    }
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2, ensure_ascii=False))
    print(report(meta, results))


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def measure(server: Server, fixture: dict, selected: list[str], args, relay: SlowRelay | None) -> dict:
    floor_url = f"{server.base}/bench/floor"
    results: dict[str, dict] = {"floor": {"runs": []}}
    loops = [n for n in selected if n in ENDPOINTS and n in fixture["endpoints"]]
    for name in loops:
        results[name] = {"runs": [], **fixture["endpoints"][name]}
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    for round_number in range(1, args.rounds + 1):
        for name in loops:
            spec = fixture["endpoints"][name]
            url = server.base + spec["path"]
            headers = {"Cookie": fixture["cookie"]} if spec["session"] else {}
            status, body, _ = fetch(url, headers)  # warm: first-visit work, caches, the planner
            if status != spec["status"]:
                raise SystemExit(f"{name}: {url} answered {status}, expected {spec['status']}")
            results[name]["body_bytes"] = len(body)
            floor = wrk(floor_url, {}, args.duration, args.connections)
            results["floor"]["runs"].append(floor)
            time.sleep(args.gap)
            if args.profile and round_number == 1:
                with py_spy(server.process.pid, args.duration, args.profile / f"{name}.txt"):
                    run_ = wrk(url, headers, args.duration, args.connections)
            else:
                run_ = wrk(url, headers, args.duration, args.connections)
            run_["cost"] = run_["per_request_us"] / floor["per_request_us"]
            results[name]["runs"].append(run_)
            log(
                f"round {round_number} {name}: {run_['cost']:.1f} × floor "
                f"({ms(run_['per_request_us'])} vs {ms(floor['per_request_us'])}), p99 {ms(run_['p99_us'])}"
            )
            time.sleep(args.gap)
    if "award-5000" in selected:
        results["award-5000"] = award_many(server, fixture, relay)
    if "export-csv" in selected:
        results["export-csv"] = export(server, fixture)
    return results


def award_many(server: Server, fixture: dict, relay: SlowRelay | None) -> dict:
    spec = fixture["award_5000"]
    body = json.dumps(
        {
            "recipients": [
                {"email": f"person{i}.{spec['run']}@{BENCH_RECIPIENT_DOMAIN}", "name": f"Person {i}"}
                for i in range(BATCH_SIZE)
            ],
            "narrative": "Load benchmark.",
        }
    ).encode()
    headers = {"Authorization": f"Bearer {fixture['jwt']}", "Content-Type": "application/json"}
    sent_before = relay.received if relay else 0
    status, answer, seconds = fetch(server.base + spec["path"], headers, data=body)
    time.sleep(1)
    result = {"status": status, "seconds": seconds, "body_bytes": len(answer)}
    if relay:
        result["emails_sent_by_answer"] = relay.received - sent_before
    log(f"award-5000: {status} in {seconds:.2f} s, {size(len(answer))}")
    return result


# What a worker does with an export request, timed alone (run in its own process).
BUILD_EXPORT = """
import time
from core.models import AwardExport, ExportState
from core.services.exports import award_export_build
export = AwardExport.objects.filter(state=ExportState.PREPARING).latest("requested_at")
began = time.perf_counter()
rows = award_export_build(export_id=export.pk)
print(rows, time.perf_counter() - began, export.pk)
"""


def export(server: Server, fixture: dict) -> dict:
    """The CSV export in its three parts: asking for it (a form post, answered at once),
    the worker writing the file (``award_export_build`` in its own process, as
    ``db_worker`` runs it), and the download (``FileResponse``) while a probe asks the
    floor every 0.25 s: how long is the web worker held?"""
    page = server.base + fixture["export_path"]
    token = secrets.token_hex(16)  # the CSRF cookie and header only have to agree
    headers = {"Cookie": f"{fixture['cookie']}; csrftoken={token}", "X-CSRFToken": token}
    status, _, ask_seconds = fetch(page, headers, data=b"")  # 302 to the page, followed
    out = run([sys.executable, "manage.py", "shell", "-c", BUILD_EXPORT], server.env, "the export's task")
    rows, build_seconds, export_id = out.strip().splitlines()[-1].split()  # after any log lines
    url = f"{page}{export_id}/awards.csv"
    probes: list[float] = []
    stop = threading.Event()

    def probe():
        while not stop.is_set():
            _, _, seconds = fetch(f"{server.base}/bench/floor", {}, timeout=300)
            probes.append(seconds)
            stop.wait(0.25)

    request = urllib.request.Request(url, headers={"Cookie": fixture["cookie"]})  # noqa: S310
    started = time.perf_counter()
    prober = threading.Thread(target=probe)
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
        status = response.status
        first = response.read(1)
        first_byte = time.perf_counter() - started
        prober.start()
        total = len(first)
        while chunk := response.read(1 << 16):
            total += len(chunk)
    seconds = time.perf_counter() - started
    stop.set()
    prober.join()
    result = {
        "status": status,
        "ask_seconds": ask_seconds,
        "build_seconds": float(build_seconds),
        "first_byte_seconds": first_byte,
        "seconds": seconds,
        "body_bytes": total,
        "rows": int(rows),
        "floor_worst_wait_seconds": max(probes, default=0),
    }
    log(
        f"export-csv: asked in {ask_seconds:.2f} s, written by the task in {float(build_seconds):.1f} s, "
        f"downloaded {status} in {seconds:.1f} s, {size(total)}"
    )
    return result


# --- The report --------------------------------------------------------------------
def report(meta: dict, results: dict) -> str:
    floor_runs = results["floor"]["runs"]
    lines = [
        f"{meta['date']}, {meta['machine']}; `{meta['commit']}`",
        f"Command: `{meta['command']}`",
        f"Load average before / after: {meta['load_before']} / {meta['load_after']}; "
        f"gunicorn {meta['workers']} worker × {meta['threads']} thread, wrk {meta['connections']} "
        f"connection(s), {meta['gunicorn_args'] or 'gunicorn.conf.py as is'}; "
        f"worker restarts during the run: {meta['worker_restarts']}.",
    ]
    if floor_runs:
        floor_ms = statistics.median(r["per_request_us"] for r in floor_runs)
        lines.append(
            f"Floor (no session): {ms(floor_ms)} a request, "
            f"{statistics.median(r['rps'] for r in floor_runs):.0f} req/s, "
            f"p50 {ms(statistics.median(r['p50_us'] for r in floor_runs))}, "
            f"p99 {ms(statistics.median(r['p99_us'] for r in floor_runs))} "
            f"(median of {len(floor_runs)} measurements)."
        )
    lines += [
        "",
        "| endpoint | cost × floor (range) | p50 | p95 | p99 | body | SQL (time) | req/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, label in ENDPOINTS.items():
        if name not in results:
            continue
        r = results[name]
        runs = r["runs"]
        costs = [x["cost"] for x in runs]
        median = statistics.median
        errors = sum(x["socket_errors"] + x["status_errors"] for x in runs)
        cost = f"**{median(costs):.1f}** ({min(costs):.1f}–{max(costs):.1f})"
        lines.append(
            f"| {label} | {cost}{f' ⚠ {errors} errors' if errors else ''} | "
            f"{ms(median(x['p50_us'] for x in runs))} | {ms(median(x['p95_us'] for x in runs))} | "
            f"{ms(median(x['p99_us'] for x in runs))} | {size(r.get('body_bytes'))} | "
            f"{r['sql']} ({r['sql_ms']} ms) | "
            f"{median(x['rps'] for x in runs):.0f} |"
        )
    if "award-5000" in results:
        r = results["award-5000"]
        sent = f", {r['emails_sent_by_answer']} emails sent by then" if "emails_sent_by_answer" in r else ""
        lines.append(
            f"| {ONE_SHOTS['award-5000']} ({meta['mail']}) | answered {r['status']} "
            f"in **{r['seconds']:.2f} s**{sent} | | | | {size(r['body_bytes'])} | | |"
        )
    if "export-csv" in results:
        r = results["export-csv"]
        asked = (
            f"asked in {r['ask_seconds']:.2f} s, written by a worker in {r['build_seconds']:.1f} s; "
            if "build_seconds" in r
            else ""
        )
        lines.append(
            f"| {ONE_SHOTS['export-csv']} ({r['rows']} rows) | {asked}{r['status']}: first byte "
            f"{r['first_byte_seconds']:.2f} s, last **{r['seconds']:.1f} s**; the floor waited up to "
            f"{r['floor_worst_wait_seconds']:.1f} s meanwhile | | | | {size(r['body_bytes'])} | | |"
        )
    facts = meta["facts"]
    lines += [
        "",
        f"Data: {facts['org_awards']} awards of “{ORG}”, {facts['revoked']} revoked; home for "
        f"{facts['holder_awards']} awards, in an organisation of {facts['offered']} badges; "
        f"the badge page's badge has {facts['badge_awards']} awards; "
        f"the deep page is `{facts['deep_page']}`.",
    ]
    return "\n".join(lines)


def compare(before: dict, after: dict) -> str:
    """Two runs side by side: cost × floor, time a request, p50 and p99, body, SQL statements."""
    median = statistics.median

    def cells(run: dict, name: str) -> tuple[str, ...]:
        r = run["results"].get(name)
        if not r or not r.get("runs"):
            return ("—",) * 5
        runs = r["runs"]
        return (
            f"{median(x['cost'] for x in runs):.1f}",
            ms(median(x["per_request_us"] for x in runs)),
            f"{ms(median(x['p50_us'] for x in runs))} / {ms(median(x['p99_us'] for x in runs))}",
            size(r.get("body_bytes")),
            str(r["sql"]),
        )

    lines = [
        "| endpoint | cost × floor | time a request | p50 / p99 | body | SQL |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, label in ENDPOINTS.items():
        b, a = cells(before, name), cells(after, name)
        if b[0] == a[0] == "—":
            continue
        pairs = enumerate(zip(b, a, strict=True))
        row = [f"{old} → **{new}**" if i == 0 else f"{old} → {new}" for i, (old, new) in pairs]
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    for name, label in ONE_SHOTS.items():
        b, a = before["results"].get(name), after["results"].get(name)
        if b and a:
            lines.append(
                f"| {label} | | {b['seconds']:.2f} s → **{a['seconds']:.2f} s** | | "
                f"{size(b['body_bytes'])} → {size(a['body_bytes'])} | |"
            )
    for run, when in ((before, "before"), (after, "after")):
        meta, floor = run["meta"], run["results"]["floor"]["runs"]
        lines.append(
            f"\n{when.capitalize()}: {meta['date']}, `{meta['commit']}`, load average {meta['load_before']} "
            f"→ {meta['load_after']}; floor {ms(median(x['per_request_us'] for x in floor))} a request; "
            f"worker restarts {meta['worker_restarts']}."
        )
    return "\n".join(lines)


# --- The child: fixtures, sessions and SQL counts ------------------------------------
def fixtures() -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from core.demo.scale import scale_users
    from core.models import Award, Badge, Organisation
    from tests.support.sessions import mint_cookie, mint_jwt

    # The previous run's 5,000-person award, so every run starts from the same data.
    Award.objects.filter(recipient_email__endswith=f"@{BENCH_RECIPIENT_DOMAIN}").delete()

    org = Organisation.objects.get(slug=ORG)
    org_awards = Award.objects.filter(badge__organisation=org)
    busiest = (
        org_awards.values("recipient_email").annotate(n=Count("pk")).order_by("-n", "recipient_email").first()
    )
    holder = scale_users(ORG).get(email=busiest["recipient_email"])
    popular = Badge.objects.filter(organisation=org).annotate(n=Count("awards")).order_by("-n", "pk").first()
    award = (
        Award.objects.filter(badge=popular, revoked_at__isnull=True, superseded_at__isnull=True)
        .exclude(expires_on__lte=timezone.now())
        .order_by("pk")
        .first()
    )
    # The 5,000 are awarded the least-held badge that can be awarded.
    quiet = (
        Badge.objects.filter(organisation=org, archived_at__isnull=True)
        .annotate(n=Count("awards"))
        .order_by("n", "pk")
        .first()
    )
    organisation = {
        "slug": org.slug, "printable_name": org.printable_name, "email": org.email,
        "created_at": "2024-01-01T00:00:00Z", "picture": None, "type": "organization", "subscriptions": [],
    }  # fmt: skip
    personal = {
        **organisation,
        "slug": holder.username,
        "printable_name": holder.get_full_name(),
        "email": holder.email,
        "type": "personal",
    }
    session = {
        "username": holder.username,
        "roles": {"manager": [organisation, personal]},
        "site": {"slug": org.slug, "printable_name": org.printable_name, "email": org.email},
        "last_visited": None,
    }
    cookie_value = mint_cookie(session)
    total = org_awards.count()
    per_page = settings.REST_FRAMEWORK["PAGE_SIZE"]
    deep_page = max(1, total // per_page // 2)
    org_awards_url = reverse("api-org-awards", args=[org.slug])
    deep_url = f"{org_awards_url}?page={deep_page}"
    try:  # keyset pages (issue 14): the cursor after the award that ends page deep_page - 1
        from core.api.pagination import encode_cursor
        from core.selectors.awards import organisation_awards

        edge = organisation_awards(org)[(deep_page - 1) * per_page - 1]
        deep_url = f"{org_awards_url}?cursor={encode_cursor(edge)}"
    except ImportError:
        pass
    endpoints = {
        "floor-session": ("/bench/floor", True, 200),
        "award-page": (reverse("award-detail", args=[award.pk]), False, 200),
        "assertion": (reverse("ob-assertion", args=[award.pk]), False, 200),
        "baked-png": (reverse("award-baked-png", args=[award.pk]), False, 200),
        "badgeclass": (reverse("ob-badgeclass", args=[org.slug, popular.slug]), False, 200),
        "issuer": (reverse("ob-issuer", args=[org.slug]), False, 200),
        "me-awards": (reverse("api-my-awards"), True, 200),
        "badge-page": (reverse("badge-detail", args=[org.slug, popular.slug]), True, 200),
        "home": (reverse("home"), True, 200),
        "revocations": (reverse("ob-revocation-list", args=[org.slug]), False, 200),
        "org-awards": (org_awards_url, True, 200),
        "org-awards-deep": (deep_url, True, 200),
        "org-awards-numbered": (f"{org_awards_url}?page={deep_page}", True, 200),
        "badge-list": (reverse("badge-list", args=[org.slug]), True, 200),
    }
    # Pages of later issues, measured where the app has them.
    for name, url_name, args in (
        ("me-progress", "api-my-progress", []),
        ("badge-progress", "badge-progress", [org.slug, popular.slug]),
        ("dashboard", "dashboard", [org.slug]),
    ):
        with contextlib.suppress(NoReverseMatch):
            endpoints[name] = (reverse(url_name, args=args), True, 200)

    class Counter:
        """Counts statements and their time; keeps them for --sql-log."""

        def __init__(self):
            self.count = 0
            self.seconds = 0.0
            self.statements: list[str] = []

        def __call__(self, execute, sql, params, many, context):
            self.count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                took = time.perf_counter() - started
                self.seconds += took
                self.statements.append(f"-- {took * 1000:.1f} ms\n{sql % tuple(map(repr, params or ()))};")

    selected = set(os.environ.get("BENCH_SELECTED", "").split(","))
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie_value
    anonymous = Client()
    out = {}
    sql_log = Path(os.environ["BENCH_SQL_LOG"]) if os.environ.get("BENCH_SQL_LOG") else None
    for name, (path, with_session, status) in endpoints.items():
        sql = sql_ms = None
        if name in selected:
            who = client if with_session else anonymous
            who.get(path)  # first-visit writes (the user, the organisations) happen once
            counter = Counter()
            with connection.execute_wrapper(counter):
                response = who.get(path)
            if response.status_code != status:
                raise SystemExit(f"{name}: {path} answered {response.status_code} to the test client")
            sql, sql_ms = counter.count, round(counter.seconds * 1000, 1)
            if sql_log:
                (sql_log / f"{name}.sql").write_text("\n\n".join(counter.statements) + "\n")
        out[name] = {"path": path, "session": with_session, "status": status, "sql": sql, "sql_ms": sql_ms}

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        json.dumps(
            {
                "endpoints": out,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie_value}",
                "jwt": mint_jwt(session),
                "award_5000": {
                    "path": reverse("api-badge-awards", args=[org.slug, quiet.slug]),
                    "run": secrets.token_hex(4),
                },
                "export_path": reverse("awards-export", args=[org.slug]),
                "server_version": version,
                "facts": {
                    "org_awards": total,
                    "revoked": org_awards.filter(revoked_at__isnull=False).count(),
                    "holder_awards": busiest["n"],
                    "offered": Badge.objects.filter(organisation=org, archived_at__isnull=True).count(),
                    "badge_awards": popular.n,
                    "deep_page": deep_url.rpartition("/")[2],
                },
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
