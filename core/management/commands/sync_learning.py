"""Read new statements from the Learning Record Store (``LRS_ENDPOINT``) once.

Run it periodically, e.g. from cron every five minutes: each run goes on from where
the last one stopped. ``--enqueue`` hands the run to the background worker instead
(``db_worker``). Two runs at once are safe: the second reports that the first is still
reading and exits.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from core.lib.lrs import LRSError
from core.services.learning_sync import learning_sync, learning_sync_task


class Command(BaseCommand):
    help = "Read new xAPI statements from the LRS (LRS_ENDPOINT) and update progress and awards."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-pages",
            type=int,
            default=None,
            help="Stop after this many pages (the next run goes on from there).",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the run for the background worker and return."
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            queued = learning_sync_task.enqueue(max_pages=options["max_pages"])
            self.stdout.write(f"Queued the sync for the worker (task {queued.id}).")
            return
        try:
            result = learning_sync(max_pages=options["max_pages"])
        except (ImproperlyConfigured, LRSError) as error:
            raise CommandError(str(error)) from error
        if result.busy:
            self.stdout.write(f"Another sync of {result.endpoint} is running: nothing to do.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Read {result.read} statements in {result.pages} pages from {result.endpoint} "
                f"in {result.seconds:.1f}s: "
                f"{result.stored} new, {result.duplicates} already known, "
                f"{result.skipped} skipped as invalid, {result.voided} voided; "
                f"{result.awarded} badges awarded. "
                f"Next run reads from {result.since.isoformat() if result.since else 'the start'}."
            )
        )
