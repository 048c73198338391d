"""Importing badges earned elsewhere: verification against a foreign issuer on a local server."""

import json
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
import urllib3.util.connection
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.domain.openbadges.checks import BadgeRejected, Reason
from core.lib.fetch import FetchRefused, check_address
from core.models import ImportedBadge, ImportSource, Status
from core.services.imports import imported_badge_create
from tests.support.factories import png_bytes

pytestmark = pytest.mark.django_db

BOB = "bob@cowork.net"


@pytest.fixture
def owner():
    return User.objects.create(username="bob")


def import_url(owner, url, emails=(BOB,)):
    return imported_badge_create(owner=owner, emails=list(emails), assertion_url=url)


def import_image(owner, content: bytes, name="badge.png", emails=(BOB,)):
    return imported_badge_create(owner=owner, emails=list(emails), image=SimpleUploadedFile(name, content))


def rejected(call, *args, **kwargs) -> BadgeRejected:
    with pytest.raises(BadgeRejected) as caught:
        call(*args, **kwargs)
    return caught.value


def stored_import_folders() -> set[str]:
    return set(default_storage.listdir("imports")[0]) if default_storage.exists("imports") else set()


# --- Valid badges ------------------------------------------------------------------


def test_a_valid_badge_imports_by_url_and_keeps_its_documents_and_image(fake_issuer, owner):
    document = fake_issuer.assertion("ok", BOB)

    imported = import_url(owner, document["id"])

    assert imported.source == ImportSource.URL
    assert imported.status == Status.ACTIVE
    assert imported.recipient_email == BOB
    assert imported.assertion == document
    assert imported.badge_class["name"] == imported.badge_name == "Python Programming"
    assert imported.issuer["name"] == imported.issuer_name == "Globex Academy"
    assert imported.issuer_url == "https://globex.example"
    with imported.image.open("rb") as image:
        assert image.read() == fake_issuer.image


def test_a_badge_issued_to_a_plain_email_imports(fake_issuer, owner):
    document = fake_issuer.assertion("plain", "Bob@Cowork.net", hashed=False)

    assert import_url(owner, document["id"]).recipient_email == BOB


def test_a_valid_baked_png_imports_and_keeps_the_uploaded_image(fake_issuer, owner):
    baked = fake_issuer.baked_png(fake_issuer.assertion("png", BOB))

    imported = import_image(owner, baked)

    assert imported.source == ImportSource.PNG
    with imported.image.open("rb") as image:
        assert image.read() == baked


def test_a_valid_baked_svg_imports(fake_issuer, owner):
    baked = fake_issuer.baked_svg(fake_issuer.assertion("svg", BOB))

    imported = import_image(owner, baked, name="badge.svg")

    assert imported.source == ImportSource.SVG
    assert imported.image.name.endswith(".svg")


def test_an_expiring_badge_not_yet_expired_imports_with_its_expiry(fake_issuer, owner):
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    document = fake_issuer.assertion("later", BOB, expires=expires)

    assert import_url(owner, document["id"]).expires_on == expires


def test_the_same_badge_cannot_be_imported_twice(fake_issuer, owner):
    document = fake_issuer.assertion("twice", BOB)
    import_url(owner, document["id"])

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.DUPLICATE
    assert ImportedBadge.objects.count() == 1


# --- Each refusal, with its own message ----------------------------------------------


def test_a_revoked_badge_is_refused_as_revoked_with_the_issuers_reason(fake_issuer, owner):
    document = fake_issuer.assertion("gone", BOB)
    fake_issuer.revoke("gone", reason="Exam fraud")

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.REVOKED
    assert "revoked" in error.message and "Exam fraud" in error.message
    assert not ImportedBadge.objects.exists()


def test_an_assertion_saying_revoked_true_is_refused_as_revoked(fake_issuer, owner):
    url = fake_issuer.json("/assertions/flag", {"id": fake_issuer.url("/assertions/flag"), "revoked": True})

    assert rejected(import_url, owner, url).reason == Reason.REVOKED


