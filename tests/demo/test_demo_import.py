"""The demo issuer: in development, bob can try importing a badge from another issuer."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from core.demo.seed import DEMO_ISSUER, demo_import_url
from core.models import ImportedBadge


# One test: the live server's transactional database is flushed after it, demo data included.
@pytest.mark.django_db(transaction=True)
def test_bob_imports_the_demo_issuers_badge_in_development_only(demo, live_server, settings, client_as):
    settings.BADGEAPP_BASE_URL = live_server.url
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    url = demo_import_url()
    assert url.startswith(f"{live_server.url}/ob/assertions/")
    assert urlsplit(url).path in demo  # seed_demo says what to paste
    bob = client_as("bob")

    # Production's rules: the development server's own address is never fetched.
    bob.post(reverse("imports"), {"assertion_url": url})  # checked on commit (at once here)
    assert "private or reserved network address" in bob.get(reverse("imports")).content.decode()
    assert not ImportedBadge.objects.exists()

    # What `make run` sets: development, with loopback fetches.
    settings.DEBUG = True
    settings.OPENBADGES_FETCH_LOOPBACK = True
    bob.post(reverse("imports"), {"assertion_url": url})

    assert "is verified and added" in bob.get(reverse("imports")).content.decode()
    imported = ImportedBadge.objects.get()
    assert (imported.badge_name, imported.issuer_name) == ("Open Badges Explorer", DEMO_ISSUER.printable_name)
