"""Demo data behind the mockup users, so every screen has content."""

from django.core.management.base import BaseCommand

from core.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load demo organisations, users, badges and awards (idempotent)."

    def handle(self, *args, **options):
        summary = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
