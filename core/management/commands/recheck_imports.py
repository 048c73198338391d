"""Re-verify imported badges with their issuers; mark those revoked or expired since.

Run it daily (cron, a scheduled job). Badges already revoked or expired are
skipped: those states are final. Each badge is checked on its own: one that
cannot be checked (its issuer is down, or an unexpected error) is reported on
stderr and the others are still checked; unexpected errors make the command
exit with an error status once all are done, so a scheduler notices.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import ImportedBadge, Status
from core.services.imports import imported_badge_recheck


class Command(BaseCommand):
    help = "Re-verify imported badges; mark those revoked or expired since their last check."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checked-before-hours",
            type=int,
            default=0,
            help="Only badges not checked for this many hours (default: all).",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        candidates = ImportedBadge.objects.filter(status=Status.ACTIVE).order_by("checked_at")
        if options["checked_before_hours"]:
            candidates = candidates.filter(
                checked_at__lt=now - timedelta(hours=options["checked_before_hours"])
            )
        counts = {"checked": 0, Status.REVOKED: 0, Status.EXPIRED: 0, "unchecked": 0}
        failed = 0
        for pk in list(candidates.values_list("pk", flat=True)):
            try:
                imported = ImportedBadge.objects.get(pk=pk, status=Status.ACTIVE)
                result = imported_badge_recheck(imported=imported, now=now)
            except ImportedBadge.DoesNotExist:  # deleted, or marked, since the list was read
                continue
            except Exception as err:  # one badge must not stop the others: report it, go on
                failed += 1
                counts["unchecked"] += 1
                self.stderr.write(f"{pk}: could not check: unexpected error: {type(err).__name__}: {err}")
                continue
            counts["checked"] += 1
            if result.changed:
                counts[result.imported.status] += 1
                self.stdout.write(f"{imported.pk}: now {result.imported.status} ({imported.badge_name})")
            if result.problem:
                counts["unchecked"] += 1
                self.stderr.write(f"{imported.pk}: could not check: {result.problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Checked {counts['checked']} imported badges: {counts[Status.REVOKED]} now revoked, "
                f"{counts[Status.EXPIRED]} now expired, {counts['unchecked']} could not be checked."
            )
        )
        if failed:
            raise CommandError(f"{failed} imported badges failed with an unexpected error (see above).")
