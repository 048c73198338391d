"""Run Digital Bazaar's verifier (``tests/vc_verifier/verify.mjs``) on credentials, offline.

Installed by ``make vcverifier`` (``npm ci`` from the committed lockfile). In CI
(``CI=true``) its absence is an error; elsewhere the tests that need it skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VERIFIER_DIR = Path(__file__).resolve().parent.parent / "vc_verifier"
SCRIPT = VERIFIER_DIR / "verify.mjs"


def require_verifier() -> None:
    """Skip the calling module (or fail in CI) when node or the npm packages are missing."""
    missing = None
    if shutil.which("node") is None:
        missing = "node is not installed"
    elif not (VERIFIER_DIR / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        missing = "the npm verifier is not installed: run `make vcverifier`"
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{missing}: CI must run the independent verifier.")
    pytest.skip(missing, allow_module_level=True)


def node_verify(cases: list[dict]) -> list[dict]:
    """One result ``{"verified", "revoked", "errors", "statuses"}`` per case.

    A case is ``{"credential", "documents", "now"}`` (``now`` optional).
    """
    result = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=VERIFIER_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def node_verify_one(credential: dict, documents: dict, now: str | None = None) -> dict:
    case = {"credential": credential, "documents": documents, **({"now": now} if now else {})}
    return node_verify([case])[0]
