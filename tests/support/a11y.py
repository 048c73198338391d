"""Accessibility checks in the browser: axe-core, from the pinned npm package, injected by Playwright.

``assert_accessible(page)`` runs every axe rule (WCAG 2.0-2.2 A and AA, and axe's
best practices) on the page as it is now and fails on any violation, listing each
rule, its help and the elements that break it. axe-core comes from
``tests/e2e/axe/node_modules`` (``make axe``, run by ``make test``), never from a CDN.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[1] / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# Every rule axe runs by default, tagged by what it checks.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_source() -> str:
    """axe-core's code; skips (fails in CI) when ``make axe`` has not installed it."""
    if not AXE_JS.exists():
        message = f"axe-core is not installed ({AXE_JS}): run `make axe` (needs npm)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


def install_axe(context) -> None:
    """Load axe-core into every page of ``context``, before the page's own scripts.

    An init script, not a ``<script>`` tag: the pages' Content-Security-Policy
    refuses inline scripts, and it should keep doing so under test.
    """
    context.add_init_script(script=axe_source())


def axe_violations(page) -> list[dict]:
    """axe's violations on ``page`` as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        raise AssertionError("axe-core is not loaded: call install_axe(context) before opening pages")
    results = page.evaluate("async (options) => await axe.run(document, options)", AXE_OPTIONS)
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page, what: str = "") -> None:
    """Fail on any axe violation on ``page``."""
    violations = axe_violations(page)
    where = what or page.url
    assert not violations, f"axe found {len(violations)} violation(s) on {where}:\n{describe(violations)}"