def test_an_expired_badge_is_refused_as_expired(fake_issuer, owner):
    document = fake_issuer.assertion("old", BOB, expires=datetime.now(UTC) - timedelta(days=1))

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.EXPIRED
    assert "expired" in error.message


def test_someone_elses_badge_is_refused_as_not_yours(fake_issuer, owner):
    document = fake_issuer.assertion("theirs", "mallory@example.com")

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.NOT_YOURS
    assert "someone else" in error.message and BOB in error.message


def test_a_baked_image_whose_recipient_was_edited_is_refused_as_tampered(fake_issuer, owner):
    hosted = fake_issuer.assertion("edited", "mallory@example.com")
    forged = {**hosted, "recipient": {"type": "email", "hashed": False, "identity": BOB}}

    error = rejected(import_image, owner, fake_issuer.baked_png(forged))

    assert error.reason == Reason.TAMPERED
    assert "tampered" in error.message and "recipient" in error.message


def test_a_baked_svg_whose_verify_url_and_assertion_disagree_is_refused_as_tampered(fake_issuer, owner):
    hosted = fake_issuer.assertion("svg-edit", BOB)
    baked = fake_issuer.baked_svg(hosted).replace(
        hosted["id"].encode(), fake_issuer.url("/assertions/other").encode(), 1
    )

    assert rejected(import_image, owner, baked, name="b.svg").reason == Reason.TAMPERED


def test_an_assertion_hosted_away_from_its_issuer_is_refused(fake_issuer, owner):
    document = fake_issuer.assertion("elsewhere", BOB)
    document["id"] = document["id"].replace("127.0.0.1", "localhost")
    fake_issuer.json("/assertions/elsewhere", document)

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.TAMPERED
    assert "not hosted by its issuer" in error.message


def test_a_web_page_that_is_not_a_badge_is_refused_as_not_a_badge(fake_issuer, owner):
    url = fake_issuer.route("/about", body=b"<html><body>Hello</body></html>", content_type="text/html")

    error = rejected(import_url, owner, url)

    assert error.reason == Reason.NOT_BADGE
    assert error.message.startswith("This is not an Open Badge")


def test_json_that_is_not_an_assertion_is_refused_as_not_a_badge(fake_issuer, owner):
    url = fake_issuer.json("/not-a-badge", {"hello": "world"})

    assert rejected(import_url, owner, url).reason == Reason.NOT_BADGE


def test_a_badge_class_missing_required_fields_is_refused_as_not_a_badge(fake_issuer, owner):
    fake_issuer.json("/badges/broken", {"type": "BadgeClass", "id": fake_issuer.url("/badges/broken")})
    document = fake_issuer.assertion("broken", BOB, badge=fake_issuer.url("/badges/broken"))

    error = rejected(import_url, owner, document["id"])

    assert error.reason == Reason.NOT_BADGE
    assert "badge class" in error.message


def test_a_missing_assertion_is_refused_as_unreachable(fake_issuer, owner):
    error = rejected(import_url, owner, fake_issuer.url("/assertions/nope"))

    assert error.reason == Reason.UNREACHABLE
    assert "404" in error.message


def test_a_server_that_is_down_is_refused_as_unreachable(fake_issuer, owner):
    url = fake_issuer.url("/assertions/x")
    fake_issuer.close()

    assert rejected(import_url, owner, url).reason == Reason.UNREACHABLE


def test_a_slow_server_times_out_as_unreachable(fake_issuer, owner, settings):
    settings.OPENBADGES_FETCH_TIMEOUT = 0.2
    url = fake_issuer.json("/assertions/slow", fake_issuer.assertion("slow", BOB))
    fake_issuer.server.routes["/assertions/slow"].delay = 1.0

    error = rejected(import_url, owner, url)

    assert error.reason == Reason.UNREACHABLE
    assert "in time" in error.message


def test_an_oversized_answer_is_refused_as_too_large(fake_issuer, owner, settings):
    settings.OPENBADGES_FETCH_MAX_BYTES = 10_000
    url = fake_issuer.route("/assertions/huge", body=b"{" + b" " * 20_000 + b"}")

    error = rejected(import_url, owner, url)

    assert error.reason == Reason.TOO_LARGE
    assert "larger than" in error.message


