"""Settings read the environment strictly: a malformed value stops start-up with its name."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from settings.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("On", True), ("0", False), ("", False)])
def test_booleans_are_read_in_their_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("BADGEAPP_FLAG", value)
    assert env_bool("BADGEAPP_FLAG") is expected


def test_a_malformed_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("BADGEAPP_FLAG", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="BADGEAPP_FLAG must be true or false"):
        env_bool("BADGEAPP_FLAG")


def test_a_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("BADGEAPP_LIMIT", "12 KB")
    with pytest.raises(ImproperlyConfigured, match="BADGEAPP_LIMIT must be a whole number"):
        env_int("BADGEAPP_LIMIT", 1)


def test_unset_or_empty_values_give_the_default(monkeypatch):
    monkeypatch.delenv("BADGEAPP_UNSET", raising=False)
    monkeypatch.setenv("BADGEAPP_EMPTY", " ")
    assert env_str("BADGEAPP_UNSET", "d") == "d"
    assert env_bool("BADGEAPP_UNSET", True) is True
    assert env_int("BADGEAPP_EMPTY", 7) == 7
    assert env_list("BADGEAPP_EMPTY", ["a"]) == ["a"]


def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("BADGEAPP_HOSTS", " a.example , b.example,,")
    assert env_list("BADGEAPP_HOSTS", []) == ["a.example", "b.example"]


def test_the_test_settings_pin_values_without_writing_the_environment():
    import os

    assert os.environ.get("BADGEAPP_BASE_URL") != "https://badges.example.com"
    assert env_str("BADGEAPP_BASE_URL") == "https://badges.example.com"
