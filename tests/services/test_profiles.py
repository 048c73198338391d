"""The profile's rule: only its owner's own valid awards are shown."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from core.services.awards import award_revoke
from core.services.profiles import NOT_SHOWABLE, profile_update
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def test_only_the_owner_s_valid_awards_can_be_chosen():
    user = User.objects.create(username="bob", email="bob@cowork.net")
    mine = award(make_badge(name="Mine"), "bob@cowork.net")
    revoked = award_revoke(award=award(make_badge(name="Gone"), "bob@cowork.net"), actor=None, reason="No")
    theirs = award(make_badge(name="Theirs"), "zoe@cowork.net")
    for wrong in (revoked, theirs):
        with pytest.raises(ValidationError) as refused:
            profile_update(
                user=user, emails=["bob@cowork.net"], published=True, name="", award_ids=[wrong.pk]
            )
        assert refused.value.message_dict == {"awards": [str(NOT_SHOWABLE)]}
    profile = profile_update(
        user=user, emails=["bob@cowork.net"], published=True, name=" Bob ", award_ids=[mine.pk]
    )
    assert profile.name == "Bob" and list(profile.shown.values_list("award_id", flat=True)) == [mine.pk]
