"""What every request meets before a view: the body cap, the page headers."""

import io

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.urls import reverse

from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db

TWO_HUNDRED_MB = 200 * 1024 * 1024


class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes, made up as it is read, counting what was read."""

    def __init__(self, size: int, prefix: bytes = b""):
        self.size, self.prefix, self.read_bytes = size, prefix, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.read_bytes)
        chunk = (self.prefix + b"x" * count)[self.read_bytes : self.read_bytes + count]
        chunk = chunk.ljust(count, b"x")
        buffer[:count] = chunk
        self.read_bytes += count
        return count


def wsgi_post(path: str, body: CountingBody, **extra) -> tuple[str, dict]:
    """POST through Django's own WSGI handler, as gunicorn would call it."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body),
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy",
        "CONTENT_LENGTH": str(body.size),
        **extra,
    }
    status = {}

    def start_response(line, headers, exc_info=None):
        status["line"], status["headers"] = line, dict(headers)

    b"".join(WSGIHandler()(environ, start_response))
    return status["line"], status["headers"]


class TestRequestBodyCap:
    def test_a_200_mb_anonymous_post_is_refused_unread(self):
        award_id = award(make_badge(), "bob@cowork.net").pk
        # A public path, a CSRF cookie and a wrong token: the CSRF check reads the
        # form (spooling its file to disk) before it can say no.
        secret = _get_new_csrf_string()
        part = b'--BoUnDaRy\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
        body = CountingBody(TWO_HUNDRED_MB, prefix=part)
        line, headers = wsgi_post(
            reverse("award-check-email", args=[award_id]),
            body,
            HTTP_COOKIE=f"{settings.CSRF_COOKIE_NAME}={_mask_cipher_secret(secret)}",
        )
        assert line.startswith("413")
        assert body.read_bytes == 0
        assert headers["X-Frame-Options"] == "DENY"

    def test_a_200_mb_post_without_a_session_is_refused_unread(self):
        body = CountingBody(TWO_HUNDRED_MB)
        line, _ = wsgi_post(reverse("imports"), body)
        assert line[:3] in ("403", "413")
        assert body.read_bytes == 0

    def test_the_largest_legitimate_upload_fits(self, alice):
        from core.services.recipients import MAX_CSV_BYTES

        badge = make_badge()
        # A recipients CSV at its own limit, with the rest of the form.
        header = b"email,name\n"
        row = b"someone@cowork.net,Someone\n"
        content = header + row * ((MAX_CSV_BYTES - len(header)) // len(row))
        assert len(content) <= MAX_CSV_BYTES < settings.REQUEST_BODY_MAX_BYTES
        csv_file = io.BytesIO(content)
        csv_file.name = "people.csv"
        response = alice.post(
            reverse("award-create", args=["cowork", badge.slug]),
            {"csv_file": csv_file, "narrative": "n" * 10_000},
        )
        assert response.status_code != 413

    def test_over_the_limit_the_api_answers_its_own_shape(self, alice):
        response = alice.generic(
            "POST",
            reverse("api-my-imports"),
            b"{}",
            content_type="application/json",
            CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1),
        )
        assert response.status_code == 413
        assert set(response.json()) == {"message", "extra"}

    def test_over_the_limit_a_page_answers_the_styled_413(self, alice):
        response = alice.generic(
            "POST", reverse("imports"), b"", CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1)
        )
        assert response.status_code == 413
        assert 'class="navbar' in response.content.decode()


class TestPageHeaders:
    @pytest.mark.parametrize("persona", ["alice", "anon"])
    def test_every_page_has_a_content_security_policy(self, persona, client_as):
        client = Client() if persona == "anon" else client_as(persona)
        badge = make_badge()
        given = award(badge, "bob@cowork.net")
        for url in [reverse("award-detail", args=[given.pk])] + (
            [reverse("home"), reverse("badge-detail", args=["cowork", badge.slug])]
            if persona != "anon"
            else []
        ):
            policy = client.get(url)["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
            assert "object-src 'none'" in policy

    def test_templates_have_no_inline_script_or_style(self):
        import re
        from pathlib import Path

        for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
            html = template.read_text()
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), template
            assert not re.search(r"\son[a-z]+=", html), template  # onclick= and the like
            assert "<style" not in html and " style=" not in html, template

    def test_images_keep_their_own_sandboxing_policy(self, alice):
        badge = make_badge()
        policy = Client().get(badge.image.url)["Content-Security-Policy"]
        assert "sandbox" in policy


class TestWithoutASession:
    """A request without a session: the proxy's 403, except for development's pages."""

    def test_in_development_a_page_points_to_the_mockup_login(self, settings):
        settings.DEBUG = True

        response = Client().get(reverse("home"))

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/"

    def test_in_development_the_api_keeps_its_403(self, settings):
        settings.DEBUG = True

        assert Client().get(reverse("api-my-imports")).status_code == 403

    def test_in_production_a_page_answers_the_403_the_proxy_expects(self, settings):
        settings.DEBUG = False
        settings.MOCKUP_LOGIN = True  # on in the suite: DEBUG alone decides

        assert Client().get(reverse("home")).status_code == 403
