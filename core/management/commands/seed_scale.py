"""A large data set for benchmarks: ``seed_scale --employees 30000 --badges 500 --awards 300000``.

Refuses to run twice for the same organisation: ``--clear`` deletes that
organisation (its badges, awards and generated employees) first, and ``--org``
picks another slug. Other data (mockup users, demo organisations) is never touched.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.demo.scale import scale_clear, scale_users, seed_scale
from core.demo.scale_learning import seed_scale_learning


class Command(BaseCommand):
    help = "Create one large organisation with employees, badges and awards, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=30_000)
        parser.add_argument("--badges", type=int, default=500)
        parser.add_argument("--awards", type=int, default=300_000)
        parser.add_argument(
            "--statements",
            type=int,
            default=0,
            help="Then this many xAPI statements, through the ingest service (its rate is printed).",
        )
        parser.add_argument("--org", default="globex", help="The organisation's slug (default: globex).")
        parser.add_argument(
            "--name", default="", help="The organisation's name (default: “<Org> Größe 🌐 Worldwide”)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: same seed, same data.")
        parser.add_argument(
            "--clear", action="store_true", help="Delete this organisation's earlier seed_scale data first."
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        slug = options["org"]
        if options["clear"]:
            deleted = scale_clear(slug=slug)
            self.stdout.write(f"Cleared “{slug}” ({deleted} awards) in {time.perf_counter() - started:.1f}s.")
        try:
            result = seed_scale(
                employees=options["employees"],
                badges=options["badges"],
                awards=options["awards"],
                slug=slug,
                name=options["name"] or f"{slug.capitalize()} Größe 🌐 Worldwide",
                seed=options["seed"],
                log=self.stdout.write,
            )
        except ValidationError as err:
            raise CommandError(" ".join(err.messages)) from err
        phases = ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in result.timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"“{result.organisation.printable_name}” ({slug}): {result.employees} employees, "
                f"{result.badges} badges, {result.awards} awards ({result.expired} expired, "
                f"{result.revoked} revoked) in {time.perf_counter() - started:.1f}s [{phases}]."
            )
        )
        if options["statements"]:
            emails = list(scale_users(slug).values_list("email", flat=True))
            learning = seed_scale_learning(
                slug=slug,
                emails=emails,
                statements=options["statements"],
                seed=options["seed"],
                log=self.stdout.write,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{learning.statements} statements ingested in {learning.seconds:.1f}s "
                    f"({learning.rate:.0f} statements/s): {learning.stored} stored, "
                    f"{learning.awarded} badges awarded from learning records."
                )
            )
