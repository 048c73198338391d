"""Bulk inserts without model instances (PostgreSQL; elsewhere the callers use bulk_create)."""

import uuid

import pytest
from django.db import connection

from core.lib.bulk import insert_new_columns, select_pairs
from core.models import Award
from core.models.learning import LearningProgress
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def test_off_postgresql_it_leaves_the_insert_to_bulk_create():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL inserts")
    assert insert_new_columns(Award, columns={"id": [uuid.uuid4()]}, constants={}, returning="id") is None
    assert (
        select_pairs(Award, fields=["id"], keys=("recipient_email", "badge"), pairs={("a@x.org", 1)}) is None
    )


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

    def test_select_pairs_reads_exactly_the_pairs_asked_not_their_cross_product(self):
        first, second = make_badge(name="First Aid"), make_badge(name="Fire Warden")
        for badge, email in (
            (first, "a@x.org"),
            (first, "b@x.org"),
            (second, "a@x.org"),
            (second, "b@x.org"),
        ):
            award(badge, email, narrative=f"{badge.name} for {email}")
        rows = select_pairs(
            Award,
            fields=["recipient_email", "badge", "narrative"],
            keys=("recipient_email", "badge"),
            pairs={("a@x.org", first.pk), ("b@x.org", second.pk), ("c@x.org", first.pk)},
        )
        assert sorted(rows) == sorted(
            [
                ("a@x.org", first.pk, "First Aid for a@x.org"),
                ("b@x.org", second.pk, "Fire Warden for b@x.org"),
            ]
        )
        assert select_pairs(Award, fields=["id"], keys=("recipient_email", "badge"), pairs=set()) == []

    def test_select_pairs_decodes_json_columns_as_the_orm_does(self):
        badge = make_badge(name="First Aid")
        activities = {"https://lms.example/a": {"done_at": "2026-11-30T10:00:00+00:00", "score": 0.9}}
        LearningProgress.objects.create(badge=badge, email="a@x.org", activities=activities)
        (row,) = select_pairs(
            LearningProgress,
            fields=["email", "activities"],
            keys=("email", "badge"),
            pairs={("a@x.org", badge.pk)},
        )
        assert row == ("a@x.org", activities)
