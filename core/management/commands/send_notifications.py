"""Queue the expiry reminders that are due, and hand every waiting email to the workers.

Run it from cron (hourly is plenty). Reminders go once per award,
``AWARD_EXPIRY_REMINDER_DAYS`` before it expires, however often this runs.
It also covers emails whose task never reached the queue (a process stopped
between committing an award and queueing its task) or whose sender stopped
mid-batch: whatever is due is sent by the next worker that runs.
"""

from django.core.management.base import BaseCommand

from core.services.notifications import expiry_reminders_queue, send_due_notifications


class Command(BaseCommand):
    help = "Queue the expiry reminders that are due and have the workers send every waiting email."

    def handle(self, *args, **options):
        reminders = expiry_reminders_queue()
        send_due_notifications.enqueue()
        self.stdout.write(f"{reminders} expiry reminder(s) queued; the workers send what is due.")
