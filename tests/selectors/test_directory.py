"""Finding a person of an organisation, and everything they hold there."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from core.models import Award, EmailAddress, LearningProgress, Organisation
from core.selectors import directory
from core.services.awards import award_revoke
from core.services.learning import badge_learning_set
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db

COURSE_A = {"id": "https://lms.example/courses/a", "name": "Course A", "requires": "completed"}
COURSE_B = {"id": "https://lms.example/courses/b", "name": "Course B", "requires": "completed"}
NOW_ISO = "2026-06-01T10:00:00+00:00"


@pytest.fixture
def people():
    first_aid = make_badge(name="First Aid")
    fire = make_badge(name="Fire Warden")
    award(first_aid, "zoe.odegard@cowork.net", "Zoë Ødegård")
    old = award(fire, "zoe@old-job.example", "Zoë Ødegård")
    Award.objects.filter(pk=old.pk).update(expires_on=timezone.now() - timedelta(days=1))
    award_revoke(award=award(fire, "bob@cowork.net", "Bob"), actor=None, reason="A mistake")
    badge_learning_set(badge=fire, actor=None, activities=[COURSE_A, COURSE_B], auto_award=False)
    LearningProgress.objects.create(
        badge=fire,
        email="learner@cowork.net",
        name="Lea Learner",
        done=1,
        required=2,
        percent=50,
        activities={COURSE_A["id"]: {"started_at": NOW_ISO, "done_at": NOW_ISO}},
    )
    award(make_badge(org="snakeoil", name="Pythonista"), "zoe.elsewhere@snakeoil.example", "Zoë Elsewhere")
    zoe = User.objects.create(
        username="zoe", first_name="Zoë", last_name="Ødegård", email="zoe.odegard@cowork.net"
    )
    EmailAddress.objects.create(user=zoe, email="zoe@old-job.example", confirmed_at=timezone.now())
    return Organisation.objects.get(slug="cowork")


def _found(org, text):
    return [
        (row.email, row.valid, row.expired, row.revoked, row.learning)
        for row in directory.search_people(org, text)
    ]


def test_a_name_finds_every_address_of_the_person_and_counts_by_status(people):
    assert _found(people, "zoë") == [
        ("zoe.odegard@cowork.net", 1, 0, 0, 0),
        ("zoe@old-job.example", 0, 1, 0, 0),
    ]


def test_an_email_or_a_username_finds_them(people):
    assert [row[0] for row in _found(people, "BOB@cowork")] == ["bob@cowork.net"]
    assert _found(people, "bob")[0][1:4] == (0, 0, 1)
    # The username leads to the account's addresses, the confirmed one too.
    assert [row[0] for row in _found(people, "zoe")] == ["zoe.odegard@cowork.net", "zoe@old-job.example"]


def test_people_with_only_learning_records_are_found(people):
    assert _found(people, "Lea") == [("learner@cowork.net", 0, 0, 0, 1)]


def test_other_organisations_people_are_not_found(people):
    assert _found(people, "elsewhere") == []
    assert _found(people, "nobody-at-all") == []


def test_a_person_s_overview_gathers_their_addresses(people):
    person = directory.person_overview(people, "ZOE.ODEGARD@cowork.net")
    assert person.emails == ["zoe.odegard@cowork.net", "zoe@old-job.example"]
    assert person.name == "Zoë Ødegård"
    assert sorted((a.badge.name, a.status) for a in person.awards) == [
        ("Fire Warden", "expired"),
        ("First Aid", "active"),
    ]


def test_a_person_s_overview_shows_their_learning(people):
    person = directory.person_overview(people, "learner@cowork.net")
    assert person.awards == []
    [fire] = person.learning
    assert (fire.badge.name, fire.done, fire.required, fire.percent) == ("Fire Warden", 1, 2, 50)
    assert [activity.name for activity in fire.remaining] == ["Course B"]


def test_an_address_the_organisation_does_not_know_has_no_overview(people):
    assert directory.person_overview(people, "zoe.elsewhere@snakeoil.example") is None
    assert directory.person_overview(people, "") is None


def test_search_pages_are_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    for n in range(60):
        award(make_badge(name=f"Badge {n}") if n == 0 else Award.objects.first().badge, f"zoe{n}@cowork.net")
    with django_assert_max_num_queries(4):
        page = directory.search_people(people, "zoe")
        assert len(page.object_list) == directory.PEOPLE_PER_PAGE
    assert page.paginator.count == 62


def test_anyone_of_the_scale_seed_is_found_by_one_search():
    call_command("seed_scale", employees=80, badges=5, awards=200, stdout=StringIO())
    org = Organisation.objects.get(slug="globex")
    people = (
        Award.objects.filter(organisation=org).values_list("recipient_email", "recipient_name").distinct()
    )
    for email, name in list(people)[:15]:
        assert email in [row.email for row in directory.search_people(org, email.upper())]
        by_name = directory.search_people(org, name)
        found = [row.email for number in by_name.paginator.page_range for row in _page(org, name, number)]
        assert email in found


def _page(org, text, number):
    return directory.search_people(org, text, page=number).object_list
