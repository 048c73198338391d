"""``make messages``: every catalogue in ``locale/`` updated with the strings the code marks, then compiled.

New strings arrive untranslated; ``check_translations`` (``make lint``) fails until
each is translated. The compiled ``.mo`` files are committed beside their ``.po``,
so a machine without gettext runs the app in every language.
"""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.management.commands.check_translations import (
    MESSAGE_EXTENSIONS,
    MESSAGE_IGNORE,
    MakeMessagesInto,
    shipped_locales,
)


class Command(BaseCommand):
    help = "Update every catalogue in locale/ with the strings marked in the code, then compile them."

    def add_arguments(self, parser):
        parser.add_argument("--locale-dir", help="Where the catalogues are (default: LOCALE_PATHS[0]).")

    def handle(self, *args, locale_dir=None, **options):
        locale_dir = Path(locale_dir or settings.LOCALE_PATHS[0])
        call_command(
            MakeMessagesInto(locale_dir),
            locale=shipped_locales(),
            extensions=MESSAGE_EXTENSIONS,
            ignore_patterns=MESSAGE_IGNORE,
            no_obsolete=True,
            add_location="file",  # no line numbers: a catalogue changes only when its strings do
            verbosity=options["verbosity"],
        )
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
            # --check-format: a translation that drops or renames a %(placeholder)s is an error.
            compiled = subprocess.run(  # noqa: S603 - a fixed program on our own files
                ["msgfmt", "--check-format", "-o", str(po_path.with_suffix(".mo")), str(po_path)],  # noqa: S607
                capture_output=True,
                text=True,
                check=False,
            )
            if compiled.returncode:
                raise CommandError(f"{po_path}: {compiled.stderr.strip()}")
            if options["verbosity"]:
                self.stdout.write(f"Compiled {po_path.with_suffix('.mo')}")