# --- Bounded fetching ----------------------------------------------------------------


@pytest.fixture
def connections(monkeypatch):
    """Every address a connection is opened to."""
    opened: list[str] = []
    original = urllib3.util.connection.create_connection

    def spy(address, *args, **kwargs):
        opened.append(address[0])
        return original(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", spy)
    return opened


@pytest.mark.parametrize("private", ["http://10.0.0.1/assertion", "http://169.254.169.254/latest/meta-data/"])
def test_a_redirect_to_a_private_address_is_refused_without_connecting(
    fake_issuer, owner, settings, connections, private
):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    settings.OPENBADGES_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # only the fake issuer
    url = fake_issuer.route("/assertions/jump", status=302, headers={"Location": private})

    error = rejected(import_url, owner, url)

    assert error.reason == Reason.REFUSED
    assert "private or reserved network address" in error.message
    assert set(connections) == {"127.0.0.1"}


def test_a_host_that_resolves_to_loopback_is_refused_when_private_addresses_are_off(
    fake_issuer, owner, settings, connections
):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    url = fake_issuer.url("/assertions/x").replace("127.0.0.1", "localhost")

    error = rejected(import_url, owner, url)
    assert error.reason == Reason.REFUSED
    assert connections == []
    # The refusal names the host the user gave, never the address it resolved to:
    # a probe of our network learns nothing from it.
    assert "127.0.0.1" not in error.message and "::1" not in error.message


def test_too_many_redirects_are_refused(fake_issuer, owner, settings):
    settings.OPENBADGES_FETCH_MAX_REDIRECTS = 2
    for hop in range(4):
        fake_issuer.route(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})

    error = rejected(import_url, owner, fake_issuer.url("/hop0"))

    assert error.reason == Reason.REFUSED
    assert "redirects more than 2 times" in error.message
    assert fake_issuer.requests == ["/hop0", "/hop1", "/hop2"]


def test_a_redirect_within_the_limit_is_followed(fake_issuer, owner):
    document = fake_issuer.assertion("moved", BOB)
    url = fake_issuer.route("/short", status=301, headers={"Location": "/assertions/moved"})

    assert import_url(owner, url).assertion_url == document["id"]


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",  # noqa: S104
     "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
     # IPv6 forms carrying a private IPv4 address: mapped, compatible, translated, NAT64, 6to4, Teredo
     "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1", "::ffff:0:7f00:1", "64:ff9b::7f00:1",
     "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::1",
     "2001:0:4136:e378:8000:63bf:3fff:fdd2", "fec0::1", "fe80::1%eth0"],
)  # fmt: skip
def test_private_loopback_link_local_and_reserved_addresses_are_refused(settings, address):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False

    with pytest.raises(FetchRefused, match="private or reserved network address"):
        check_address(address)


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:291a", "::ffff:93.184.215.14", "64:ff9b::5db8:d70e"],
)
def test_public_addresses_are_allowed(settings, address):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False

    check_address(address, 443)  # does not raise


def test_public_addresses_are_fetched_on_the_allowed_ports_only(settings):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False

    check_address("93.184.215.14", 80)
    with pytest.raises(FetchRefused, match="it uses port 8080, and only ports 80, 443 are fetched"):
        check_address("93.184.215.14", 8080)
    settings.OPENBADGES_FETCH_ALLOWED_PORTS = [80, 443, 8080]
    check_address("93.184.215.14", 8080)


def test_an_allowed_private_network_may_use_any_port(settings):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    settings.OPENBADGES_FETCH_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    check_address("10.20.3.4", 8443)  # does not raise


@pytest.mark.parametrize("url", ["http://issuer.example:8080/a", "https://issuer.example:22/a"])
def test_a_public_host_on_another_port_is_refused_without_connecting(
    owner, settings, monkeypatch, connections, url
):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))],
    )

    error = rejected(import_url, owner, url)

    assert error.reason == Reason.REFUSED
    assert "only ports 80, 443 are fetched" in error.message
    assert connections == []


