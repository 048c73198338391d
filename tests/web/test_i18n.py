"""Pages in the person's language and time zone: the switcher's cookie, else Accept-Language,
else the site's; right to left for Arabic; dates, numbers and plurals localised."""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import get_language_info

from core.models import Preference
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def html_tag(response) -> str:
    return html_tag_of(response.content.decode())


def html_tag_of(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


def test_without_a_choice_pages_follow_the_browser_language(alice):
    response = alice.get(reverse("home"), headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})
    assert html_tag(response) == '<html lang="fr" dir="ltr">'
    assert "Mes badges" in response.content.decode()
    assert response["Content-Language"] == "fr"


def test_the_chosen_language_wins_over_the_browser(alice):
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = alice.get(reverse("home"), headers={"Accept-Language": "de"})
    assert html_tag(response) == '<html lang="fr" dir="ltr">'


def test_an_unknown_language_gives_the_site_default(alice, settings):
    response = alice.get(reverse("home"), headers={"Accept-Language": "tlh"})
    assert html_tag(response) == '<html lang="en" dir="ltr">'


def test_arabic_pages_are_right_to_left_with_bootstraps_rtl_build(alice):
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = alice.get(reverse("home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html and "bootstrap.min.css" not in html
    assert ">شاراتي<" in html  # "My badges", in Arabic


def test_japanese_pages_are_translated_with_their_single_plural_form(alice):
    alice.get(reverse("home"))
    badge = make_badge()
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    html = alice.get(reverse("home")).content.decode()
    assert html_tag_of(html) == '<html lang="ja" dir="ltr">'
    assert "マイバッジ" in html and "bootstrap.rtl.min.css" not in html
    award(badge, "zoe@example.org", "Zoë")
    award(badge, "ada@example.org", "Ada")
    html = alice.get(reverse("badge-list", args=["cowork"])).content.decode()
    assert "保有者 2 人<" in html  # Japanese has one form for every count


def test_arabic_counts_take_its_one_two_few_and_many_forms(alice):
    alice.get(reverse("home"))
    badge = make_badge()
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    holders = 0
    # one, two, few (3-10), many (11-99): each different words for "valid holder"
    for count, words in [
        (1, "1 حامل صالح<"),
        (2, "2 حاملان صالحان<"),
        (3, "3 حاملين صالحين<"),
        (11, "11 حاملًا صالحًا<"),
    ]:
        while holders < count:
            holders += 1
            award(badge, f"person{holders}@example.org")
        html = alice.get(reverse("badge-list", args=["cowork"])).content.decode()
        assert words in html


def test_the_403_for_a_request_without_a_session_is_in_the_visitors_language():
    # deployutils refuses it before the view: the language is chosen before that.
    response = Client().get(reverse("home"), headers={"Accept-Language": "fr"})
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_public_pages_are_translated_too():
    given = award(make_badge(), "zoe@example.org", "Zoë")
    html = Client().get(given.get_absolute_url(), headers={"Accept-Language": "fr"}).content.decode()
    assert "Décerné à <strong>Zoë</strong>" in html
    assert "Copier le lien" in html


def test_the_switcher_is_on_every_page_with_each_language_named_in_itself():
    given = award(make_badge(), "zoe@example.org", "Zoë")
    html = Client().get(given.get_absolute_url()).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert '<option value="fr" lang="fr">français</option>' in html
    assert '<option value="ja" lang="ja">日本語</option>' in html
    assert f'<option value="ar" lang="ar">{get_language_info("ar")["name_local"]}</option>' in html
    assert 'name="next"' in html


def test_choosing_a_language_sets_the_cookie_and_goes_back(alice):
    response = alice.post(reverse("set_language"), {"language": "fr", "next": "/verify/"})
    assert response.status_code == 302 and response["Location"] == "/verify/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Vérifier un badge" in alice.get(reverse("verify")).content.decode()


def test_a_signed_in_persons_choice_is_stored_for_their_emails(alice):
    alice.cookies[settings.TIME_ZONE_COOKIE_NAME] = "Europe/Paris"
    alice.post(reverse("set_language"), {"language": "de"})
    preference = Preference.objects.get(user__username="alice")
    assert (preference.language, preference.time_zone) == ("de", "Europe/Paris")
    alice.cookies[settings.TIME_ZONE_COOKIE_NAME] = "Not/AZone"
    alice.post(reverse("set_language"), {"language": "ja"})
    preference.refresh_from_db()
    assert (preference.language, preference.time_zone) == ("ja", "Europe/Paris")  # a bad zone is not kept


def test_an_unknown_language_is_neither_set_nor_stored(alice):
    response = alice.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not Preference.objects.exists()


def test_an_anonymous_choice_is_only_a_cookie():
    response = Client().post(reverse("set_language"), {"language": "ar", "next": "/awards/x/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert not Preference.objects.exists()


def test_the_switcher_will_not_send_anyone_to_another_site(alice):
    response = alice.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_dates_show_in_the_persons_time_zone_and_language(alice):
    badge = make_badge()
    given = award(badge, "zoe@example.org", "Zoë")
    given.issued_on = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
    given.save()
    url = given.get_absolute_url()
    assert "5 March 2026" in Client().get(url).content.decode()  # the site's zone: UTC
    tokyo = Client()
    tokyo.cookies[settings.TIME_ZONE_COOKIE_NAME] = "Asia/Tokyo"
    tokyo.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = tokyo.get(url).content.decode()
    assert "6 mars 2026" in html  # already the next day in Tokyo
    assert "Les heures sont affichées dans le fuseau Asia/Tokyo." in html


def test_a_cookie_that_names_no_time_zone_is_ignored():
    given = award(make_badge(), "zoe@example.org", "Zoë")
    client = Client()
    client.cookies[settings.TIME_ZONE_COOKIE_NAME] = "../../etc/passwd"
    response = client.get(given.get_absolute_url())
    assert response.status_code == 200
    assert "Times are shown in UTC." in response.content.decode()


@pytest.mark.parametrize(
    ("accept", "code", "phrases"),
    [
        # (Accept-Language, <html lang>, words of the home and badge list pages in that language)
        ("de-DE, de;q=0.9", "de", ["Meine Badges", "Badge entwerfen", "2 gültige Inhaber<"]),
        ("es-ES, es;q=0.9", "es", ["Mis insignias", "Diseñar una insignia", "2 titulares válidos<"]),
        ("pt-BR, pt;q=0.9", "pt-br", ["Meus badges", "Criar um badge", "2 titulares válidos<"]),
    ],
)
def test_pages_show_in_each_shipped_language(alice, accept, code, phrases):
    home = alice.get(reverse("home"), headers={"Accept-Language": accept})
    assert html_tag(home) == f'<html lang="{code}" dir="ltr">'
    badge = make_badge()
    award(badge, "zoe@example.org", "Zoë")
    award(badge, "ada@example.org", "Ada")
    badges = alice.get(reverse("badge-list", args=["cowork"]), headers={"Accept-Language": accept})
    html = home.content.decode() + badges.content.decode()
    for phrase in phrases:
        assert phrase in html


def test_counts_use_each_languages_plural_forms(alice):
    alice.get(reverse("home"))
    badge = make_badge()
    award(badge, "zoe@example.org", "Zoë")
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = alice.get(reverse("badge-list", args=["cowork"])).content.decode()
    assert "1 titulaire valide<" in html
    award(badge, "ada@example.org", "Ada")
    html = alice.get(reverse("badge-list", args=["cowork"])).content.decode()
    assert "2 titulaires valides<" in html


def test_service_messages_reach_the_page_in_the_persons_language(alice):
    alice.get(reverse("home"))
    badge = make_badge()
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    url = reverse("award-create", args=["cowork", badge.slug])
    response = alice.post(url, {"recipients": "not-an-email"})
    html = response.content.decode().replace("\u00a0", " ")  # French puts a no-break space before ":"
    assert "Ligne 1 : « not-an-email » n’est pas une adresse e-mail valide." in html


def test_form_errors_open_with_a_summary_linking_to_each_field(alice):
    alice.get(reverse("home"))
    response = alice.post(reverse("badge-create", args=["cowork"]), {"name": "", "description": ""})
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S).group(0)
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert re.search(r"There are \d+ problems:", summary)
    assert '<a href="#id_name">Name: This field is required.</a>' in summary
    assert '<a href="#id_criteria_narrative">Criteria: This field is required.</a>' in summary
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_name_error"' in html


def test_a_valid_form_has_no_summary(alice):
    alice.get(reverse("home"))
    assert "data-error-summary" not in alice.get(reverse("badge-create", args=["cowork"])).content.decode()


def test_each_revoke_button_names_whose_award_it_revokes(alice):
    alice.get(reverse("home"))
    badge = make_badge()
    award(badge, "zoe@example.org", "Zoë Ødegård")
    award(badge, "anon@example.org", "")
    html = alice.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
    assert 'aria-label="Revoke Zoë Ødegård’s award">Revoke</a>' in html
    assert 'aria-label="Revoke anon@example.org’s award">Revoke</a>' in html
    assert "<th></th>" not in html
    assert '<span class="visually-hidden">Actions</span>' in html


def test_text_people_type_takes_its_own_direction_inside_an_arabic_page(alice):
    """An English description on an Arabic page keeps its full stop at its own end (dir="auto")."""
    badge = make_badge(description="Pours latte art.", criteria_narrative="Ten cups in a row.")
    given = award(badge, "zoe@cowork.net", narrative="Best in the team.")
    pages = (
        Client().get(reverse("award-detail", args=[given.pk]), headers={"Accept-Language": "ar"}),
        alice.get(
            reverse("badge-detail", args=[badge.organisation.slug, badge.slug]),
            headers={"Accept-Language": "ar"},
        ),
    )
    for page in pages:
        body = page.content.decode()
        assert html_tag_of(body) == '<html lang="ar" dir="rtl">'
        for text in ("Pours latte art.", "Ten cups in a row."):
            assert re.search(rf'<p[^>]*\bdir="auto"[^>]*>{re.escape(text)}</p>', body), text
    assert '<p dir="auto">Best in the team.</p>' in pages[0].content.decode()
