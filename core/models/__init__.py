"""The badge app's data, one module per area; import models from here."""

from core.models.awards import CURRENT_AWARD, Award, AwardBatch, AwardQuerySet, award_status, new_salt
from core.models.badges import BADGE_SLUG_VALIDATOR, MAX_VALIDITY_DAYS, Badge, BadgeQuerySet, badge_image_path
from core.models.credentials import SignedCredential
from core.models.exports import AwardExport, ExportState
from core.models.imports import (
    ImportedBadge,
    ImportRequest,
    ImportSource,
    ImportState,
    OpenBadgesVersion,
    imported_image_path,
)
from core.models.learning import (
    LearnerKey,
    LearningAward,
    LearningProgress,
    LearningRequirement,
    LearningStatement,
    LearningSyncState,
    Requires,
    StatementSource,
)
from core.models.notifications import Notification, NotificationKind, NotificationQuerySet, NotificationState
from core.models.organisations import Organisation
from core.models.people import EmailAddress, EmailAddressQuerySet
from core.models.preferences import Preference
from core.models.profiles import ProfileAward, PublicProfile
from core.models.status import Status

__all__ = [
    "BADGE_SLUG_VALIDATOR",
    "CURRENT_AWARD",
    "MAX_VALIDITY_DAYS",
    "Award",
    "AwardBatch",
    "AwardExport",
    "AwardQuerySet",
    "Badge",
    "BadgeQuerySet",
    "EmailAddress",
    "EmailAddressQuerySet",
    "ExportState",
    "ImportRequest",
    "ImportSource",
    "ImportState",
    "ImportedBadge",
    "LearnerKey",
    "LearningAward",
    "LearningProgress",
    "LearningRequirement",
    "LearningStatement",
    "LearningSyncState",
    "Notification",
    "NotificationKind",
    "NotificationQuerySet",
    "NotificationState",
    "OpenBadgesVersion",
    "Organisation",
    "Preference",
    "ProfileAward",
    "PublicProfile",
    "Requires",
    "SignedCredential",
    "StatementSource",
    "Status",
    "award_status",
    "badge_image_path",
    "imported_image_path",
    "new_salt",
]