def test_an_allowed_private_network_is_fetched_and_its_neighbours_are_not(settings):
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    settings.OPENBADGES_FETCH_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    check_address("10.20.3.4")  # does not raise
    with pytest.raises(FetchRefused):
        check_address("10.21.0.1")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/a.json", "gopher://x/"])
def test_only_http_and_https_addresses_are_fetched(owner, url):
    assert rejected(import_url, owner, url).reason == Reason.REFUSED


# --- Uploads -----------------------------------------------------------------------


def test_an_upload_that_is_not_an_image_is_refused_and_nothing_is_stored(owner):
    before = stored_import_folders()

    error = rejected(import_image, owner, b"%PDF-1.7 not an image", name="cv.pdf")

    assert error.reason == Reason.BAD_UPLOAD
    assert "not a PNG or SVG image" in error.message
    assert not ImportedBadge.objects.exists()
    assert stored_import_folders() == before


def test_an_image_that_is_not_baked_is_refused_as_not_a_badge(owner):
    error = rejected(import_image, owner, png_bytes())

    assert error.reason == Reason.NOT_BADGE
    assert "not baked" in error.message


def test_an_account_without_email_cannot_import(fake_issuer, owner):
    document = fake_issuer.assertion("noemail", BOB)

    assert rejected(import_url, owner, document["id"], emails=()).reason == Reason.NO_EMAIL


# --- One deadline for a whole import ---------------------------------------------------


@pytest.fixture
def deadline(settings):
    """Each read answers within the per-read timeout; the whole import has one second."""
    settings.OPENBADGES_FETCH_TIMEOUT = 0.5
    settings.OPENBADGES_FETCH_TOTAL_TIMEOUT = 1.0
    return 1.0


def timed_rejection(*args) -> tuple[BadgeRejected, float]:
    started = time.monotonic()
    error = rejected(*args)
    return error, time.monotonic() - started


@pytest.mark.parametrize("trickle_all", [False, True], ids=["body", "status line and headers"])
def test_a_server_trickling_its_answer_is_cut_off_at_the_deadline(fake_issuer, owner, deadline, trickle_all):
    body = json.dumps(fake_issuer.assertion("trickle", BOB)).encode()  # ~400 bytes: 20 s at this pace
    url = fake_issuer.route("/assertions/trickle", body=body, trickle=0.05, trickle_all=trickle_all)

    error, elapsed = timed_rejection(import_url, owner, url)

    assert error.reason == Reason.UNREACHABLE
    assert "did not answer in time" in error.message
    assert elapsed < deadline + 0.75


def test_slow_redirect_hops_share_one_deadline(fake_issuer, owner, settings, deadline):
    settings.OPENBADGES_FETCH_MAX_REDIRECTS = 5
    document = fake_issuer.assertion("far", BOB)
    for hop in range(4):
        target = f"/hop{hop + 1}" if hop < 3 else "/assertions/far"
        fake_issuer.route(f"/hop{hop}", status=302, headers={"Location": target}, delay=0.35)

    error, elapsed = timed_rejection(import_url, owner, fake_issuer.url("/hop0"))

    assert error.reason == Reason.UNREACHABLE
    assert "did not answer in time" in error.message
    assert elapsed < deadline + 0.75
    assert "/assertions/far" not in fake_issuer.requests, document


def test_the_documents_of_one_import_share_one_deadline(fake_issuer, owner, deadline):
    document = fake_issuer.assertion("slowly", BOB)
    for path in ("/assertions/slowly", "/badges/python", "/issuer", "/badges/python/image.png"):
        fake_issuer.server.routes[path].delay = 0.35  # each one in time, not all of them

    error, elapsed = timed_rejection(import_url, owner, document["id"])

    assert error.reason == Reason.UNREACHABLE
    assert "We could not reach the issuer at" in error.message and "in time" in error.message
    assert elapsed < deadline + 0.75
