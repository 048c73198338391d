"""Production mode: refuses to start without secrets, passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_SECRET = "k3Y-for-the-deploy-check_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXwVuTsRqPoNm"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DJAODJIN_"))}
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


def test_development_mode_starts_with_default_secrets():
    assert manage("check", DJANGO_DEBUG="true").returncode == 0


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
        ALLOWED_HOSTS="badges.example.com",
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
