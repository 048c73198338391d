"""Demo data for development, built through the same services as real use."""

from django.contrib.auth.models import User

from core.identity import SessionIdentity
from core.mockups import load_mockup_sessions
from core.services.identity import identity_sync


def seed_demo() -> str:
    """Create the mockup users and their organisations, as their first visit would."""
    identities = [SessionIdentity.from_session(s) for s in load_mockup_sessions().values()]
    for identity in identities:
        user, _ = User.objects.get_or_create(username=identity.username)
        identity_sync(user=user, identity=identity)
    return f"{len(identities)} mockup users"
