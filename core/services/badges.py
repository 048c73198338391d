"""Designing badges: create, edit, archive."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.domain.images import check_badge_image
from core.domain.openbadges.badge_images import keep_drawn_png
from core.models import Badge, Organisation

MAX_TAGS = 20
MAX_TAG_LENGTH = 50

TAG_TOO_LONG = _("Keep each tag under %(max)s characters.")
TOO_MANY_TAGS = _("Use at most %(max)s tags.")
IMAGE_REQUIRED = _("Upload a PNG or SVG image, or give an https image URL.")
SLUG_TAKEN = _("This organisation already has a badge with this slug.")
SLUG_FIXED = _("This badge has been awarded: its slug can no longer change.")
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
            raise ValidationError({"tags": TAG_TOO_LONG % {"max": MAX_TAG_LENGTH}})
        cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": TOO_MANY_TAGS % {"max": MAX_TAGS}})
    return cleaned


def _apply_image(badge: Badge, image) -> None:
    """Store a checked upload; an upload replaces any image URL."""
    try:
        checked = check_badge_image(image)
    except ValidationError as err:
        raise ValidationError({"image": err.messages}) from err
    badge.image.save(f"{badge.slug}{checked.extension}", ContentFile(checked.content), save=False)
    if checked.png:  # an SVG, drawn while it was checked: that drawing is the badge's PNG
        keep_drawn_png(badge.image.name, checked.png)
    badge.image_url = ""


def slug_is_fixed(badge: Badge) -> bool:
    """Once awarded, a badge's slug is in the hosted BadgeClass id that every award
    carries, baked into images people have already downloaded: it can no longer change."""
    return badge.pk is not None and badge.awards.exists()


def _check_slug_free(badge: Badge) -> None:
    taken = Badge.objects.filter(organisation=badge.organisation, slug=badge.slug).exclude(pk=badge.pk)
    if badge.slug and taken.exists():
        raise ValidationError({"slug": SLUG_TAKEN})


def _validate_and_save(badge: Badge) -> Badge:
    if not badge.image and not badge.image_url:
        raise ValidationError({"image": IMAGE_REQUIRED})
    _check_slug_free(badge)
    # The model's validators are the badge's input rules (lengths, slug, https image
    # URL, validity range); the slug's uniqueness is checked above, with a clearer message.
    badge.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            badge.save()
    except IntegrityError as err:
        # Another manager took the slug between our check and our write.
        raise ValidationError({"slug": SLUG_TAKEN}) from err
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
    with transaction.atomic():
        # The badge row, locked, then the awards counted: a batch awarding it
        # holds the same lock, so the slug cannot change under a batch in flight.
        stored_slug = Badge.objects.select_for_update().values_list("slug", flat=True).get(pk=badge.pk)
        new_slug = changes.get("slug", badge.slug)
        if new_slug != stored_slug and slug_is_fixed(badge):
            raise ValidationError({"slug": SLUG_FIXED})
        for field, value in changes.items():
            setattr(badge, field, value.strip() if isinstance(value, str) else value)
        if changes.get("image_url"):
            badge.image = None  # a new URL replaces the uploaded image
        if image is not None:
            _apply_image(badge, image)
        return _validate_and_save(badge)


def badge_archive(*, badge: Badge, actor: User | None) -> Badge:
    """Archived badges can no longer be awarded; awards already made stay valid.

    The badge row is locked first: a batch awarding it at this moment finishes
    before, or finds it archived after (``award_batch_create`` takes the same lock).
    """
    with transaction.atomic():
        badge.archived_at = (
            Badge.objects.select_for_update().values_list("archived_at", flat=True).get(pk=badge.pk)
        )
        if badge.archived_at is None:
            badge.archived_at = timezone.now()
            badge.save(update_fields=["archived_at", "updated_at"])
    return badge


def badge_restore(*, badge: Badge, actor: User | None) -> Badge:
    if badge.archived_at is not None:
        badge.archived_at = None
        badge.save(update_fields=["archived_at", "updated_at"])
    return badge
