"""Mockup sessions for development: one JSON file a user in MOCKUPS_DIR.

Each file holds a session in the proxy's format (DESIGN.md §3).
"""

import json
from pathlib import Path

from django.conf import settings

from core.domain.identity import is_valid_username


class MockupError(ValueError):
    pass


def load_mockup_sessions(directory: Path | None = None) -> dict[str, dict]:
    """Sessions by username, sorted by username. Read on each call: cheap, dev only."""
    directory = Path(directory or settings.MOCKUPS_DIR)
    sessions: dict[str, dict] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            session = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise MockupError(f"{path.name}: not a readable JSON file ({err}).") from err
        username = session.get("username") if isinstance(session, dict) else None
        if not is_valid_username(username):
            raise MockupError(f"{path.name}: a mockup session needs a username.")
        if username in sessions:
            raise MockupError(f"{path.name}: username {username!r} is used twice.")
        sessions[username] = session
    return dict(sorted(sessions.items()))
