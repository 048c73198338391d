#!/usr/bin/env python
"""Seed a fresh database at full scale, time it, then time the reads pages and the API make.

Run from the repository root (results and how to read them: bench/README.md):

    .venv/bin/python bench/bench_scale.py                      # SQLite, then PostgreSQL
    .venv/bin/python bench/bench_scale.py --db sqlite
    .venv/bin/python bench/bench_scale.py --db postgres --pg postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/bench_scale.py --employees 3000 --badges 50 --awards 30000   # a quick look

Each database is fresh and thrown away: an SQLite file in a temporary folder,
and a PostgreSQL database the script creates and drops (it needs a role allowed
to CREATE DATABASE). The seed runs as ``manage.py seed_scale`` in its own
process, timed from outside; the reads run in another process against the
same database, through Django's test Client with a session minted as the
DjaoDjin proxy would (tests/proxy.py), in production mode (settings.test: DEBUG off).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = {"employees": 30_000, "badges": 500, "awards": 300_000}
BUDGET_SECONDS = 120


# --- The parent: fresh databases, the timed seed, the report ---------------
def run(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603


def bench_database(label: str, database_url: str, sizes: dict[str, int], media: Path) -> dict:
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
    seed_cmd = [python, "manage.py", "seed_scale"] + [f"--{k}={v}" for k, v in sizes.items()]
    started = time.perf_counter()
    seeded = run(seed_cmd, env)
    wall = time.perf_counter() - started
    if seeded.returncode:
        raise SystemExit(f"{label}: seed_scale failed\n{seeded.stdout}\n{seeded.stderr}")
    print(f"[{label}] seed_scale: {wall:.1f}s wall\n{seeded.stdout.strip()}", flush=True)
    reads = run([python, str(Path(__file__).resolve()), "--reads"], env)
    if reads.returncode:
        raise SystemExit(f"{label}: reads failed\n{reads.stdout}\n{reads.stderr}")
    measured = json.loads(reads.stdout.strip().splitlines()[-1])
    return {"label": label, "seed_seconds": wall, "seed_output": seeded.stdout.strip(), **measured}


def postgres_admin(url: str):
    import psycopg2  # the project's driver (requirements.txt)

    connection = psycopg2.connect(f"{url.rstrip('/')}/postgres")
    connection.autocommit = True
    return connection


def report(results: list[dict], sizes: dict[str, int]) -> str:
    lines = [
        f"seed_scale {' '.join(f'--{k} {v}' for k, v in sizes.items())} "
        f"on {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        "| | " + " | ".join(r["label"] for r in results) + " |",
        "| --- |" + " --- |" * len(results),
        "| seed_scale, wall time | "
        + " | ".join(
            f"**{r['seed_seconds']:.1f} s** ({'under' if r['seed_seconds'] < BUDGET_SECONDS else 'OVER'} "
            f"the {BUDGET_SECONDS} s budget)"
            for r in results
        )
        + " |",
        "| database size | " + " | ".join(r["database_size"] for r in results) + " |",
    ]
    for i, read in enumerate(results[0]["reads"]):
        cells = []
        for r in results:
            m = r["reads"][i]
            if "error" in m:
                cells.append(f"error: {m['error']}")
            else:
                note = f", {m['note']}" if m["note"] else ""
                cells.append(f"{m['median_ms']:.0f} ms, {m['queries']} queries{note}")
        lines.append(f"| {read['label']} | " + " | ".join(cells) + " |")
    lines += ["", "Versions: " + "; ".join(f"{r['label']} {r['server_version']}" for r in results)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--reads", action="store_true", help=argparse.SUPPRESS)  # the child process
    for name, value in FULL.items():
        parser.add_argument(f"--{name}", type=int, default=value)
    args = parser.parse_args()
    if args.reads:
        return measure_reads()
    sizes = {name: getattr(args, name) for name in FULL}
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="badgeapp-bench-"))
    try:
        if args.db in ("sqlite", "both"):
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            results.append(bench_database("SQLite", url, sizes, workdir / "media-sqlite"))
        if args.db in ("postgres", "both"):
            name = f"badgeapp_bench_{os.getpid()}"
            admin = postgres_admin(args.pg)
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
            try:
                url = f"{args.pg.rstrip('/')}/{name}"
                results.append(bench_database("PostgreSQL", url, sizes, workdir / "media-postgres"))
            finally:
                with admin.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(report(results, sizes))


# --- The child: reads at scale --------------------------------------------
def measure_reads() -> None:
    import django

    django.setup()

    import csv
    import io

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from core import selectors
    from core.demo.scale import scale_users
    from core.models import Award, AwardExport, Badge, Organisation
    from core.selectors.exports import organisation_award_rows
    from core.services.exports import award_export_build
    from tests.support.sessions import mint_cookie

    org = Organisation.objects.get(slug="globex")
    busiest = (
        Award.objects.filter(badge__organisation=org)
        .values("recipient_email")
        .annotate(n=Count("pk"))
        .order_by("-n", "recipient_email")
        .first()
    )
    employee = scale_users("globex").get(email=busiest["recipient_email"])
    popular = Badge.objects.filter(organisation=org).annotate(n=Count("awards")).order_by("-n", "pk").first()
    an_award = Award.objects.filter(badge=popular).order_by("pk").first()
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

    def get(url: str, **params):
        def fetch():
            response = client.get(url, params)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            return body

        return fetch

    def csv_rows(body: bytes) -> str:
        return f"{len(body.decode('utf-8-sig').splitlines()) - 1} rows"

    def export_with_orm():
        out = io.StringIO()
        writer = csv.writer(out)
        rows = -1  # the header
        for row in organisation_award_rows(org):
            writer.writerow(row)
            rows += 1
        return f"{rows} rows"

    def export_in_background():
        """What a worker does with an export request: the file, in private storage."""
        export = AwardExport.objects.create(organisation=org)
        return f"{award_export_build(export_id=export.pk)} rows"

    holders = reverse("badge-detail", args=[org.slug, popular.slug])
    org_awards = reverse("api-org-awards", args=[org.slug])
    # Pages deep in the lists: OFFSET costs grow with the page number.
    holders_middle = max(1, popular.n // 25 // 2)
    awards_middle = max(1, Award.objects.filter(badge__organisation=org).count() // 50 // 2)

    def awards_of_one_email():
        return f"{len(list(Award.objects.with_badge().for_email(employee.email).newest_first()))} awards"

    def holders_search():
        found = selectors.holders_of(popular, "li")
        return f"{len(list(found[:25]))} of {found.count()}"

    reads = [
        ("ORM: awards of one email (the busiest employee)", awards_of_one_email, 5),
        ("ORM: holders of the most-held badge, page 1, search “li”", holders_search, 5),
        ("ORM: organisation export, every award as a CSV row", export_with_orm, 1),
        ("GET / (home: my awards and badges on offer)", get(reverse("home")), 5),
        ("GET badge page as manager: holders page 1", get(holders), 5),
        ("GET badge page as manager: holders search “li”", get(holders, q="li"), 5),
        (f"GET badge page as manager: holders page {holders_middle}", get(holders, page=holders_middle), 5),
        ("GET the badge list, with holder counts", get(reverse("badge-list", args=[org.slug])), 3),
        ("GET public award page", get(reverse("award-detail", args=[an_award.pk])), 5),
        ("GET /api/me/awards/", get(reverse("api-my-awards")), 5),
        ("GET /api/orgs/globex/awards/ (page 1)", get(org_awards), 5),
        (f"GET /api/orgs/globex/awards/?page={awards_middle}", get(org_awards, page=awards_middle), 3),
        ("GET /api/orgs/globex/badges/", get(reverse("api-badges", args=[org.slug])), 3),
        ("Worker: the awards export written to a file", export_in_background, 1),
    ]  # fmt: skip

    class QueryCounter:
        """Counts statements across requests (the test Client resets connection.queries)."""

        def __init__(self):
            self.count = 0

        def __call__(self, execute, sql, params, many, context):
            self.count += 1
            return execute(sql, params, many, context)

    results = []
    for label, fn, repeat in reads:
        try:
            if repeat > 1:
                fn()  # warm up: first-visit writes, caches, the planner
            counter = QueryCounter()
            started = time.perf_counter()
            with connection.execute_wrapper(counter):
                outcome = fn()
            times = [time.perf_counter() - started]
            if repeat > 1:  # the long exports run once: their time is the counted run's
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - started)
            note = csv_rows(outcome) if "CSV" in label and isinstance(outcome, bytes) else outcome
            results.append(
                {
                    "label": label,
                    "median_ms": statistics.median(times) * 1000,
                    "queries": counter.count,
                    "note": note if isinstance(note, str) else f"{len(note) // 1024} KiB",
                }
            )
        except Exception as err:  # a page still being built must not hide the other numbers
            results.append({"label": label, "error": f"{type(err).__name__}: {err}"[:200]})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
            size, version = cursor.fetchone()
            version = version.split(" on ")[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
            size = f"{Path(settings.DATABASES['default']['NAME']).stat().st_size / 2**20:.0f} MB"
    print(json.dumps({"reads": results, "database_size": size, "server_version": version}))


if __name__ == "__main__":
    main()
