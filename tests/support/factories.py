"""Build test data through the services, so tests see the same rules as users."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Award, Badge, Organisation
from core.services.awards import award_batch_create
from core.services.badges import badge_create
from core.services.recipients import Recipient

ORGANISATIONS = {
    "cowork": ("Chamoix Coworking", "support@cowork.net"),
    "snakeoil": ("Snake Oil Learning 🐍", "learning@snakeoil.example"),
}

SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
    b'<circle cx="50" cy="50" r="45" fill="#2a6"/></svg>'
)


def png_bytes(size: int = 64, color: str = "#3366cc") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (size, size), color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "badge.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def svg_upload(content: bytes = SVG, name: str = "badge.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/svg+xml")


def organisation(slug: str = "cowork") -> Organisation:
    name, email = ORGANISATIONS.get(slug, (slug.title(), ""))
    org, _ = Organisation.objects.get_or_create(slug=slug, defaults={"printable_name": name, "email": email})
    return org


def make_badge(org: str = "cowork", name: str = "First Aid at Work", **kwargs) -> Badge:
    kwargs.setdefault("description", "Knows how to help until the ambulance comes.")
    kwargs.setdefault("criteria_narrative", "Completed the two-day course and the practical test.")
    if "image_url" not in kwargs:
        kwargs.setdefault("image", png_upload())
    return badge_create(organisation=organisation(org), actor=None, name=name, **kwargs)


def award(badge: Badge, email: str, name: str = "", **kwargs) -> Award:
    result = award_batch_create(
        badge=badge, actor=None, recipients=[Recipient(email=email, name=name)], notify=False, **kwargs
    )
    return result.awarded[0]
