"""Public Open Badges endpoints: hosted JSON-LD and baked images (no session needed).

Backpacks and validators read these from anywhere, browsers included, so they
allow any origin (CORS) and are cached briefly: they tell every cache on the way
``max-age=60``, and the app keeps them in its own cache as long, so a document
asked for often costs no database read. A revocation drops its award's
documents from the app's cache at once (with a shared cache, on every
process; with the default local-memory cache, on the one that revoked, the
others within the minute). Each carries an ETag (and the revocation list a
Last-Modified): a client that asks again with it gets a bodiless 304.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import conditional_page, require_safe

from core import access
from core.domain.credentials import issuing
from core.domain.credentials.documents import to_json as credential_json
from core.domain.images import IMAGE_CSP
from core.domain.openbadges import documents
from core.domain.openbadges.badge_images import badge_png
from core.domain.openbadges.downloads import (
    award_file_stem,
    baked_award_png,
    baked_award_svg,
    credential_png,
    credential_svg,
)
from core.selectors.awards import revocations_version, revoked_of
from core.selectors.credentials import status_list_exists
from core.services import credentials

CACHE_SECONDS = 60
REVOKED_IMAGE = _("This award was revoked: it no longer comes as a badge image.")
# A revocation list is rebuilt when its version changes; kept at most this long otherwise.
REVOCATION_LIST_CACHE_SECONDS = 3600


def _public(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _json_ld(document: dict, status: int = 200) -> HttpResponse:
    return _public(
        HttpResponse(documents.to_json(document), content_type=documents.CONTENT_TYPE, status=status)
    )


def _image(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if content_type == "image/svg+xml":
        response["Content-Security-Policy"] = IMAGE_CSP
    return _public(response)


def _kept(key: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The response ``build`` makes, kept ``CACHE_SECONDS`` in the cache when it is a 200."""
    response = cache.get(key)
    if response is None:
        response = build()
        if response.status_code == 200:
            cache.set(key, response, CACHE_SECONDS)
    return response


def _gone(message) -> HttpResponse:
    return _public(HttpResponse(str(message), content_type="text/plain; charset=utf-8", status=410))


@require_safe
@conditional_page
def issuer(request, org):
    return _kept(
        documents.hosted_cache_key("issuer", org),
        lambda: _json_ld(documents.issuer_document(access.public_issuer_or_404(org))),
    )


@require_safe
@conditional_page
def revocation_list(request, org):
    """Thousands of entries at scale: built once per version, then served from the cache."""
    organisation = access.public_issuer_or_404(org)
    count, latest = revocations_version(organisation)
    version = f"{organisation.pk}-{count}-{latest.timestamp() if latest else 0}"
    key = documents.hosted_cache_key("revocation-list", version)
    body = cache.get(key)
    if body is None:
        document = documents.revocation_list_document(organisation, revoked_of(organisation))
        body = documents.to_json(document, compact=True)
        cache.set(key, body, REVOCATION_LIST_CACHE_SECONDS)
    response = _public(HttpResponse(body, content_type=documents.CONTENT_TYPE))
    response["ETag"] = quote_etag(f"revocations-{version}")
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


@require_safe
@conditional_page
def badge_class(request, org, slug):
    return _kept(
        documents.hosted_cache_key("badgeclass", org, slug),
        lambda: _json_ld(documents.badge_class_document(access.public_badge_or_404(org, slug))),
    )


@require_safe
@conditional_page
def badge_class_image(request, org, slug):
    def build():
        badge = access.public_badge_or_404(org, slug)
        return _image(badge_png(badge), "image/png", f"{badge.slug}.png")

    return _kept(documents.hosted_cache_key("badgeclass-image", org, slug), build)


@require_safe
@conditional_page
def assertion(request, award_id):
    def build():
        award = access.public_award_or_404(award_id)
        if award.revoked_at is not None:
            return _json_ld(documents.revoked_assertion_document(award), status=410)
        return _json_ld(documents.assertion_document(award))

    return _kept(documents.hosted_cache_key("assertion", award_id), build)


@require_safe
@conditional_page
def baked_png(request, award_id):
    def build():
        award = access.public_award_or_404(award_id)
        if award.revoked_at is not None:
            return _gone(REVOKED_IMAGE)
        return _image(baked_award_png(award), "image/png", f"{award_file_stem(award)}.png")

    return _kept(documents.hosted_cache_key("baked-png", award_id), build)


@require_safe
@conditional_page
def baked_svg(request, award_id):
    def build():
        award = access.public_award_or_404(award_id)
        if award.revoked_at is not None:
            return _gone(REVOKED_IMAGE)
        content = baked_award_svg(award)
        if content is None:
            raise Http404("This badge is not drawn in SVG: download its PNG.")
        return _image(content, "image/svg+xml", f"{award_file_stem(award)}.svg")

    return _kept(documents.hosted_cache_key("baked-svg", award_id), build)


# --- Open Badges 3.0: signed credentials, the issuers' DID documents, status lists --------


def _credential_document(document: dict, content_type: str) -> HttpResponse:
    return _public(HttpResponse(credential_json(document), content_type=content_type))


@require_safe
def credential(request, award_id):
    """The award's signed OpenBadgeCredential, revoked or not: its status list says which."""
    award = access.public_award_or_404(award_id)
    document = credentials.credential_for_award(award=award)
    return _credential_document(document, issuing.CREDENTIAL_CONTENT_TYPE)


@require_safe
def did_document(request, org):
    organisation = access.public_issuer_or_404(org)
    return _credential_document(credentials.did_document(organisation=organisation), issuing.DID_CONTENT_TYPE)


@require_safe
def status_list(request, org, number):
    organisation = access.public_issuer_or_404(org)
    if not status_list_exists(number):
        raise Http404("No such status list.")
    document = credentials.status_list_credential(organisation=organisation, number=number)
    return _credential_document(document, issuing.CREDENTIAL_CONTENT_TYPE)


@require_safe
def credential_baked_png(request, award_id):
    award = access.public_award_or_404(award_id)
    if award.revoked_at is not None:
        return _gone(REVOKED_IMAGE)
    content = credential_png(award, credentials.credential_for_award(award=award))
    return _image(content, "image/png", f"{award_file_stem(award)}.credential.png")


@require_safe
def credential_baked_svg(request, award_id):
    award = access.public_award_or_404(award_id)
    if award.revoked_at is not None:
        return _gone(REVOKED_IMAGE)
    if not award.badge.is_svg:
        raise Http404("This badge is not drawn in SVG: download its PNG.")
    content = credential_svg(award, credentials.credential_for_award(award=award))
    return _image(content, "image/svg+xml", f"{award_file_stem(award)}.credential.svg")
