"""Demo data behind the mockup users, so every screen has content."""

from django.core.management.base import BaseCommand

from core.demo.seed import demo_import_url, seed_demo


class Command(BaseCommand):
    help = "Load demo organisations, users, badges and awards (idempotent)."

    def handle(self, *args, **options):
        summary = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        url = demo_import_url()
        if url:
            # Operator output, like the summary: not a page, not translated.
            self.stdout.write(f"To try an import, sign in as bob and paste {url} at /imports/.")
