"""The one ingest service: statements in, progress and automatic awards out."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from core.domain.identity import SessionIdentity
from core.models import Award, LearnerKey, LearningAward, LearningProgress, LearningStatement, Status
from core.selectors.learning import badge_progress_overview
from core.services.accounts import identity_sync
from core.services.awards import award_revoke
from core.services.learning import (
    LearningInvalid,
    StatementsRejected,
    badge_learning_set,
    statements_ingest,
)
from tests.support.factories import award, make_badge
from tests.support.xapi import (
    ATTEMPTED,
    CPR,
    FAILED,
    FIRE,
    FIRST_AID,
    PASSED,
    activities,
    statement,
    voiding,
)

pytestmark = pytest.mark.django_db


def push(*statements, **kwargs):
    return statements_ingest(data=list(statements), source="push", **kwargs)


def first_aid_badge(*, auto_award=True, rules=((FIRST_AID, "completed"), (CPR, "passed", "0.8")), **kwargs):
    badge = make_badge(name="First Aid at Work", **kwargs)
    badge_learning_set(badge=badge, actor=None, activities=activities(*rules), auto_award=auto_award)
    return badge


def progress_of(badge, email="bob@cowork.net") -> LearningProgress | None:
    return LearningProgress.objects.filter(badge=badge, email=email).first()


# --- Storing ------------------------------------------------------------------------------------


def test_it_stores_each_statement_once_and_answers_with_the_ids_in_order():
    sent = [statement(), statement(activity=CPR, verb=ATTEMPTED)]
    result = push(*sent)
    assert result.ids == [s["id"] for s in sent]
    assert (result.stored, result.duplicates) == (2, 0)
    again = push(*sent)
    assert again.ids == result.ids
    assert (again.stored, again.duplicates) == (0, 2)
    assert LearningStatement.objects.count() == 2


def test_it_assigns_an_id_to_a_statement_without_one():
    sent = statement()
    del sent["id"]
    result = statements_ingest(data=sent, source="push")
    assert len(result.ids) == 1
    assert LearningStatement.objects.get().pk.hex == result.ids[0].replace("-", "")


def test_one_bad_statement_refuses_the_whole_batch():
    good, bad = statement(), statement()
    bad["result"] = {"score": {"scaled": 1.7}}
    with pytest.raises(StatementsRejected) as caught:
        push(good, bad)
    assert (caught.value.index, caught.value.code, caught.value.field) == (
        1,
        "score_scaled_range",
        "result.score.scaled",
    )
    assert "Statement 2" in caught.value.message
    assert LearningStatement.objects.count() == 0


def test_the_same_id_twice_in_one_request_is_refused():
    sent = statement()
    with pytest.raises(StatementsRejected) as caught:
        push(sent, dict(sent))
    assert (caught.value.index, caught.value.code) == (1, "duplicate_id")
    assert LearningStatement.objects.count() == 0


def test_something_that_is_not_a_statement_or_a_list_is_refused():
    with pytest.raises(StatementsRejected) as caught:
        statements_ingest(data="completed", source="push")
    assert caught.value.code == "not_a_list"


def test_a_pull_skips_what_it_cannot_read_and_keeps_the_rest():
    good, bad = statement(), statement()
    del bad["verb"]
    result = push(good, bad, skip_invalid=True)
    assert [index for index, _ in result.skipped] == [1]
    assert result.ids == [good["id"]]
    assert LearningStatement.objects.count() == 1


# --- Progress -----------------------------------------------------------------------------------


def test_a_completion_moves_the_progress_bar():
    badge = first_aid_badge()
    done_at = timezone.now() - timedelta(hours=2)
    push(statement(at=done_at, result={"completion": True, "score": {"scaled": 0.92}}))
    progress = progress_of(badge)
    assert (progress.done, progress.required, progress.percent) == (1, 2, 50)
    assert progress.activities[FIRST_AID]["score"] == 0.92
    assert progress.activities[FIRST_AID]["done_at"] == done_at.isoformat()
    assert progress.activities[CPR]["done_at"] is None
    assert progress.completed_at is None


def test_an_attempt_starts_but_does_not_count():
    badge = first_aid_badge()
    push(statement(verb=ATTEMPTED))
    progress = progress_of(badge)
    assert progress.started_at is not None
    assert progress.done == 0


def test_a_score_below_the_minimum_does_not_pass():
    badge = first_aid_badge()
    push(statement(activity=CPR, verb=PASSED, result={"success": True, "score": {"scaled": 0.7}}))
    assert progress_of(badge).done == 0
    push(statement(activity=CPR, verb=FAILED, result={"success": False, "score": {"scaled": 0.9}}))
    assert progress_of(badge).done == 0
    push(statement(activity=CPR, verb=PASSED, result={"success": True, "score": {"scaled": 0.85}}))
    assert progress_of(badge).done == 1


def test_statements_of_someone_nobody_knows_wait_without_progress():
    badge = first_aid_badge()
    hashed = hashlib.sha1(b"mailto:newcomer@cowork.net").hexdigest()  # noqa: S324
    push(statement(actor={"mbox_sha1sum": hashed}))
    assert LearningStatement.objects.count() == 1
    assert not LearningProgress.objects.filter(badge=badge).exists()


def test_activities_no_badge_requires_are_kept_for_later():
    badge = first_aid_badge(rules=[(FIRST_AID, "completed")])
    push(statement(activity=FIRE))
    assert LearningStatement.objects.filter(activity_id=FIRE).count() == 1
    assert progress_of(badge) is None


# --- Automatic awards ---------------------------------------------------------------------------


def complete_first_aid(email="bob@cowork.net", at=None):
    at = at or timezone.now() - timedelta(hours=1)
    return push(
        statement(email, FIRST_AID, at=at - timedelta(minutes=30), result={"completion": True}),
        statement(email, CPR, PASSED, at=at, result={"success": True, "score": {"scaled": 0.9}}),
    )


def test_the_last_requirement_awards_the_badge_once_with_its_email_and_evidence(
    django_capture_on_commit_callbacks,
):
    badge = first_aid_badge()
    with django_capture_on_commit_callbacks(execute=True):
        result = complete_first_aid()
    [made] = result.awarded
    assert (made.badge, made.recipient_email, made.status) == (badge, "bob@cowork.net", Status.ACTIVE)
    assert made.issued_by is None
    assert "Awarded from learning records" in made.narrative
    assert "Cpr Practical: done on" in made.narrative and "score 90%" in made.narrative
    evidence = LearningAward.objects.get(award=made).evidence
    assert [item["activity_id"] for item in evidence] == [FIRST_AID, CPR]
    assert all(item["statement_id"] and item["done_at"] for item in evidence)
    assert [m.to for m in mail.outbox] == [["bob@cowork.net"]]
    assert progress_of(badge).completed_at is not None


def test_completing_again_does_not_award_twice():
    badge = first_aid_badge()
    complete_first_aid()
    complete_first_aid()
    push(statement(activity=CPR, verb=PASSED, result={"success": True, "score": {"scaled": 1.0}}))
    assert Award.objects.filter(badge=badge).count() == 1


def test_no_automatic_award_when_the_switch_is_off():
    badge = first_aid_badge(auto_award=False)
    complete_first_aid()
    assert progress_of(badge).percent == 100
    assert not Award.objects.filter(badge=badge).exists()


def test_someone_already_holding_the_badge_is_not_awarded_again():
    badge = first_aid_badge()
    award(badge, "bob@cowork.net")
    assert complete_first_aid().awarded == []
    assert Award.objects.filter(badge=badge).count() == 1
    assert not LearningAward.objects.exists()


def test_an_archived_badge_is_not_awarded():
    from core.services.badges import badge_archive

    badge = first_aid_badge()
    badge_archive(badge=badge, actor=None)
    assert complete_first_aid().awarded == []


def test_a_revoked_award_is_not_given_back_for_the_same_learning():
    badge = first_aid_badge()
    [made] = complete_first_aid(at=timezone.now() - timedelta(days=3)).awarded
    award_revoke(award=made, actor=None, reason="Completed on a colleague's account.")
    Award.objects.filter(pk=made.pk).update(revoked_at=timezone.now() - timedelta(days=1))
    # The LMS sends the same statements again, and old ones from before the revocation.
    complete_first_aid(at=timezone.now() - timedelta(days=2))
    assert Award.objects.filter(badge=badge).count() == 1
    # Learning done after the revocation earns it anew.
    [again] = complete_first_aid(at=timezone.now() - timedelta(minutes=5)).awarded
    assert again.pk != made.pk and again.status == Status.ACTIVE


def test_an_expired_award_is_renewed_by_learning_after_it_expired():
    badge = first_aid_badge(validity_days=365)
    [made] = complete_first_aid(at=timezone.now() - timedelta(days=400)).awarded
    Award.objects.filter(pk=made.pk).update(
        issued_on=timezone.now() - timedelta(days=400), expires_on=timezone.now() - timedelta(days=35)
    )
    # Learning from before the expiry does not renew it...
    complete_first_aid(at=timezone.now() - timedelta(days=60))
    assert Award.objects.filter(badge=badge).count() == 1
    # ...this year's course does.
    [renewal] = complete_first_aid(at=timezone.now() - timedelta(days=1)).awarded
    made.refresh_from_db()
    assert made.superseded_at is not None
    assert renewal.status == Status.ACTIVE


def test_a_requirement_added_later_counts_learning_done_before():
    badge = first_aid_badge(rules=[(FIRST_AID, "completed")], auto_award=False)
    push(statement(activity=FIRE, at=timezone.now() - timedelta(days=30), result={"completion": True}))
    push(statement(activity=FIRST_AID, result={"completion": True}))
    assert progress_of(badge).percent == 100
    badge_learning_set(badge=badge, actor=None, activities=activities(FIRST_AID, FIRE, CPR), auto_award=False)
    progress = progress_of(badge)
    assert (progress.done, progress.required) == (2, 3)
    assert progress.activities[FIRE]["done_at"] is not None


def test_switching_auto_award_on_awards_those_already_done():
    badge = first_aid_badge(auto_award=False)
    complete_first_aid()
    _, awarded = badge_learning_set(
        badge=badge,
        actor=None,
        activities=activities((FIRST_AID, "completed"), (CPR, "passed", "0.8")),
        auto_award=True,
    )
    assert [a.recipient_email for a in awarded] == ["bob@cowork.net"]


# --- Voiding ------------------------------------------------------------------------------------


def test_voiding_undoes_progress_but_not_an_award_and_the_manager_sees_why():
    badge = first_aid_badge()
    completion = statement(result={"completion": True})
    push(completion)
    assert progress_of(badge).done == 1
    result = push(statement(activity=CPR, verb=PASSED, result={"success": True, "score": {"scaled": 0.9}}))
    [made] = result.awarded
    voided = push(voiding(completion))
    assert voided.voided == 1
    assert progress_of(badge).done == 1  # only the CPR pass counts now
    made.refresh_from_db()
    assert made.status == Status.ACTIVE
    overview = badge_progress_overview(badge)
    [person] = overview.people
    assert person.auto_awarded and person.evidence_voided


def test_a_statement_voided_before_it_arrives_counts_for_nothing():
    badge = first_aid_badge()
    completion = statement(result={"completion": True})
    push(voiding(completion))
    push(completion)
    assert LearningStatement.objects.get(pk=completion["id"]).voided_by is not None
    assert progress_of(badge) is None


def test_a_voiding_statement_and_its_target_in_one_batch():
    badge = first_aid_badge()
    completion = statement(result={"completion": True})
    push(voiding(completion), completion)
    assert progress_of(badge) is None


def test_a_voiding_statement_cannot_void_a_voiding_statement():
    first_aid_badge()
    completion = statement(result={"completion": True})
    void = voiding(completion)
    push(completion, void)
    result = push(voiding(void))
    assert result.voided == 0
    assert LearningStatement.objects.get(pk=void["id"]).voided_by is None


# --- Who is who ---------------------------------------------------------------------------------


def sign_in(username: str, email: str, name: str = "") -> User:
    user, created = User.objects.get_or_create(username=username)
    identity = SessionIdentity(username=username, email=email, full_name=name)
    identity_sync(user=user, identity=identity, created=created)
    return user


def test_an_mbox_matches_whatever_its_case():
    badge = first_aid_badge()
    push(statement("Bob@COWORK.net", result={"completion": True}))
    assert progress_of(badge).done == 1


def test_a_hashed_mbox_counts_once_the_person_is_known_and_their_earlier_statements_too():
    badge = first_aid_badge()
    hashed = hashlib.sha1(b"mailto:dan@cowork.net").hexdigest()  # noqa: S324
    push(statement(actor={"mbox_sha1sum": hashed}, result={"completion": True}))
    assert progress_of(badge, "dan@cowork.net") is None
    sign_in("dan", "dan@cowork.net", "Dan Dupont")
    progress = progress_of(badge, "dan@cowork.net")
    assert progress.done == 1
    assert progress.name == "Dan Dupont"


def test_an_account_matches_the_proxy_username_on_the_configured_home_page(settings):
    settings.XAPI_ACCOUNT_HOME_PAGE = "https://sso.cowork.net"
    badge = first_aid_badge()
    sign_in("dan", "dan@cowork.net")
    push(
        statement(
            actor={"account": {"homePage": "https://sso.cowork.net/", "name": "dan"}},
            result={"completion": True},
        ),
        statement(
            activity=CPR,
            verb=PASSED,
            actor={"account": {"homePage": "https://other-lms.example", "name": "dan"}},
            result={"success": True, "score": {"scaled": 1}},
        ),
    )
    progress = progress_of(badge, "dan@cowork.net")
    assert progress.done == 1  # the other system's "dan" is someone else


def test_every_key_of_a_person_counts_toward_one_progress(settings):
    settings.XAPI_ACCOUNT_HOME_PAGE = "https://sso.cowork.net"
    badge = first_aid_badge()
    sign_in("dan", "dan@cowork.net")
    result = push(
        statement("dan@cowork.net", result={"completion": True}),
        statement(
            activity=CPR,
            verb=PASSED,
            actor={"account": {"homePage": "https://sso.cowork.net", "name": "dan"}},
            result={"success": True, "score": {"scaled": 0.9}},
        ),
    )
    assert progress_of(badge, "dan@cowork.net").percent == 100
    assert [a.recipient_email for a in result.awarded] == ["dan@cowork.net"]


def test_a_changed_email_moves_the_keys():
    user = sign_in("dan", "dan@cowork.net")
    assert LearnerKey.objects.filter(user=user, key="mbox:dan@cowork.net").exists()
    sign_in("dan", "daniel@cowork.net")
    assert not LearnerKey.objects.filter(key="mbox:dan@cowork.net").exists()
    assert LearnerKey.objects.filter(user=user, key="mbox:daniel@cowork.net").exists()


# --- A badge's requirements ---------------------------------------------------------------------


def test_requirements_are_checked_and_each_problem_is_named():
    badge = make_badge()
    with pytest.raises(LearningInvalid) as caught:
        badge_learning_set(
            badge=badge,
            actor=None,
            activities=[
                {"id": "first aid", "name": "First aid"},
                {"id": FIRST_AID, "name": "", "url": "ftp://lms/x"},
                {"id": CPR, "name": "CPR", "requires": "attended", "min_score": "1.5"},
                {"id": CPR, "name": "CPR again"},
            ],
            auto_award=True,
        )
    errors = caught.value.activities
    assert set(errors) == {0, 1, 2, 3}
    assert set(errors[0]) == {"id"}
    assert set(errors[1]) == {"name", "url"}
    assert set(errors[2]) == {"requires", "min_score"}
    assert set(errors[3]) == {"id"}
    assert not badge.learning_requirements.exists()


def test_requirements_keep_their_order():
    badge = make_badge()
    badge_learning_set(badge=badge, actor=None, activities=activities(CPR, FIRST_AID, FIRE), auto_award=False)
    assert list(badge.learning_requirements.values_list("activity_id", flat=True)) == [CPR, FIRST_AID, FIRE]


def test_a_confirmed_second_address_brings_its_learning_to_the_same_person():
    from core.models import EmailAddress
    from core.services.learning import learner_keys_refresh

    badge = first_aid_badge()
    user = sign_in("dan", "dan@cowork.net")
    push(statement("dan@cowork.net", FIRST_AID, result={"completion": True}))
    push(
        statement(
            "dan.dupont@former-employer.example",
            CPR,
            PASSED,
            result={"success": True, "score": {"scaled": 0.9}},
        )
    )
    assert progress_of(badge, "dan@cowork.net").done == 1
    assert progress_of(badge, "dan.dupont@former-employer.example").done == 1  # someone else, so far
    EmailAddress.objects.create(
        user=user, email="dan.dupont@former-employer.example", confirmed_at=timezone.now()
    )
    learner_keys_refresh(user=user)  # what confirming the address does
    assert progress_of(badge, "dan@cowork.net").percent == 100
    assert progress_of(badge, "dan.dupont@former-employer.example") is None
    assert badge.awards.get().recipient_email == "dan@cowork.net"
