"""What an employee downloads: an award's baked images, and all their badges as one zip."""

from __future__ import annotations

import json
import posixpath
import tempfile
import zipfile
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.utils.text import slugify

from core.domain.credentials import baking as credentials_baking
from core.domain.credentials import documents as credential_documents
from core.domain.openbadges import documents
from core.domain.openbadges.badge_images import badge_png, badge_svg
from core.domain.openbadges.baking import bake_png, bake_svg
from core.models import Award, Badge, ImportedBadge

SPOOL_BYTES = 8 * 1024 * 1024  # a zip bigger than this goes to a temporary file


def award_assertion_json(award: Award) -> str:
    return documents.to_json(documents.assertion_document(award))


def baked_award_png(award: Award, png: bytes | None = None) -> bytes:
    """The badge's PNG carrying the award's hosted assertion (``png`` saves a re-read)."""
    return bake_png(png or badge_png(award.badge), award_assertion_json(award))


def baked_award_svg(award: Award, svg: bytes | None = None) -> bytes | None:
    """The badge's SVG carrying the assertion; None when the badge is not drawn in SVG."""
    svg = svg or badge_svg(award.badge)
    return bake_svg(svg, award_assertion_json(award)) if svg else None


def award_file_stem(award: Award) -> str:
    return f"{slugify(award.badge.slug) or 'badge'}-{str(award.pk)[:8]}"


def _imported_stem(imported: ImportedBadge) -> str:
    return f"imported/{slugify(imported.badge_name)[:60] or 'badge'}-{str(imported.pk)[:8]}"


def write_badges_zip(
    awards: Iterable[Award], imported: Iterable[ImportedBadge], credentials: dict | None = None
):
    """A zip file (open, at position 0) of the awards' baked images and assertions,
    and of the imported badges' original images and documents.

    ``credentials`` (``{award id: signed credential}``) adds each award's Open
    Badges 3.0 credential, as JSON and baked (``<stem>.credential.json``, ``.png``, ``.svg``).

    Revoked awards are left out: they no longer verify. Each badge's image is
    read once however many awards it has.
    """
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller streams and closes it
    images: dict[int, tuple[bytes, bytes | None]] = {}
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for award in awards:
            if award.revoked_at is not None:
                continue
            badge: Badge = award.badge
            if badge.pk not in images:
                images[badge.pk] = (badge_png(badge), badge_svg(badge))
            png, svg = images[badge.pk]
            stem = award_file_stem(award)
            archive.writestr(f"{stem}.json", award_assertion_json(award))
            archive.writestr(f"{stem}.png", baked_award_png(award, png))
            if svg:
                archive.writestr(f"{stem}.svg", baked_award_svg(award, svg))
            credential = (credentials or {}).get(award.pk)
            if credential:
                archive.writestr(f"{stem}.credential.json", credential_documents.to_json(credential))
                archive.writestr(f"{stem}.credential.png", credential_png(award, credential, png))
                if svg:
                    archive.writestr(f"{stem}.credential.svg", credential_svg(award, credential, svg))
        for item in imported:
            stem = _imported_stem(item)
            documents_ = {"assertion": item.assertion, "badge": item.badge_class, "issuer": item.issuer}
            archive.writestr(f"{stem}.json", json.dumps(documents_, indent=2, ensure_ascii=False))
            extension = posixpath.splitext(item.image.name)[1].lower() or ".png"
            with default_storage.open(item.image.name, "rb") as file:
                archive.writestr(f"{stem}{extension}", file.read())
    output.seek(0)
    return output


# --- Open Badges 3.0 --------------------------------------------------------------


def credential_png(award: Award, credential: dict, png: bytes | None = None) -> bytes:
    """The badge's PNG carrying the award's signed 3.0 credential (one ``openbadgecredential`` chunk)."""
    return credentials_baking.bake_png(
        png or badge_png(award.badge), credential_documents.to_json(credential)
    )


def credential_svg(award: Award, credential: dict, svg: bytes | None = None) -> bytes | None:
    """The badge's SVG carrying the credential; None when the badge is not drawn in SVG."""
    svg = svg or badge_svg(award.badge)
    return credentials_baking.bake_svg(svg, credential_documents.to_json(credential)) if svg else None
