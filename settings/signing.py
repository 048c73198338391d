"""The Open Badges 3.0 signing key, from the environment or a mounted file; never from git.

Production mode refuses to start without a valid key. Development makes one
on first start in a file git ignores (``.ob3-signing-key``), so that
credentials signed on a laptop keep verifying across restarts.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from core.domain.credentials.errors import InvalidKey
from core.domain.credentials.keys import generate_secret, parse_keyring


def signing_key(*, key: str, key_file: str, dev_key_file: Path | None) -> str:
    """The configured secret key: ``key`` itself, else read from ``key_file``.

    ``dev_key_file`` (development only) is created with a new key if missing.
    """
    if key.strip():
        return key.strip()
    path = Path(key_file) if key_file else dev_key_file
    if path is None:
        return ""
    if not path.exists() and path == dev_key_file:
        path.write_text(generate_secret() + "\n", encoding="ascii")
        path.chmod(0o600)
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise ImproperlyConfigured(f"OB3_SIGNING_KEY_FILE {path} cannot be read: {err}") from err


def check_keys(secret: str, retired: str) -> None:
    """Refuse to start with a missing or malformed key (the message names the variable)."""
    try:
        parse_keyring(secret, retired)
    except InvalidKey as err:
        raise ImproperlyConfigured(
            f"Open Badges 3.0 signing: {err}. Set OB3_SIGNING_KEY (or OB3_SIGNING_KEY_FILE) to an Ed25519 "
            "secretKeyMultibase, e.g. the output of `python manage.py ob3_new_key`, and OB3_RETIRED_KEYS "
            "to the public keys it replaced."
        ) from err
