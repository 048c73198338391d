"""The organisation dashboard page and its CSV downloads."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Award, Notification, NotificationKind
from core.services.awards import award_revoke
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    first_aid = make_badge(name="First Aid")
    fire = make_badge(name="=Fire Warden")  # a name a spreadsheet would run as a formula
    now = timezone.now()
    award(first_aid, "zoe@cowork.net", "Zoë Ødegård")
    soon = award(first_aid, "bob@cowork.net", "Bob")
    Award.objects.filter(pk=soon.pk).update(expires_on=now + timedelta(days=5))
    later = award(fire, "yuki@cowork.net", "Yuki")
    Award.objects.filter(pk=later.pk).update(expires_on=now + timedelta(days=50))
    award_revoke(award=award(fire, "mallory@cowork.net"), actor=None, reason="Given by mistake")
    award(make_badge(org="snakeoil", name="Pythonista"), "zoe@cowork.net")
    return {"soon": soon, "later": later}


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response).decode("utf-8") if response.streaming else response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_managers_see_each_chart_with_its_table(alice, data):
    response = alice.get(reverse("dashboard", args=["cowork"]))
    assert response.status_code == 200
    page = response.content.decode()
    for testid in ("months-table", "status-table", "most-held-table", "expiring-table", "expiring-people"):
        assert f'data-testid="{testid}"' in page
    assert response.context["summary"].status.active == 3
    assert response.context["summary"].status.revoked == 1
    assert [(a.recipient_email) for a in response.context["expiring"]] == ["bob@cowork.net"]
    # Chart.js from our static files, no inline script (the CSP refuses them).
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in page
    assert "<script>" not in page and "<script>\n" not in page
    assert "No learning records yet" in page


def test_the_expiry_window_is_chosen_and_unknown_windows_fall_back(alice, data):
    url = reverse("dashboard", args=["cowork"])
    listed = alice.get(url, {"within": "60"}).context["expiring"]
    assert [a.recipient_email for a in listed] == ["bob@cowork.net", "yuki@cowork.net"]
    for bad in ("7", "x", ""):
        response = alice.get(url, {"within": bad})
        assert response.status_code == 200 and response.context["within"] == 30


def test_remind_queues_the_expiry_reminder_and_comes_back(alice, data):
    dashboard = reverse("dashboard", args=["cowork"]) + "?within=30"
    response = alice.post(
        reverse("notifications-resend", args=["cowork"]),
        {"award": str(data["soon"].pk), "kind": "expiring", "next": dashboard},
    )
    assert response.status_code == 302 and response["Location"] == dashboard
    assert Notification.objects.filter(award=data["soon"], kind=NotificationKind.EXPIRING).exists()
    page = alice.get(dashboard).content.decode()
    assert "Reminder queued" in page


def test_the_page_takes_a_fixed_number_of_queries(alice, data, django_assert_max_num_queries):
    url = reverse("dashboard", args=["cowork"])
    alice.get(url)
    for n in range(30):
        Award.objects.filter(pk=award(data["soon"].badge, f"p{n}@cowork.net").pk).update(
            expires_on=timezone.now() + timedelta(days=3)
        )
    with django_assert_max_num_queries(14):
        assert alice.get(url).status_code == 200


@pytest.mark.parametrize(
    "dataset, expected",
    [
        ("status", [["status", "awards"], ["active", "3"], ["expired", "0"], ["revoked", "1"]]),
        (
            "most-held",
            [
                ["badge", "badge_slug", "holders"],
                ["First Aid", "first-aid", "2"],
                ["'=Fire Warden", "fire-warden", "1"],
            ],
        ),
    ],
)
def test_csv_downloads_hold_the_charts_figures(alice, data, dataset, expected):
    response = alice.get(reverse("dashboard-csv", args=["cowork", dataset]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="cowork-{dataset}.csv"'
    assert _csv(response) == expected


def test_the_months_csv_has_twelve_months_ending_with_this_one(alice, data):
    rows = _csv(alice.get(reverse("dashboard-csv", args=["cowork", "months"])))
    assert rows[0] == ["month", "issued", "revoked"] and len(rows) == 13
    assert rows[-1] == [f"{timezone.localtime():%Y-%m}", "4", "1"]


def test_the_expiring_csv_lists_the_people_of_the_window(alice, data):
    rows = _csv(alice.get(reverse("dashboard-csv", args=["cowork", "expiring"]), {"within": "90"}))
    assert rows[0][:5] == ["award_id", "badge", "badge_slug", "recipient_email", "recipient_name"]
    assert [row[3] for row in rows[1:]] == ["bob@cowork.net", "yuki@cowork.net"]
    assert rows[2][1] == "'=Fire Warden"
    assert rows[1][6].endswith(reverse("award-detail", args=[data["soon"].pk]))


def test_the_learning_csv_has_a_header_even_when_empty(alice, data):
    rows = _csv(alice.get(reverse("dashboard-csv", args=["cowork", "learning"])))
    assert rows == [["badge", "badge_slug", "0-24%", "25-49%", "50-74%", "75-99%", "completed"]]


def test_an_unknown_dataset_is_404(alice, data):
    assert alice.get(reverse("dashboard-csv", args=["cowork", "salaries"])).status_code == 404


def test_managers_of_another_organisation_and_members_get_404(bob, hana, data):
    for client in (bob, hana):
        assert client.get(reverse("dashboard", args=["cowork"])).status_code == 404
        assert client.get(reverse("dashboard-csv", args=["cowork", "status"])).status_code == 404


def test_managers_reach_it_from_the_header(alice, bob, data):
    link = f'href="{reverse("dashboard", args=["cowork"])}"'
    assert link in alice.get(reverse("home")).content.decode()
    assert link not in bob.get(reverse("home")).content.decode()
