"""Managers design, edit and archive badges through the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Award, Badge
from core.services.awards import award_batch_create, award_revoke
from core.services.badges import IMAGE_REQUIRED, badge_update
from core.services.recipients import Recipient
from tests.support.factories import SVG, award, make_badge, png_bytes, png_upload, svg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(alice):
    alice.get(reverse("home"))
    return alice


def form_data(**overrides):
    data = {
        "name": "Premiers secours 🚑",
        "slug": "",
        "description": "Sait porter secours.",
        "criteria_narrative": "A suivi la formation de deux jours.",
        "criteria_url": "",
        "image_url": "",
        "tags": "santé, sécurité, santé",
        "validity_days": "730",
    }
    return {**data, **overrides}


def test_designing_a_badge_with_a_png_upload(manager):
    response = manager.post(reverse("badge-create", args=["cowork"]), form_data(image=png_upload()))
    badge = Badge.objects.get(organisation__slug="cowork")
    assert response.status_code == 302
    assert response["Location"] == reverse("badge-detail", args=["cowork", badge.slug])
    assert badge.slug == "premiers-secours"  # suggested from the name
    assert badge.name == "Premiers secours 🚑"
    assert badge.tags == ["santé", "sécurité"]
    assert badge.validity_days == 730
    assert badge.image.name.endswith(".png")


def test_an_uploaded_svg_is_stored_cleaned(manager):
    dirty = SVG.replace(b"<circle", b'<script>alert(1)</script><circle onclick="x()"')
    manager.post(reverse("badge-create", args=["cowork"]), form_data(image=svg_upload(dirty)))
    badge = Badge.objects.get()
    stored = badge.image.read()
    assert b"<circle" in stored and b"script" not in stored and b"onclick" not in stored
    served = manager.get(badge.image.url)
    assert served["Content-Type"] == "image/svg+xml"
    assert "sandbox" in served["Content-Security-Policy"]


def test_an_https_image_url_instead_of_an_upload(manager):
    manager.post(
        reverse("badge-create", args=["cowork"]), form_data(image_url="https://cdn.example.com/b.png")
    )
    assert Badge.objects.get().image_src == "https://cdn.example.com/b.png"


def test_an_http_image_url_is_refused_and_nothing_is_lost(manager):
    response = manager.post(
        reverse("badge-create", args=["cowork"]), form_data(image_url="http://cdn.example.com/b.png")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "must start with https://" in body
    assert "Premiers secours 🚑" in body and "A suivi la formation" in body  # the input is kept
    assert not Badge.objects.exists()


def test_a_badge_needs_an_image(manager):
    response = manager.post(reverse("badge-create", args=["cowork"]), form_data())
    assert "Upload a PNG or SVG image, or give an https image URL." in response.content.decode()
    assert not Badge.objects.exists()


def test_a_missing_image_is_named_with_the_other_problems_at_the_first_submit(manager):
    response = manager.post(reverse("badge-create", args=["cowork"]), form_data(name="", description=""))
    errors = response.context["form"].errors
    assert set(errors) == {"name", "description", "image"}  # one round: nothing held back
    assert errors["image"] == [str(IMAGE_REQUIRED)]
    assert not Badge.objects.exists()


def test_editing_a_badge_does_not_ask_again_for_the_image_it_has(manager):
    badge = make_badge()
    response = manager.post(reverse("badge-edit", args=["cowork", badge.slug]), form_data(name=""))
    assert set(response.context["form"].errors) == {"name"}


def test_a_fake_image_is_refused(manager):
    fake = SimpleUploadedFile("cut.png", png_bytes()[:40])  # a PNG cut short
    response = manager.post(reverse("badge-create", args=["cowork"]), form_data(image=fake))
    assert "not a real image" in response.content.decode()
    assert not Badge.objects.exists()


def test_slugs_are_unique_within_an_organisation(manager):
    make_badge(name="First aid", slug="first-aid")
    response = manager.post(
        reverse("badge-create", args=["cowork"]), form_data(slug="first-aid", image=png_upload())
    )
    assert "already has a badge with this slug" in response.content.decode()
    assert Badge.objects.count() == 1
    # The same slug in another organisation is fine.
    assert make_badge(org="snakeoil", name="First aid", slug="first-aid").slug == "first-aid"


@pytest.mark.parametrize("slug", ["First-Aid", "first_aid", "first--aid", "-first", "é"])
def test_bad_slugs_are_explained(manager, slug):
    response = manager.post(
        reverse("badge-create", args=["cowork"]), form_data(slug=slug, image=png_upload())
    )
    assert "Use lowercase letters, digits and single hyphens" in response.content.decode()


def test_editing_a_badge_keeps_its_image(manager):
    badge = make_badge()
    image_name = badge.image.name
    response = manager.post(
        reverse("badge-edit", args=["cowork", badge.slug]),
        form_data(name="First Aid at Work (2026)", slug=badge.slug, tags="health"),
    )
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.name == "First Aid at Work (2026)" and badge.tags == ["health"]
    assert badge.image.name == image_name


def test_the_edit_form_is_prefilled(manager):
    badge = make_badge(tags=["health", "safety"])
    body = manager.get(reverse("badge-edit", args=["cowork", badge.slug])).content.decode()
    assert 'value="First Aid at Work"' in body and 'value="health, safety"' in body


def test_archiving_and_restoring(manager):
    badge = make_badge()
    award(badge, "bob@cowork.net")
    manager.post(reverse("badge-archive", args=["cowork", badge.slug]), {"action": "archive"})
    badge.refresh_from_db()
    assert badge.is_archived
    page = manager.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
    assert "Archived" in page and "Award this badge" not in page
    assert manager.get(reverse("award-create", args=["cowork", badge.slug])).status_code == 200
    response = manager.post(reverse("award-create", args=["cowork", badge.slug]), {"recipients": "new@x.org"})
    assert "archived" in response.content.decode()
    manager.post(reverse("badge-archive", args=["cowork", badge.slug]), {"action": "restore"})
    badge.refresh_from_db()
    assert not badge.is_archived


def _holder_count(body: str) -> str:
    return body.split('data-testid="holder-count">')[1].split("<")[0]


def test_the_badge_list_and_the_badge_page_count_holders_the_same_way(manager):
    """One phrase, one count: valid awards. Expired and revoked ones are counted by status."""
    badge = make_badge()
    award(badge, "a@x.org")
    award(badge, "b@x.org")
    expired = award(badge, "c@x.org")
    Award.objects.filter(pk=expired.pk).update(expires_on=timezone.now() - timedelta(days=1))
    award_revoke(award=award(badge, "d@x.org"), actor=None, reason="Mistake.")
    listed = manager.get(reverse("badge-list", args=["cowork"])).content.decode()
    page = manager.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
    assert _holder_count(listed) == _holder_count(page) == "2 valid holders"
    for label in ("All (4)", "Valid (2)", "Expired (1)", "Revoked (1)"):  # the status filter
        assert label in page


def test_holder_counts_are_kept_until_an_award_is_made_or_revoked(manager):
    badge = make_badge()
    first = award(badge, "a@x.org")
    url = reverse("badge-list", args=["cowork"])
    assert _holder_count(manager.get(url).content.decode()) == "1 valid holder"
    award(badge, "b@x.org")
    assert _holder_count(manager.get(url).content.decode()) == "2 valid holders"
    award_revoke(award=first, actor=None, reason="Mistake.")
    assert _holder_count(manager.get(url).content.decode()) == "1 valid holder"


def test_the_holders_page_count_follows_new_awards(manager):
    badge = make_badge()
    url = reverse("badge-detail", args=["cowork", badge.slug])
    award_batch_create(badge=badge, actor=None, recipients=[Recipient(f"p{n}@x.org") for n in range(26)])
    assert "Page 1 of 2" in manager.get(url).content.decode()
    award_batch_create(badge=badge, actor=None, recipients=[Recipient(f"q{n}@x.org") for n in range(25)])
    assert "Page 1 of 3" in manager.get(url).content.decode()


def test_the_badge_list_pages_by_fifty(manager):
    for n in range(51):
        make_badge(name=f"Badge {n:02}", image_url="https://img.example.com/b.png")
    url = reverse("badge-list", args=["cowork"])
    first, second = manager.get(url).content.decode(), manager.get(url, {"page": 2}).content.decode()
    assert "Badge 00" in first and "Badge 49" in first and "Badge 50" not in first
    assert "Badge 50" in second and "Badge 00" not in second
    assert "Page 1 of 2" in first and "?page=2" in first


def test_a_member_sees_the_badge_and_whether_they_hold_it(bob):
    bob.get(reverse("home"))
    badge = make_badge()
    body = bob.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
    assert "You do not hold this badge yet." in body and "Completed the two-day course" in body
    assert "Award this badge" not in body and "Holders" not in body
    award(badge, "bob@cowork.net")
    assert (
        "You hold this badge."
        in bob.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
    )


def test_a_slug_is_fixed_once_the_badge_is_awarded(manager):
    badge = make_badge()
    award(badge, "bob@cowork.net")
    url = reverse("badge-edit", args=["cowork", badge.slug])
    assert "Fixed once awarded" in manager.get(url).content.decode()
    manager.post(url, form_data(name="Renamed", slug="another-slug"))
    badge.refresh_from_db()
    assert badge.name == "Renamed" and badge.slug == "first-aid-at-work"  # the disabled field keeps it
    with pytest.raises(ValidationError, match="can no longer change"):
        badge_update(badge=badge, actor=None, slug="another-slug")


def test_a_slug_can_change_before_any_award(manager):
    badge = badge_update(badge=make_badge(), actor=None, slug="first-aid-v2")
    assert badge.slug == "first-aid-v2"


@pytest.mark.parametrize("days", [0, 36501, 10**12])
def test_validity_outside_a_century_is_refused(days):
    with pytest.raises(ValidationError, match="from 1 to 36500"):
        make_badge(validity_days=days)


def test_holder_search_survives_a_nul_character(manager):
    badge = make_badge()
    award(badge, "zoe@x.org", "Zoë")
    response = manager.get(reverse("badge-detail", args=["cowork", badge.slug]), {"q": "zo\x00"})
    assert response.status_code == 200 and "Zoë" in response.content.decode()
