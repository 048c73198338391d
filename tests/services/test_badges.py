"""Rules of badge_create and badge_update that every caller (page, API, command) relies on."""

import pytest
from django.core.exceptions import ValidationError

from core.services.badges import badge_update
from tests.support.factories import make_badge

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("days", [0, -1])
def test_a_validity_period_under_one_day_is_refused_as_such_not_as_a_taken_slug(days):
    with pytest.raises(ValidationError) as err:
        make_badge(image_url="https://img.example.com/a.png", validity_days=days)
    assert set(err.value.message_dict) == {"validity_days"}


def test_an_update_to_a_zero_validity_period_is_refused():
    badge = make_badge(image_url="https://img.example.com/a.png", validity_days=30)
    with pytest.raises(ValidationError) as err:
        badge_update(badge=badge, actor=None, validity_days=0)
    assert set(err.value.message_dict) == {"validity_days"}
    badge.refresh_from_db()
    assert badge.validity_days == 30
