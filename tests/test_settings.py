"""Production mode: refuses to start without secrets, passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.domain.credentials.keys import generate_secret, parse_keyring

ROOT = Path(__file__).resolve().parent.parent
STRONG_SECRET = "k3Y-for-the-deploy-check_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXwVuTsRqPoNm"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DJAODJIN_", "BADGEAPP_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env, missing",
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJAODJIN_SECRET_KEY": "x" * 40}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": STRONG_SECRET}, "DJAODJIN_SECRET_KEY"),
        (
            {
                "DJANGO_SECRET_KEY": "dev-only-insecure-secret-key-do-not-use-in-production-0123456789",
                "DJAODJIN_SECRET_KEY": "x" * 40,
            },
            "DJANGO_SECRET_KEY",
        ),
        (
            {"DJANGO_SECRET_KEY": STRONG_SECRET, "DJAODJIN_SECRET_KEY": "dev-only-djaodjin-secret-key"},
            "DJAODJIN_SECRET_KEY",
        ),
    ],
)
def test_production_refuses_to_start_without_real_secrets(env, missing):
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set to a secret value in production mode" in result.stderr


OB3_KEY = generate_secret()
PRODUCTION = {
    "DJANGO_SECRET_KEY": STRONG_SECRET,
    "DJAODJIN_SECRET_KEY": "a-shared-secret-from-djaodjin-0123456789",
    "BADGEAPP_BASE_URL": "https://badges.example.com",
    "OB3_SIGNING_KEY": OB3_KEY,
}


@pytest.mark.parametrize(
    "change, says",
    [
        ({"OB3_SIGNING_KEY": ""}, "no signing key is configured"),
        (
            {"OB3_SIGNING_KEY": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"},
            "not an Ed25519 secretKeyMultibase",
        ),
        ({"OB3_RETIRED_KEYS": "not-a-key"}, "retired key"),
    ],
)
def test_production_refuses_to_start_without_a_valid_signing_key(change, says):
    result = manage("check", **{**PRODUCTION, **change})
    assert result.returncode != 0
    assert "Open Badges 3.0 signing" in result.stderr and says in result.stderr


def test_the_signing_key_can_come_from_a_mounted_file(tmp_path):
    key_file = tmp_path / "ob3.key"
    key_file.write_text(OB3_KEY + "\n")
    env = {**PRODUCTION, "OB3_SIGNING_KEY": "", "OB3_SIGNING_KEY_FILE": str(key_file)}
    assert manage("check", **env).returncode == 0
    env["OB3_SIGNING_KEY_FILE"] = str(tmp_path / "missing.key")
    result = manage("check", **env)
    assert result.returncode != 0
    assert "OB3_SIGNING_KEY_FILE" in result.stderr


@pytest.mark.parametrize("base_url", [None, "http://badges.example.com"])
def test_production_needs_a_public_https_base_url(base_url):
    env = {k: v for k, v in PRODUCTION.items() if k != "BADGEAPP_BASE_URL"}
    if base_url:
        env["BADGEAPP_BASE_URL"] = base_url
    result = manage("check", **env)
    assert result.returncode != 0
    assert "BADGEAPP_BASE_URL must be the app's public https origin" in result.stderr


def test_production_refuses_the_mockup_login():
    result = manage("check", BADGEAPP_MOCKUP_LOGIN="true", **PRODUCTION)
    assert result.returncode != 0
    assert "BADGEAPP_MOCKUP_LOGIN is for development" in result.stderr


def test_production_serves_collected_static_files_and_keeps_login_behind_the_proxy(tmp_path):
    env = {**PRODUCTION, "ALLOWED_HOSTS": "testserver", "DJANGO_HTTPS": "false"}
    env["DJANGO_STATIC_ROOT"] = str(tmp_path / "static")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert manage("collectstatic", "--noinput", "-v0", **env).returncode == 0
    probe = (
        "from django.test import Client; from django.templatetags.static import static; c = Client(); "
        "css = static('vendor/bootstrap-5.3.8/bootstrap.min.css'); "
        "print(c.get('/login/').status_code, c.post('/login/', {'username': 'alice'}).status_code, "
        "c.get(css).status_code, css)"
    )
    result = manage("shell", "--no-imports", "-c", probe, **env)
    assert result.returncode == 0, result.stderr
    login_get, login_post, css_status, css_url = result.stdout.split()
    # No mockup login in production: /login/ is neither routed to it nor public.
    assert (login_get, login_post) == ("403", "403")
    # whitenoise serves the hashed, collected file.
    assert css_status == "200" and css_url != "/static/vendor/bootstrap-5.3.8/bootstrap.min.css"


def test_development_mode_starts_with_default_secrets_and_makes_its_own_signing_key():
    assert manage("check", DJANGO_DEBUG="true").returncode == 0
    # The key it made on first start, kept out of git, is a valid one.
    key_file = ROOT / ".ob3-signing-key"
    assert parse_keyring(key_file.read_text())
    ignored = subprocess.run(["git", "check-ignore", "-q", str(key_file)], cwd=ROOT, check=False)
    assert ignored.returncode == 0


def test_malformed_boolean_is_refused():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_deploy_check_passes_with_no_warning_when_configured_for_https():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=STRONG_SECRET,
        DJAODJIN_SECRET_KEY="a-shared-secret-from-djaodjin-0123456789",
        OB3_SIGNING_KEY=OB3_KEY,
        ALLOWED_HOSTS="badges.example.com",
        BADGEAPP_BASE_URL="https://badges.example.com",
        CSRF_TRUSTED_ORIGINS="https://badges.example.com",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deployutils_debug_log_is_off_unless_asked_for():
    from django.conf import settings

    assert settings.LOGGING["loggers"]["deployutils"]["level"] == "WARNING"
    import logging

    assert not logging.getLogger("deployutils.crypt").isEnabledFor(logging.DEBUG)


def test_ob3_new_key_prints_a_key_and_how_to_rotate():
    result = manage("ob3_new_key", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    secret = lines[0].removeprefix("OB3_SIGNING_KEY=")
    assert parse_keyring(secret).current_public in lines[1]
    current = parse_keyring(OB3_KEY).current_public
    assert lines[2].endswith(f"OB3_RETIRED_KEYS={current}")
    # The printed line is accepted as it is, with the old key retired.
    assert (
        manage("check", **{**PRODUCTION, "OB3_SIGNING_KEY": secret, "OB3_RETIRED_KEYS": current}).returncode
        == 0
    )


@pytest.mark.parametrize(
    "key, reason",
    [
        pytest.param("changeme", "at least 32 characters", id="short"),
        pytest.param("changeme" * 5, "too predictable", id="a-word-repeated"),
        pytest.param("x" * 64, "too predictable", id="one-character"),
        pytest.param("clé-très-secrète-partagée-avec-djaodjin-0123456789", "printable ASCII", id="accents"),
        pytest.param("🐍" * 40, "printable ASCII", id="emoji"),
        pytest.param("a shared secret with spaces in it 0123456789 abcdef", "printable ASCII", id="spaces"),
    ],
)
def test_production_refuses_a_weak_djaodjin_key(key, reason):
    result = manage("check", **{**PRODUCTION, "DJAODJIN_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJAODJIN_SECRET_KEY is refused in production mode" in result.stderr
    assert reason in result.stderr
    assert key not in result.stderr  # the key itself is never printed


def test_production_refuses_the_deployutils_debug_log():
    result = manage("check", DEPLOYUTILS_DEBUG_LOG="true", **PRODUCTION)
    assert result.returncode != 0
    assert "DEPLOYUTILS_DEBUG_LOG prints the shared key" in result.stderr


def test_development_may_turn_on_the_deployutils_debug_log():
    result = manage("check", DJANGO_DEBUG="true", DEPLOYUTILS_DEBUG_LOG="true")
    assert result.returncode == 0, result.stderr


def test_a_random_key_is_accepted():
    import secrets

    from settings.env import weak_secret_reason

    assert all(weak_secret_reason(secrets.token_urlsafe(48)) is None for _ in range(200))
    assert weak_secret_reason(PRODUCTION["DJAODJIN_SECRET_KEY"]) is None


def setting(name: str, **env: str) -> str:
    result = manage("shell", "-c", f"from django.conf import settings; print(settings.{name})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_in_development_links_follow_the_address_make_run_serves():
    assert setting("BADGEAPP_BASE_URL", DJANGO_DEBUG="true") == "http://127.0.0.1:8000"
    assert setting("BADGEAPP_BASE_URL", DJANGO_DEBUG="true", BADGEAPP_DEV_HOST="127.0.0.1:8801") == (
        "http://127.0.0.1:8801"
    )
    # Served on every interface: reached (and linked) on this machine.
    env = {"DJANGO_DEBUG": "true", "BADGEAPP_DEV_HOST": "0.0.0.0:8802"}
    assert setting("BADGEAPP_BASE_URL", **env) == "http://127.0.0.1:8802"
    # A host name is served too, not refused as a bad Host.
    env = {"DJANGO_DEBUG": "true", "BADGEAPP_DEV_HOST": "devbox.local:8000"}
    assert "devbox.local" in setting("ALLOWED_HOSTS", **env)
    # An explicit base URL still wins.
    env = {
        "DJANGO_DEBUG": "true",
        "BADGEAPP_DEV_HOST": "127.0.0.1:8801",
        "BADGEAPP_BASE_URL": "http://b.test",
    }
    assert setting("BADGEAPP_BASE_URL", **env) == "http://b.test"


def test_a_malformed_development_host_is_refused():
    result = manage("check", DJANGO_DEBUG="true", BADGEAPP_DEV_HOST="http://127.0.0.1")
    assert result.returncode != 0
    assert "BADGEAPP_DEV_HOST must be host:port" in result.stderr


def test_make_run_passes_its_host_to_the_server_and_the_worker():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1:8801"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    lines = [line for line in result.stdout.splitlines() if "runserver" in line or "db_worker" in line]
    assert len(lines) == 2
    assert all("BADGEAPP_DEV_HOST=127.0.0.1:8801" in line for line in lines)


def test_production_refuses_loopback_fetches():
    result = manage("check", **PRODUCTION, OPENBADGES_FETCH_LOOPBACK="true")
    assert result.returncode != 0
    assert "OPENBADGES_FETCH_LOOPBACK is for development" in result.stderr


def test_production_refuses_fetches_to_private_networks():
    result = manage("check", **PRODUCTION, OPENBADGES_ALLOW_PRIVATE_FETCH="true")
    assert result.returncode != 0
    assert "OPENBADGES_ALLOW_PRIVATE_FETCH opens the fetcher to this network" in result.stderr
