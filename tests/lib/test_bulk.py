"""Bulk inserts without model instances (PostgreSQL; elsewhere the callers use bulk_create)."""

import uuid

import pytest
from django.db import connection

from core.lib.bulk import insert_new_columns
from core.models import Award
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def test_off_postgresql_it_leaves_the_insert_to_bulk_create():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL inserts")
    assert insert_new_columns(Award, columns={"id": [uuid.uuid4()]}, constants={}, returning="id") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
class TestOnPostgresql:
    def test_rows_clashing_with_a_partial_unique_constraint_are_skipped_and_the_rest_returned(self):
        badge = make_badge(name="First Aid")
        award(badge, "held@x.org")
        new, clash = uuid.uuid4(), uuid.uuid4()
        inserted = insert_new_columns(
            Award,
            columns={"id": [new, clash], "recipient_email": ["new@x.org", "held@x.org"]},
            constants={
                "badge": badge.pk,
                "organisation": badge.organisation_id,
                "narrative": "Zoë 🐍 ' \\ %s",
            },
            returning="id",
        )
        assert inserted == [new]
        made = Award.objects.get(pk=new)
        assert made.narrative == "Zoë 🐍 ' \\ %s"
        assert (made.recipient_name, made.revoked_at) == ("", None)  # the model's defaults
        assert len(made.salt) == 32

    def test_a_callable_default_is_called_for_each_row(self):
        badge = make_badge(name="First Aid")
        ids = [uuid.uuid4(), uuid.uuid4()]
        insert_new_columns(
            Award,
            columns={"id": ids, "recipient_email": ["a@x.org", "b@x.org"]},
            constants={"badge": badge.pk, "organisation": badge.organisation_id},
            returning="id",
        )
        assert len(set(Award.objects.filter(pk__in=ids).values_list("salt", flat=True))) == 2

    def test_no_rows_insert_nothing(self):
        assert insert_new_columns(Award, columns={"id": []}, constants={}, returning="id") == []
