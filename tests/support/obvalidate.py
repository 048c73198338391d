"""Run the 1EdTech Open Badges reference validator on some badges; print its reports as JSON.

Runs under ``.venv-obvalidator/bin/python`` (the validator's pins conflict with
ours, see requirements-obvalidator.txt), as a subprocess of
tests/domain/openbadges/test_reference_validator.py. Reads a JSON list on stdin, each item
``{"url": ...}`` or ``{"file": path-to-a-baked-image}``, with ``"email"``, the
recipient to check. The Open Badges v2 context is served from the validator's
bundled copy, so nothing is fetched from the internet.
"""

import json
import sys

from openbadges.verifier import verifier as obv
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT, OPENBADGES_CONTEXT_V2_URI
from openbadges.verifier.utils import CachableDocumentLoader
from openbadges_bakery import unbake


class OfflineDocumentLoader(CachableDocumentLoader):
    def __call__(self, url):
        if url.rstrip("/") == OPENBADGES_CONTEXT_V2_URI:
            return {
                "contextUrl": None,
                "documentUrl": url,
                "document": json.dumps(OPENBADGES_CONTEXT_V2_DICT),
            }
        return super().__call__(url)


def validate(item: dict) -> dict:
    options = dict(obv.DEFAULT_OPTIONS)
    options["use_cache"] = False
    options["cache_backend"] = None  # plain requests, no requests-cache
    options["jsonld_options"] = {"documentLoader": OfflineDocumentLoader(use_cache=False)}
    profile = {"email": item["email"]}
    if "file" in item:
        with open(item["file"], "rb") as baked:
            badge_input = unbake(baked)
        # Its bakery returns an SVG's verify URL as bytes, which the validator then cannot
        # read on Python 3: decode it, as the validator means to.
        if isinstance(badge_input, bytes):
            badge_input = badge_input.decode("utf-8")
    else:
        badge_input = item["url"]
    store = obv.verification_store(badge_input, profile, options=options)
    report = obv.generate_report(store, options=options)["report"]
    return {
        "input": item.get("url") or item.get("file"),
        "valid": report["valid"],
        "errorCount": report["errorCount"],
        "warningCount": report["warningCount"],
        "recipientProfile": report.get("recipientProfile"),
        "messages": report["messages"],
    }


if __name__ == "__main__":
    json.dump([validate(item) for item in json.load(sys.stdin)], sys.stdout, indent=2, default=str)
