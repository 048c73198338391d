"""Downloads: my badges as a zip, and what someone with nothing to download is told."""

import pytest
from django.urls import reverse

from core.web.views.exports import NOTHING_TO_EXPORT
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def test_someone_with_no_badge_gets_a_message_not_an_empty_zip(xia):
    response = xia.get(reverse("me-export"), follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert str(NOTHING_TO_EXPORT) in response.content.decode()


def test_the_export_is_offered_only_when_there_is_something_in_it(xia, bob):
    for page in ("home", "imports"):
        assert reverse("me-export") not in xia.get(reverse(page)).content.decode()
    award(make_badge(), "bob@cowork.net")
    for page in ("home", "imports"):
        assert reverse("me-export") in bob.get(reverse(page)).content.decode()
    response = bob.get(reverse("me-export"))
    assert response["Content-Type"] == "application/zip"
    assert len(b"".join(response.streaming_content)) > 22  # 22 bytes is a zip with nothing in it
