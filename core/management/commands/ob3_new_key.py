"""Print a new Open Badges 3.0 signing key, for OB3_SIGNING_KEY, and what to do with the old one.

The key is printed, never stored: put it in the environment or the mounted key
file. To rotate, add the current key's public half (printed here too) to
OB3_RETIRED_KEYS and replace OB3_SIGNING_KEY with the new key.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from core.domain.credentials.keys import generate_secret, parse_keyring


class Command(BaseCommand):
    help = "Print a new Open Badges 3.0 signing key (and, to rotate, the public key it replaces)."

    def handle(self, *args, **options):
        secret = generate_secret()
        self.stdout.write(f"OB3_SIGNING_KEY={secret}")
        self.stdout.write(f"# its public key: {parse_keyring(secret).current_public}")
        if settings.OB3_SIGNING_KEY:
            current = parse_keyring(settings.OB3_SIGNING_KEY, settings.OB3_RETIRED_KEYS)
            retired = ",".join(current.public_keys())
            self.stdout.write(f"# to rotate, keep the current key listed: OB3_RETIRED_KEYS={retired}")
