"""The OpenAPI schema describes every endpoint, and the docs page needs no CDN."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.api import urls as api_urls

pytestmark = pytest.mark.django_db

CONVERTER_RE = re.compile(r"<(?:\w+:)?(\w+)>")
UNDOCUMENTED = {"api-schema", "api-docs"}


def api_paths() -> set[str]:
    """Every API route, written the OpenAPI way (``/api/orgs/{org}/badges/``)."""
    prefix = reverse("api-me").removesuffix("me/")
    return {
        prefix + CONVERTER_RE.sub(r"{\1}", str(pattern.pattern))
        for pattern in api_urls.urlpatterns
        if pattern.name not in UNDOCUMENTED
    } | {reverse("xapi-statements")}  # the xAPI push endpoint, documented beside the API


def test_the_schema_is_openapi_3_and_lists_every_path(alice):
    response = alice.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == api_paths()
    assert len(api_paths()) >= 8


def test_every_operation_documents_its_responses_and_writes_their_bodies(alice):
    schema = alice.get(reverse("api-schema"), {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"200", "201", "202"} & set(operation["responses"]), (path, method)
            if method in ("post", "patch"):
                assert operation["requestBody"]["content"], (path, method)


def test_the_award_batch_request_and_result_are_described(alice):
    schema = alice.get(reverse("api-schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert set(components["AwardBatchRequest"]["properties"]) == {
        "recipients",
        "evidence_url",
        "narrative",
        "notify",
    }
    assert set(components["AwardBatchResult"]["properties"]) == {
        "awarded_count",
        "new_count",
        "renewed_count",
        "already_held_count",
        "batch",
        "awards_url",
        "already_held",
    }
    assert {"url", "assertion_url", "image_url", "status"} <= set(components["Award"]["properties"])


def test_the_schema_validates_without_a_single_warning(tmp_path):
    # --fail-on-warn turns any warning of drf-spectacular into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


def test_the_schema_needs_a_session():
    assert Client().get(reverse("api-schema")).status_code == 403


def test_the_docs_page_uses_only_local_assets(alice):
    response = alice.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""<(?:script|link)\b[^>]*?(?:src|href)=["']([^"']+)""", html)
    assert any("swagger-ui" in asset for asset in assets)
    assert not [asset for asset in assets if asset.startswith(("http://", "https://", "//"))]
    # No inline script: the page's Content-Security-Policy allows scripts from us only.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = []
    for asset in assets:
        fetched = alice.get(asset)  # the start-up script is the docs page's own, behind the session
        assert fetched.status_code == 200, asset
        scripts.append((b"".join(fetched) if fetched.streaming else fetched.content).decode(errors="replace"))
    # Swagger UI's default shows a badge fetched from validator.swagger.io.
    assert any('"validatorUrl": null' in script for script in scripts)


def test_an_import_is_described_as_accepted_with_a_status_to_poll(alice):
    schema = alice.get(reverse("api-schema"), {"format": "json"}).json()
    post = schema["paths"]["/api/me/imports/"]["post"]
    assert {"202", "400", "409", "429"} <= set(post["responses"])
    accepted = post["responses"]["202"]["content"]["application/json"]["schema"]["$ref"]
    assert accepted.endswith("/ImportStatus")
    status = schema["components"]["schemas"]["ImportStatus"]
    assert {"url", "status", "message", "reason", "imported"} <= set(status["properties"])
    assert "get" in schema["paths"]["/api/me/imports/requests/{request_id}/"]
