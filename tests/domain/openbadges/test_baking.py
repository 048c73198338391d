"""Baked images: every award downloads as a PNG (and an SVG when drawn in SVG) carrying its assertion."""

import io
import json
import uuid
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from openbadges_bakery import unbake as bakery_unbake
from PIL import Image

from core.domain.credentials.baking import unbake_png, unbake_svg
from core.domain.openbadges import badge_images
from core.domain.openbadges.baking import unbake
from core.domain.openbadges.verify import verify_image
from core.models import Badge
from core.services.awards import award_revoke
from tests.support.factories import SVG, make_badge, svg_upload
from tests.support.factories import award as make_award

BOB = "bob@cowork.net"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def hosted_assertion(award) -> dict:
    response = Client().get(reverse("ob-assertion", args=[award.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def download(name: str, award) -> bytes:
    response = Client().get(reverse(name, args=[award.pk]))
    assert response.status_code == 200, response.content
    return response.content


@pytest.fixture
def live_base(live_server, settings):
    """The app on a real port, its ids built from that port, so the verifier can fetch them."""
    settings.BADGEAPP_BASE_URL = live_server.url
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = True
    return live_server.url


@pytest.mark.django_db
def test_the_baked_png_carries_the_hosted_assertion():
    award = make_award(make_badge(), BOB)

    baked = download("award-baked-png", award)

    assert baked.startswith(PNG_SIGNATURE)
    assert json.loads(bakery_unbake(io.BytesIO(baked))) == hosted_assertion(award)
    assert json.loads(unbake(baked).text) == hosted_assertion(award)


@pytest.mark.django_db
def test_the_baked_svg_carries_the_hosted_assertion_and_its_url():
    award = make_award(make_badge(image=svg_upload()), BOB)

    baked = download("award-baked-svg", award)
    carried = unbake(baked)

    assert b'xmlns:openbadges="http://openbadges.org"' in baked
    assert json.loads(carried.text) == hosted_assertion(award)
    assert carried.verify_url == hosted_assertion(award)["id"]
    assert bakery_unbake(io.BytesIO(baked)) == carried.verify_url  # what the bakery itself reads back


@pytest.mark.django_db
def test_an_svg_badge_also_downloads_as_a_baked_png():
    award = make_award(make_badge(image=svg_upload()), BOB)

    baked = download("award-baked-png", award)

    assert baked.startswith(PNG_SIGNATURE)
    assert json.loads(unbake(baked).text)["id"] == hosted_assertion(award)["id"]


@pytest.mark.django_db
def test_a_png_badge_has_no_baked_svg():
    award = make_award(make_badge(), BOB)

    assert Client().get(reverse("award-baked-svg", args=[award.pk])).status_code == 404


@pytest.mark.django_db
def test_a_narrative_containing_a_cdata_end_still_bakes_into_svg():
    award = make_award(make_badge(image=svg_upload()), BOB, narrative="Handled ]]> like a pro <3")

    carried = unbake(download("award-baked-svg", award))

    assert json.loads(carried.text)["narrative"] == "Handled ]]> like a pro <3"


@pytest.mark.django_db
def test_a_revoked_award_no_longer_downloads_as_a_baked_image():
    award = make_award(make_badge(image=svg_upload()), BOB)
    award_revoke(award=award, actor=None, reason="Withdrawn")
    client = Client()

    assert client.get(reverse("award-baked-png", args=[award.pk])).status_code == 410
    assert client.get(reverse("award-baked-svg", args=[award.pk])).status_code == 410


@pytest.mark.django_db
def test_a_badge_with_an_image_url_bakes_the_fetched_image(fake_issuer):
    badge = make_badge(image_url="https://img.example.com/b.png")
    Badge.objects.filter(pk=badge.pk).update(image_url=fake_issuer.url("/badges/python/image.png"))
    award = make_award(Badge.objects.get(pk=badge.pk), BOB)

    baked = download("award-baked-png", award)

    assert fake_issuer.requests == ["/badges/python/image.png"]
    assert baked.startswith(PNG_SIGNATURE) and json.loads(unbake(baked).text)["id"].endswith(str(award.pk))
    download("award-baked-png", award)
    assert fake_issuer.requests == ["/badges/python/image.png"]  # fetched once, then kept


@pytest.mark.django_db
def test_a_badge_whose_image_url_is_unreachable_bakes_a_placeholder(fake_issuer):
    badge = make_badge(image_url="https://img.example.com/b.png")
    Badge.objects.filter(pk=badge.pk).update(image_url=fake_issuer.url("/missing.png"))
    fake_issuer.route("/missing.png", status=500)
    award = make_award(Badge.objects.get(pk=badge.pk), BOB)

    baked = download("award-baked-png", award)

    assert baked.startswith(PNG_SIGNATURE) and unbake(baked).text
    download("award-baked-png", award)
    # The failure is remembered: public requests do not each fetch it again.
    assert fake_issuer.requests == ["/missing.png"]


# --- Badge images that cannot be drawn ---------------------------------------------

SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
UNDRAWABLE_SVGS = {
    "self-use": SVG_HEAD + b'<use id="a" href="#a"/></svg>',
    "empty-viewbox": SVG_HEAD.replace(b"0 0 10 10", b"0 0 0 0") + b'<rect width="5" height="5"/></svg>',
    "use-bomb": SVG_HEAD
    + b"".join(b'<g id="l%d">' % i + b'<use href="#l%d"/>' % (i + 1) * 10 + b"</g>" for i in range(6))
    + b'<rect id="l6" width="1" height="1"/></svg>',
    "cairo-fails": SVG_HEAD + b'<text font-size="1e308">x</text></svg>',  # passes the cleaner
}


def png_size(content: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(content)) as image:
        return image.size


def badge_with_stored_image(name: str, content: bytes | None) -> Badge:
    """A badge whose file was stored as is, before uploads were checked as they are now."""
    badge = make_badge(image=svg_upload())
    if content is not None:
        name = default_storage.save(name, ContentFile(content))
    Badge.objects.filter(pk=badge.pk).update(image=name)
    return Badge.objects.get(pk=badge.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("svg", UNDRAWABLE_SVGS.values(), ids=UNDRAWABLE_SVGS.keys())
def test_a_stored_svg_that_cannot_be_drawn_publishes_a_placeholder_once(svg, client_as, monkeypatch):
    badge = badge_with_stored_image(f"badges/cowork/old-{uuid.uuid4().hex}.svg", svg)
    award = make_award(badge, BOB)
    attempts = []
    clean_svg = badge_images.clean_svg
    monkeypatch.setattr(badge_images, "clean_svg", lambda content: attempts.append(1) or clean_svg(content))

    baked = download("award-baked-png", award)
    assert png_size(baked) == (256, 256)  # the placeholder
    assert json.loads(unbake(baked).text)["id"] == hosted_assertion(award)["id"]
    image = Client().get(reverse("ob-badgeclass-image", args=[badge.organisation.slug, badge.slug]))
    assert image.status_code == 200 and png_size(image.content) == (256, 256)
    export = client_as("bob").get(reverse("me-export"))
    assert export.status_code == 200
    assert len(attempts) == 1  # the placeholder is kept: the SVG is not drawn again on every request


@pytest.mark.django_db
def test_a_badge_whose_stored_file_is_missing_bakes_a_placeholder():
    award = make_award(badge_with_stored_image("badges/cowork/gone.png", None), BOB)

    assert png_size(download("award-baked-png", award)) == (256, 256)


@pytest.mark.django_db
def test_an_uploaded_svg_publishes_the_png_drawn_when_it_was_checked(monkeypatch):
    award = make_award(make_badge(image=svg_upload()), BOB)

    def no_second_drawing(svg):
        raise AssertionError("drawn again")

    monkeypatch.setattr("core.domain.openbadges.badge_images.draw_svg_png", no_second_drawing)
    assert png_size(download("award-baked-png", award)) == (512, 512)


# --- Round trips through our own verifier, over HTTP ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_baked_png_round_trips_through_verification(live_base):
    award = make_award(make_badge(), BOB)

    verified = verify_image(download("award-baked-png", award), [BOB])

    assert verified.assertion == hosted_assertion(award)
    assert verified.badge_class["name"] == "First Aid at Work"
    assert verified.issuer["name"] == "Chamoix Coworking"
    assert verified.recipient_email == BOB


@pytest.mark.django_db(transaction=True)
def test_a_baked_svg_round_trips_through_verification(live_base):
    award = make_award(make_badge(image=svg_upload(SVG)), BOB)

    verified = verify_image(download("award-baked-svg", award), [BOB])

    assert verified.assertion["id"] == f"{live_base}/ob/assertions/{award.pk}"
    assert verified.image_kind == "svg"


# --- Export ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_employee_downloads_all_their_badges_as_one_zip(client_as):
    png_award = make_award(make_badge(name="First Aid"), BOB)
    svg_award = make_award(make_badge(name="Drawn", image=svg_upload()), BOB)
    revoked = make_award(make_badge(name="Withdrawn"), BOB)
    award_revoke(award=revoked, actor=None, reason="No")
    someone_elses = make_award(make_badge(name="Other"), "carol@cowork.net")

    response = client_as("bob").get(reverse("me-export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    # Each award's 2.0 assertion and baked image(s), and the same for its 3.0 credential.
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["json"] * 4 + ["png"] * 4 + ["svg"] * 2
    for award in (png_award, svg_award):
        stem = f"{award.badge.slug}-{str(award.pk)[:8]}"
        assert json.loads(archive.read(f"{stem}.json")) == hosted_assertion(award)
        assert json.loads(unbake(archive.read(f"{stem}.png")).text)["id"] == hosted_assertion(award)["id"]
        credential = json.loads(archive.read(f"{stem}.credential.json"))
        assert credential["id"].endswith(f"/ob/credentials/{award.pk}")
        assert json.loads(unbake_png(archive.read(f"{stem}.credential.png"))) == credential
    svg_stem = f"drawn-{str(svg_award.pk)[:8]}"
    baked_svg = unbake_svg(archive.read(f"{svg_stem}.credential.svg"))
    assert json.loads(baked_svg)["id"].endswith(str(svg_award.pk))
    assert json.loads(unbake(archive.read(names[names.index(f"drawn-{str(svg_award.pk)[:8]}.svg")])).text)
    assert not any(str(a.pk)[:8] in "".join(names) for a in (revoked, someone_elses))


@pytest.mark.django_db
def test_the_export_needs_a_session():
    assert Client().get(reverse("me-export")).status_code == 403


@pytest.mark.django_db
def test_the_export_answers_only_get(bob):
    assert bob.post(reverse("me-export")).status_code == 405
