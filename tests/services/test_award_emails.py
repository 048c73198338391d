"""Award emails in the recipient's language and time zone when they chose one, else the site's,
as the workers send them (``core.services.notifications``)."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail

from core.models import Award, NotificationKind
from core.services.notifications import notifications_queue, send_due_notifications_now
from core.services.preferences import UNKNOWN_LANGUAGE, preference_set
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def send_award_emails(*, award_ids: list) -> None:
    """Queue each award's email, as awarding does, and have the worker send them."""
    notifications_queue(awards=Award.objects.filter(pk__in=award_ids), kind=NotificationKind.AWARDED)
    send_due_notifications_now()


def _award_expiring(email: str, name: str) -> Award:
    given = award(make_badge(validity_days=30), email, name)
    Award.objects.filter(pk=given.pk).update(expires_on=datetime(2026, 3, 5, 23, 30, tzinfo=UTC))
    return given


def test_a_person_who_chose_french_gets_french_in_their_time_zone():
    zoe = User.objects.create(username="zoe", email="zoe@example.org")
    preference_set(user=zoe, language="fr", time_zone="Asia/Tokyo")
    given = _award_expiring("zoe@example.org", "Zoë")
    send_award_emails(award_ids=[given.pk])
    (message,) = mail.outbox
    subject = " ".join(message.subject.split())  # one line, plain spaces
    assert subject == "Chamoix Coworking vous a décerné le badge « First Aid at Work »"
    assert message.body.startswith("Bonjour Zoë,")
    assert "Il est valable jusqu’au 6 mars 2026." in message.body  # 23:30 UTC is the 6th in Tokyo
    assert message.extra_headers["Content-Language"] == "fr"


def test_people_never_seen_get_the_sites_language_whoever_awards(settings):
    settings.LANGUAGE_CODE = "fr"
    given = _award_expiring("new.hire@example.org", "")
    send_award_emails(award_ids=[given.pk])
    (message,) = mail.outbox
    assert message.body.startswith("Bonjour,")
    assert "5 mars 2026" in message.body  # the site's zone, UTC


def test_each_recipient_of_one_batch_gets_their_own_language():
    for username, language in (("ada", "en"), ("zoe", "fr")):
        user = User.objects.create(username=username, email=f"{username}@example.org")
        preference_set(user=user, language=language)
    badge = make_badge()
    ids = [award(badge, f"{who}@example.org", who.title()).pk for who in ("ada", "zoe")]
    send_award_emails(award_ids=ids)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["ada@example.org"] == "You have been awarded “First Aid at Work” by Chamoix Coworking"
    assert subjects["zoe@example.org"].startswith("Chamoix Coworking vous a décerné")


def test_a_language_not_on_offer_is_refused():
    user = User.objects.create(username="zoe", email="zoe@example.org")
    with pytest.raises(Exception, match=str(UNKNOWN_LANGUAGE)):
        preference_set(user=user, language="tlh")


def test_choosing_again_changes_only_what_changed():
    user = User.objects.create(username="zoe", email="zoe@example.org")
    first = preference_set(user=user, language="fr", time_zone="Europe/Paris")
    stamp = first.updated_at
    again = preference_set(user=user, language="fr", time_zone="")
    assert (again.language, again.time_zone, again.updated_at) == ("fr", "Europe/Paris", stamp)
