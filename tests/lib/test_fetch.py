"""core.lib.fetch's network rules: which addresses an import may reach."""

import pytest

from core.lib.fetch import FetchRefused, check_address


@pytest.fixture
def production_rules(settings):
    settings.DEBUG = False
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = False
    settings.OPENBADGES_FETCH_ALLOWED_NETWORKS = []
    settings.OPENBADGES_FETCH_LOOPBACK = False
    return settings


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.0.0.5"])
def test_private_and_loopback_addresses_are_refused(production_rules, address):
    with pytest.raises(FetchRefused):
        check_address(address, 8000)


def test_development_may_reach_its_own_server_on_loopback(production_rules):
    production_rules.DEBUG = True
    production_rules.OPENBADGES_FETCH_LOOPBACK = True

    check_address("127.0.0.1", 8801)
    check_address("::1", 8801)
    with pytest.raises(FetchRefused):  # loopback only: the rest of the network stays out
        check_address("10.0.0.5", 80)
    with pytest.raises(FetchRefused):
        check_address("169.254.169.254", 80)


def test_the_loopback_setting_does_nothing_outside_development(production_rules):
    production_rules.OPENBADGES_FETCH_LOOPBACK = True  # settings refuse it at start; and here too

    with pytest.raises(FetchRefused):
        check_address("127.0.0.1", 8000)
