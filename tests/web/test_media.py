"""Uploaded files: badge designs are public, everything else is not served."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from tests.support.factories import make_badge, png_bytes

pytestmark = pytest.mark.django_db


def test_a_badge_image_is_served_to_anyone():
    badge = make_badge()
    response = Client().get(badge.image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    ["imports/0123abcd/private.png", "badges/../imports/0123abcd/private.png", "badges/notes.txt"],
)
def test_files_outside_the_badge_folder_are_not_served(path):
    default_storage.save("imports/0123abcd/private.png", ContentFile(png_bytes()))
    default_storage.save("badges/notes.txt", ContentFile(b"hello"))
    assert Client().get(f"/media/{path}").status_code == 404
