"""Users and organisations stay current from each session, writing only on change."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.domain.identity import SessionIdentity
from core.models import Organisation

pytestmark = pytest.mark.django_db


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_email_and_name_come_from_the_personal_profile(bob):
    # bob's session is what the real proxy sends: no email, no full_name.
    bob.get(reverse("home"))
    user = User.objects.get(username="bob")
    assert user.email == "bob@cowork.net"
    assert user.get_full_name() == "Bob Lefèvre"


def test_changed_email_and_name_are_updated(client_as, sessions):
    client_as("alice").get(reverse("home"))
    client_as("alice", email="alice.martin@cowork.net", full_name="Alice Martin-Durand").get(reverse("home"))
    user = User.objects.get(username="alice")
    assert user.email == "alice.martin@cowork.net"
    assert (user.first_name, user.last_name) == ("Alice", "Martin-Durand")


def test_organisations_in_roles_are_stored(hana):
    hana.get(reverse("home"))
    org = Organisation.objects.get(slug="snakeoil")
    assert org.printable_name == "Snake Oil Learning 🐍"
    assert org.email == "learning@snakeoil.example"
    # A personal profile is the user, not an organisation.
    assert not Organisation.objects.filter(slug="hana").exists()


def test_renamed_organisation_is_updated(client_as, sessions):
    client_as("alice").get(reverse("home"))
    roles = {
        "manager": [{**sessions["alice"]["roles"]["manager"][0], "printable_name": "Chamoix 🏔 Coworking"}]
    }
    client_as("alice", roles=roles).get(reverse("home"))
    assert Organisation.objects.get(slug="cowork").printable_name == "Chamoix 🏔 Coworking"


def test_a_request_where_nothing_changed_writes_nothing(client_as):
    client_as("alice").get(reverse("home"))  # first visit creates the user and organisation
    with CaptureQueriesContext(connection) as ctx:
        response = client_as("alice").get(reverse("home"))
    assert response.status_code == 200
    assert writes(ctx.captured_queries) == []


def test_a_request_where_nothing_changed_reads_only_the_user(client_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("alice").get(reverse("api-me"))  # first visit: creates, then remembers
    with CaptureQueriesContext(connection) as ctx:
        response = client_as("alice").get(reverse("api-me"))
    assert response.status_code == 200
    # The page's own read: the person's confirmed addresses (emails_of), once.
    page = [q["sql"] for q in ctx.captured_queries if 'FROM "core_emailaddress"' in q["sql"]]
    assert len(page) == 1
    # The sync: the user by username, once: not again by id, and the organisations not at all.
    sync = [q["sql"] for q in ctx.captured_queries if q["sql"] not in page]
    assert sync == [q for q in sync if 'FROM "auth_user"' in q]
    assert len(sync) == 1


def test_an_organisation_renamed_in_the_session_is_stored_at_once(
    client_as, sessions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("alice").get(reverse("api-me"))
    roles = {"manager": [{**sessions["alice"]["roles"]["manager"][0], "printable_name": "Chamoix Cowork"}]}
    with django_capture_on_commit_callbacks(execute=True):
        client_as("alice", roles=roles).get(reverse("api-me"))
    assert Organisation.objects.get(slug="cowork").printable_name == "Chamoix Cowork"


def test_first_visit_writes_the_user_and_organisation(client_as):
    with CaptureQueriesContext(connection) as ctx:
        client_as("alice").get(reverse("home"))
    assert any("auth_user" in sql for sql in writes(ctx.captured_queries))
    assert any("core_organisation" in sql for sql in writes(ctx.captured_queries))


class TestSessionIdentity:
    def test_malformed_roles_are_skipped(self):
        identity = SessionIdentity.from_session(
            {
                "username": "zoe",
                "roles": {
                    "manager": [{"slug": "ok", "printable_name": "OK Org"}, "junk", {"slug": "bad slug!"}],
                    "contributor": "not-a-list",
                },
            }
        )
        assert [org.slug for org in identity.organisations] == ["ok"]
        assert identity.manages("ok") and not identity.manages("bad slug!")

    def test_roles_on_one_organisation_are_merged(self):
        org = {"slug": "acme", "printable_name": "Acme"}
        identity = SessionIdentity.from_session(
            {"username": "zoe", "roles": {"manager": [org], "contributor": [org]}}
        )
        assert identity.organisations[0].roles == ("contributor", "manager")

    def test_invalid_email_is_ignored(self):
        identity = SessionIdentity.from_session({"username": "zoe", "email": "not an email"})
        assert identity.email == ""
        assert identity.display_name == "zoe"


class TestOrganisationNames:
    def test_a_member_cannot_rename_the_organisation(self, client_as, sessions):
        client_as("alice").get(reverse("home"))  # the manager's session names it
        roles = {
            "contributor": [{**sessions["bob"]["roles"]["contributor"][0], "printable_name": "Pwned\nCorp"}]
        }
        bob_roles = {**sessions["bob"]["roles"], **roles}
        client_as("bob", roles=bob_roles).get(reverse("home"))
        assert Organisation.objects.get(slug="cowork").printable_name == "Chamoix Coworking"

    def test_a_manager_renames_it_on_one_line(self, client_as, sessions):
        manager_role = sessions["alice"]["roles"]["manager"]
        renamed = [
            {**org, "printable_name": "Chamoix\r\nCoworking\x00 2"} if org["slug"] == "cowork" else org
            for org in manager_role
        ]
        client_as("alice", roles={**sessions["alice"]["roles"], "manager": renamed}).get(reverse("home"))
        assert Organisation.objects.get(slug="cowork").printable_name == "Chamoix Coworking 2"

    def test_a_member_still_makes_an_unknown_organisation_known(self, client_as):
        assert not Organisation.objects.filter(slug="cowork").exists()
        client_as("bob").get(reverse("home"))
        assert Organisation.objects.get(slug="cowork").printable_name == "Chamoix Coworking"
