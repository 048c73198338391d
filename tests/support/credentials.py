"""Fetching what a verifier of our credentials needs from the app itself, offline."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

from core.domain.credentials.did import did_web_document_url


def app_path(url: str) -> str:
    """The path of one of the app's absolute URLs (ids are built from BADGEAPP_BASE_URL)."""
    assert url.startswith(settings.BADGEAPP_BASE_URL + "/"), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetch_json(url: str) -> dict:
    response = Client().get(app_path(url))
    assert response.status_code == 200, (url, response.status_code)
    return json.loads(response.content)


def documents_for(credential: dict) -> dict:
    """The issuer's DID document and the status list, as the app serves them, by id."""
    issuer = credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"]
    scheme = urlsplit(settings.BADGEAPP_BASE_URL).scheme
    documents = {issuer: fetch_json(did_web_document_url(issuer, scheme=scheme))}
    status = credential.get("credentialStatus")
    if status:
        documents[status["statusListCredential"]] = fetch_json(status["statusListCredential"])
    return documents
