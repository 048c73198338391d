#!/usr/bin/env python
"""Learning records at scale: ingest rates (seed, push endpoint, sync_learning) and the reads.

Run from the repository root, with the venvs of ``make install`` and ``make ralph``
(results and how to read them: bench/README.md):

    .venv/bin/python bench/bench_learning.py                          # SQLite, then PostgreSQL
    .venv/bin/python bench/bench_learning.py --db postgres --pg postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/bench_learning.py --employees 3000 --badges 50 --awards 30000 \
        --statements 20000 --push 5000 --sync 2000                    # a quick look

For each database, fresh and thrown away (an SQLite file; a PostgreSQL database it
creates and drops):

1. ``seed_scale --employees 30000 --badges 500 --awards 300000 --statements N``: the
   statements go through the ingest service in batches of 5,000; it prints their rate
   (time inside the service only, not making them up);
2. the push endpoint: gunicorn (2 workers, production settings) on a free port, and two
   client threads POSTing batches of 1,000 statements with HTTP Basic: statements/s over
   the wall time of all requests;
3. ``manage.py sync_learning`` against Ralph (its own venv): the statements are written
   to a fresh Ralph in one batch (its filesystem backend keeps one), pages of 1,000; the
   sync's wall time, and apart the time Ralph alone takes to serve the same pages;
4. the reads at that scale, with their SQL statement counts: home of the busiest
   learner, the managers' progress view of the most followed badge (page 1, a search, a
   deep page), ``/api/me/progress/``, and the verify page for an email.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FULL = {"employees": 30_000, "badges": 500, "awards": 300_000}
PUSH_USER, PUSH_PASSWORD = "bench-lms", "bench-inbound-password-0123456789"


def run(cmd: list[str], env: dict[str, str], timeout: int = 7200) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own commands)
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )


def child(mode: str, env: dict[str, str], *args: str) -> dict:
    done = run([sys.executable, str(Path(__file__).resolve()), mode, *args], env)
    if done.returncode:
        raise SystemExit(f"{mode} failed\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_database(label: str, database_url: str, args, media: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "DATABASE_URL": database_url,
        "BADGEAPP_MEDIA_ROOT": str(media),
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    migrate = run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    if migrate.returncode:
        raise SystemExit(f"{label}: migrate failed\n{migrate.stderr}")
    sizes = [f"--{k}={getattr(args, k)}" for k in FULL] + [f"--statements={args.statements}"]
    started = time.perf_counter()
    seeded = run([python, "manage.py", "seed_scale", *sizes], env)
    if seeded.returncode:
        raise SystemExit(f"{label}: seed_scale failed\n{seeded.stdout}\n{seeded.stderr}")
    wall = time.perf_counter() - started
    rate = re.search(r"(\d+) statements ingested in ([\d.]+)s \((\d+) statements/s\)", seeded.stdout)
    result = {
        "label": label,
        "seed_wall": wall,
        "seed_statements": int(rate[1]),
        "seed_seconds": float(rate[2]),
    }
    print(f"[{label}] seed_scale with {args.statements} statements: {wall:.0f}s wall, {rate[0]}", flush=True)
    result["push"] = bench_push(env, args.push)
    print(f"[{label}] push: {result['push']}", flush=True)
    result["sync"] = bench_sync(env, args.sync)
    print(f"[{label}] sync: {result['sync']}", flush=True)
    result["reads"] = child("--reads", env)["reads"]
    for read in result["reads"]:
        print(f"[{label}] {read['label']}: {read['ms']:.0f} ms, {read['queries']} queries", flush=True)
    return result


# --- The push endpoint through gunicorn --------------------------------------------------------
def bench_push(env: dict[str, str], count: int) -> dict:
    batches = child("--statements-json", env, str(count), "push")["file"]
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    server_env = {
        **env,
        "XAPI_INBOUND_USERNAME": PUSH_USER,
        "XAPI_INBOUND_PASSWORD": PUSH_PASSWORD,
        "XAPI_INBOUND_RATE": "100000/min",
        "GUNICORN_BIND": "127.0.0.1:0",
        # SQLite lets one writer in at a time: a second worker would only wait for the lock.
        "GUNICORN_WORKERS": "1" if env["DATABASE_URL"].startswith("sqlite") else "2",
        "GUNICORN_THREADS": "1",
        "GUNICORN_TIMEOUT": "120",
    }
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "badgeapp.wsgi"],
            cwd=ROOT,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = _wait_for(log, r"Listening at: (http://127\.0\.0\.1:\d+)", server) + "/xapi/statements"
        payloads = json.loads(Path(batches).read_text())
        token = base64.b64encode(f"{PUSH_USER}:{PUSH_PASSWORD}".encode()).decode()
        import urllib3

        http = urllib3.PoolManager(maxsize=4)
        headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json",
                   "X-Experience-API-Version": "1.0.3"}  # fmt: skip
        failures: list[str] = []
        queue = list(payloads)
        lock = threading.Lock()

        def client():
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                response = http.request("POST", url, body=body, headers=headers, timeout=120)
                if response.status != 200:
                    failures.append(f"{response.status} {response.data[:200]!r}")

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        Path(batches).unlink(missing_ok=True)
    if failures:
        raise SystemExit(f"push failed: {failures[:3]}")
    return {"statements": count, "seconds": round(seconds, 1), "rate": round(count / seconds)}


def _wait_for(log: Path, pattern: str, process: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(errors="replace"))
        if found:
            return found[1]
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit(f"server did not start:\n{log.read_text(errors='replace')[-2000:]}")


# --- sync_learning against Ralph ---------------------------------------------------------------
def bench_sync(env: dict[str, str], count: int) -> dict:
    from core.lib.lrs import LRSClient
    from tests.support.ralph import ralph_installed, running_ralph, write_credentials

    if not ralph_installed():
        return {"skipped": "Ralph is not installed (make ralph)"}
    statements = json.loads(Path(child("--statements-json", env, str(count), "sync")["file"]).read_text())
    statements = [item for batch in statements for item in json.loads(batch)]
    directory = Path(tempfile.mkdtemp(prefix="bench-ralph-"))
    try:
        credentials = write_credentials(directory, "bench", "bench-lrs-password")
        with running_ralph(directory, credentials, page_size=1000) as lrs:
            started = time.perf_counter()
            lrs.post(statements)
            loaded = time.perf_counter() - started
            reader = LRSClient(lrs.endpoint, "bench", "bench-lrs-password", page_size=1000)
            started = time.perf_counter()
            read = sum(len(page.statements) for page in reader.pages())
            ralph_only = time.perf_counter() - started
            sync_env = {**env, "LRS_ENDPOINT": lrs.endpoint, "LRS_USERNAME": "bench",
                        "LRS_PASSWORD": "bench-lrs-password", "LRS_PAGE_SIZE": "1000"}  # fmt: skip
            started = time.perf_counter()
            synced = run([sys.executable, "manage.py", "sync_learning"], sync_env)
            wall = time.perf_counter() - started
            if synced.returncode:
                raise SystemExit(f"sync_learning failed\n{synced.stdout}\n{synced.stderr}")
            # The run's own time, as it reports it (the process's start-up aside).
            seconds = float(re.search(r" in ([\d.]+)s:", synced.stdout)[1])
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return {
        "statements": read,
        "seconds": round(seconds, 1),
        "process_wall_seconds": round(wall, 1),
        "rate": round(read / seconds),
        "ralph_serving_pages_seconds": round(ralph_only, 1),
        "rate_without_ralph": round(read / max(seconds - ralph_only, 0.001)),
        "loading_ralph_seconds": round(loaded, 1),
        "output": synced.stdout.strip(),
    }


# --- Children, inside Django -------------------------------------------------------------------
def statements_json(count: int, kind: str) -> None:
    """Statements for the push (batches of 1,000 as JSON text) or the sync, to a file."""
    import django

    django.setup()
    from core.demo.scale import scale_users
    from core.demo.scale_learning import learning_paths, scale_statements

    emails = list(scale_users("globex").values_list("email", flat=True))
    rng = random.Random(f"{kind}-{count}")  # noqa: S311 (not secrets): new ids, not the seed's
    made = list(
        scale_statements(
            slug="globex", emails=emails, paths=learning_paths("globex"), count=count, rng=rng, days=30
        )
    )
    batches = [json.dumps(made[i : i + 1000]) for i in range(0, len(made), 1000)]
    path = tempfile.mkstemp(prefix=f"bench-{kind}-", suffix=".json")[1]
    Path(path).write_text(json.dumps(batches))
    print(json.dumps({"file": path}))


def measure_reads() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from core.demo.scale import scale_users
    from core.models import Badge, LearningProgress, Organisation
    from tests.support.sessions import mint_cookie

    org = Organisation.objects.get(slug="globex")
    busiest = (
        LearningProgress.objects.values("email")
        .annotate(n=Count("pk"))
        .order_by("-n", "email")
        .first()["email"]
    )
    employee = scale_users("globex").get(email=busiest)
    followed = Badge.objects.annotate(n=Count("learning_progress")).order_by("-n", "pk").first()
    session = {
        "username": employee.username,
        "roles": {
            "manager": [
                {"slug": org.slug, "printable_name": org.printable_name, "email": org.email,
                 "created_at": "2024-01-01T00:00:00Z", "picture": None, "type": "organization",
                 "subscriptions": []},
                {"slug": employee.username, "printable_name": employee.get_full_name(),
                 "email": employee.email, "created_at": "2024-01-01T00:00:00Z", "picture": None,
                 "type": "personal", "subscriptions": []},
            ]
        },
        "site": {"slug": org.slug, "printable_name": org.printable_name, "email": org.email},
        "last_visited": None,
    }  # fmt: skip
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = mint_cookie(session)
    progress_url = reverse("badge-progress", args=[org.slug, followed.slug])
    deep = max(1, followed.n // 50 // 2)
    on_badges = LearningProgress.objects.filter(email=busiest).count()
    reads = [
        (f"GET / (home of the busiest learner, progress on {on_badges} badges)",
         lambda: client.get(reverse("home"))),
        (f"GET progress view, page 1 ({followed.n} people started)", lambda: client.get(progress_url)),
        ("GET progress view, search “li”", lambda: client.get(progress_url, {"q": "li"})),
        (f"GET progress view, page {deep}", lambda: client.get(progress_url, {"page": deep})),
        ("GET /api/me/progress/", lambda: client.get(reverse("api-my-progress"))),
        ("POST /verify/ (an email's progress)",
         lambda: client.post(reverse("verify"), {"badge": str(followed.pk), "email": busiest})),
    ]  # fmt: skip
    counted = {"n": 0}

    def count(execute, sql, params, many, context):
        counted["n"] += 1
        return execute(sql, params, many, context)

    results = []
    for label, fetch in reads:
        response = fetch()  # warm up
        if response.status_code != 200:
            raise SystemExit(f"{label}: {response.status_code}")
        counted["n"] = 0
        with connection.execute_wrapper(count):
            fetch()
        queries = counted["n"]
        times = []
        for _ in range(5):
            started = time.perf_counter()
            fetch()
            times.append((time.perf_counter() - started) * 1000)
        results.append({"label": label, "ms": statistics.median(times), "queries": queries})
    print(json.dumps({"reads": results}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    for name, default in FULL.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--statements", type=int, default=1_000_000, help="through seed_scale")
    parser.add_argument("--push", type=int, default=50_000, help="through POST /xapi/statements")
    parser.add_argument("--sync", type=int, default=20_000, help="through sync_learning from Ralph")
    parser.add_argument("--reads", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--statements-json", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reads:
        return measure_reads()
    if args.statements_json:
        return statements_json(int(args.statements_json[0]), args.statements_json[1])
    print(f"load average before: {os.getloadavg()}", flush=True)
    results = []
    if args.db in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="bench-learning-"))
        try:
            results.append(
                bench_database("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", args, folder / "media")
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.db in ("postgres", "both"):
        import psycopg2

        name = f"badgeapp_bench_learning_{os.getpid()}"
        admin = psycopg2.connect(f"{args.pg.rstrip('/')}/postgres")
        admin.autocommit = True
        admin.cursor().execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
        folder = Path(tempfile.mkdtemp(prefix="bench-learning-"))
        try:
            results.append(
                bench_database("PostgreSQL", f"{args.pg.rstrip('/')}/{name}", args, folder / "media")
            )
        finally:
            admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            shutil.rmtree(folder, ignore_errors=True)
    print(f"load average after: {os.getloadavg()}", flush=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
