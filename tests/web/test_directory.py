"""The managers' person search and person page."""

import pytest
from django.urls import reverse

from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    badge = make_badge(name="First Aid")
    award(badge, "zoe.odegard@cowork.net", "Zoë Ødegård")
    for n in range(30):
        award(badge, f"person{n:02d}@cowork.net", f"Person {n:02d}")
    award(make_badge(org="snakeoil", name="Pythonista"), "zoe@snakeoil.example", "Zoë Elsewhere")
    return badge


def test_the_search_finds_a_person_and_links_to_their_page(alice, data):
    response = alice.get(reverse("people-search", args=["cowork"]), {"q": "Ødegård"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "zoe.odegard@cowork.net" in page and "snakeoil.example" not in page
    assert f"{reverse('person-detail', args=['cowork'])}?email=zoe.odegard%40cowork.net" in page


def test_without_a_search_it_asks_for_one(alice, data):
    response = alice.get(reverse("people-search", args=["cowork"]))
    assert response.context["people"] is None
    assert 'data-testid="people-prompt"' in response.content.decode()


def test_nothing_matching_says_so(alice, data):
    response = alice.get(reverse("people-search", args=["cowork"]), {"q": "nobody-at-all"})
    assert response.status_code == 200
    assert "Nobody in Chamoix Coworking matches “nobody-at-all”." in response.content.decode()


def test_results_are_paged_and_the_search_is_kept(alice, data):
    url = reverse("people-search", args=["cowork"])
    first = alice.get(url, {"q": "person"})
    assert len(first.context["people"].object_list) == 25
    assert "?q=person&amp;page=2" in first.content.decode()
    second = alice.get(url, {"q": "person", "page": "2"})
    assert [row.email for row in second.context["people"]] == [f"person{n}@cowork.net" for n in range(25, 30)]


def test_odd_input_is_not_an_error(alice, data):
    url = reverse("people-search", args=["cowork"])
    for text in ("\x00", "%", "_", "x" * 5000):
        assert alice.get(url, {"q": text, "page": "nope"}).status_code == 200


def test_the_person_page_lists_their_awards_with_status(alice, data):
    response = alice.get(reverse("person-detail", args=["cowork"]), {"email": "Zoe.Odegard@cowork.net"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "First Aid" in page and 'data-status="active"' in page
    assert "Pythonista" not in page


def test_an_unknown_person_is_404(alice, data):
    url = reverse("person-detail", args=["cowork"])
    assert alice.get(url, {"email": "zoe@snakeoil.example"}).status_code == 404
    assert alice.get(url).status_code == 404


def test_members_and_other_managers_get_404(bob, hana, data):
    for client in (bob, hana):
        assert client.get(reverse("people-search", args=["cowork"]), {"q": "zoe"}).status_code == 404
        assert (
            client.get(
                reverse("person-detail", args=["cowork"]), {"email": "zoe.odegard@cowork.net"}
            ).status_code
            == 404
        )
