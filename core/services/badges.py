"""Designing badges: create, edit, archive."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.images import check_badge_image
from core.models import Badge, Organisation

MAX_TAGS = 20
# A century: long enough for any real validity, short enough for date arithmetic.
MAX_VALIDITY_DAYS = 36500
MAX_TAG_LENGTH = 50
EDITABLE_FIELDS = (
    "name",
    "slug",
    "description",
    "criteria_narrative",
    "criteria_url",
    "image_url",
    "tags",
    "validity_days",
)


def suggest_slug(name: str) -> str:
    """A slug from a name: "Premiers secours 🚑" gives "premiers-secours"."""
    return slugify(name)[:100].strip("-") or "badge"


def clean_tags(tags: Iterable[str] | str) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if not tag or tag.casefold() in (t.casefold() for t in cleaned):
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError({"tags": f"Keep each tag under {MAX_TAG_LENGTH} characters."})
        cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": f"Use at most {MAX_TAGS} tags."})
    return cleaned


def _apply_image(badge: Badge, image) -> None:
    """Store a checked upload; an upload replaces any image URL."""
    try:
        checked = check_badge_image(image)
    except ValidationError as err:
        raise ValidationError({"image": err.messages}) from err
    badge.image.save(f"{badge.slug}{checked.extension}", ContentFile(checked.content), save=False)
    if checked.png:  # an SVG, drawn while it was checked: that drawing is the badge's PNG
        from core.openbadges.badge_images import keep_drawn_png

        keep_drawn_png(badge.image.name, checked.png)
    badge.image_url = ""


def _check_validity_days(days: int | None) -> None:
    # Checked before full_clean, whose integer-range message depends on the database.
    if days is not None and not 1 <= days <= MAX_VALIDITY_DAYS:
        raise ValidationError(
            {"validity_days": f"Give a number of days from 1 to {MAX_VALIDITY_DAYS}, or leave it empty."}
        )


def _check_slug_free(badge: Badge) -> None:
    taken = Badge.objects.filter(organisation=badge.organisation, slug=badge.slug).exclude(pk=badge.pk)
    if badge.slug and taken.exists():
        raise ValidationError({"slug": "This organisation already has a badge with this slug."})


def _validate_and_save(badge: Badge) -> Badge:
    if badge.image_url and not badge.image_url.lower().startswith("https://"):
        raise ValidationError({"image_url": "The image URL must start with https://."})
    if not badge.image and not badge.image_url:
        raise ValidationError({"image": "Upload a PNG or SVG image, or give an https image URL."})
    _check_slug_free(badge)
    badge.full_clean(validate_constraints=False)  # the slug is checked above, with a clearer message
    try:
        with transaction.atomic():
            badge.save()
    except IntegrityError as err:
        # Another manager took the slug between our check and our write.
        raise ValidationError({"slug": "This organisation already has a badge with this slug."}) from err
    return badge


def badge_create(
    *,
    organisation: Organisation,
    actor: User | None,
    name: str,
    description: str,
    criteria_narrative: str,
    slug: str = "",
    criteria_url: str = "",
    image=None,
    image_url: str = "",
    tags: Iterable[str] | str = (),
    validity_days: int | None = None,
) -> Badge:
    _check_validity_days(validity_days)
    badge = Badge(
        organisation=organisation,
        created_by=actor,
        name=name.strip(),
        slug=(slug or suggest_slug(name)).strip(),
        description=description.strip(),
        criteria_narrative=criteria_narrative.strip(),
        criteria_url=criteria_url.strip(),
        image_url=image_url.strip(),
        tags=clean_tags(tags),
        validity_days=validity_days,
    )
    if image is not None:
        # The slug names the stored file: check it before writing the file.
        badge.full_clean(exclude=["image"], validate_constraints=False)
        _check_slug_free(badge)
        _apply_image(badge, image)
    return _validate_and_save(badge)


def badge_update(*, badge: Badge, actor: User | None, image=None, **changes) -> Badge:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if "tags" in changes:
        changes["tags"] = clean_tags(changes["tags"])
    _check_validity_days(changes.get("validity_days", badge.validity_days))
    new_slug = changes.get("slug", badge.slug)
    if new_slug != badge.slug and badge.awards.exists():
        # Its slug is in the hosted BadgeClass id that every award carries,
        # baked into images people have already downloaded.
        raise ValidationError({"slug": "This badge has been awarded: its slug can no longer change."})
    for field, value in changes.items():
        setattr(badge, field, value.strip() if isinstance(value, str) else value)
    if changes.get("image_url"):
        badge.image = None  # a new URL replaces the uploaded image
    if image is not None:
        _apply_image(badge, image)
    return _validate_and_save(badge)


def badge_archive(*, badge: Badge, actor: User | None) -> Badge:
    """Archived badges can no longer be awarded; awards already made stay valid."""
    if badge.archived_at is None:
        badge.archived_at = timezone.now()
        badge.save(update_fields=["archived_at", "updated_at"])
    return badge


def badge_restore(*, badge: Badge, actor: User | None) -> Badge:
    if badge.archived_at is not None:
        badge.archived_at = None
        badge.save(update_fields=["archived_at", "updated_at"])
    return badge
