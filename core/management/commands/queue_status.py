"""The background queue's state, for an operator: what waits, what runs, what failed.

Managers see their own organisation's emails on its Emails page; this is the
whole queue (every organisation, every kind of task), which no single
manager may see. ``--max-wait SECONDS`` exits with status 1 when the oldest
ready task has waited longer: a check for monitoring (no worker running, or
too few).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from core.models import Notification, NotificationState


class Command(BaseCommand):
    help = "Show the background queue: tasks ready, scheduled, running, failed; emails by state."

    def add_arguments(self, parser):
        parser.add_argument("--max-wait", type=int, default=0, help="Fail if a ready task waited longer (s).")

    def handle(self, *args, **options):
        now = timezone.now()
        ready = DBTaskResult.objects.ready()
        oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
        waited = (now - oldest).total_seconds() if oldest else 0
        day = now - timedelta(days=1)
        # A task enqueued without run_after carries the max date: it is ready, not scheduled.
        ready_later = DBTaskResult.objects.filter(status="READY", run_after__gt=now)
        rows = [
            ("tasks ready to run", ready.count()),
            (
                "tasks scheduled for later",
                ready_later.exclude(run_after=get_date_max()).count(),
            ),
            ("tasks running", DBTaskResult.objects.running().count()),
            (
                "tasks failed in the last 24 h",
                DBTaskResult.objects.failed().filter(finished_at__gte=day).count(),
            ),
            (
                "tasks done in the last 24 h",
                DBTaskResult.objects.successful().filter(finished_at__gte=day).count(),
            ),
            ("oldest ready task waited (s)", round(waited)),
        ]
        emails = dict.fromkeys(NotificationState.values, 0)
        emails.update(Notification.objects.values_list("state").annotate(n=Count("pk")).order_by())
        rows += [(f"emails {state}", count) for state, count in emails.items()]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"{label:<{width}}  {value}")
        failing = DBTaskResult.objects.failed().filter(finished_at__gte=day)
        for task_path, exception, count in (
            failing.values_list("task_path", "exception_class_path")
            .annotate(n=Count("id"))
            .order_by("-n")[:10]
        ):
            self.stdout.write(f"  failed: {task_path} ({exception}) × {count}")
        if options["max_wait"] and waited > options["max_wait"]:
            raise CommandError(
                f"The oldest ready task has waited {round(waited)} s: are the workers running?"
            )
