"""The JSON-LD document loader: bundled contexts only, never the network.

A context is part of what a Data Integrity signature covers (it decides which
IRIs the terms expand to), so the copy used must not depend on who answers a
fetch at signing or verifying time. Every context badgeapp reads is a file in
``contexts/`` (provenance in ``contexts/SOURCES.md``); any other URL is refused
with :class:`ContextNotBundled`, which names it.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from types import MappingProxyType

from core.domain.credentials.errors import ContextNotBundled

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
DATA_INTEGRITY_V1 = "https://w3id.org/security/data-integrity/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"

#: Context URL -> bundled file. The only documents the loader serves.
BUNDLED = MappingProxyType(
    {
        VC_V2: "credentials-v2.jsonld",
        VC_V1: "credentials-v1.jsonld",
        OB_V3P0: "ob-v3p0-context-3.0.3.jsonld",
        DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
        DATA_INTEGRITY_V1: "data-integrity-v1.jsonld",
        MULTIKEY_V1: "multikey-v1.jsonld",
        DID_V1: "did-v1.jsonld",
    }
)


@cache
def bundled_context(url: str) -> dict:
    """The parsed bundled copy of ``url``; :class:`ContextNotBundled` otherwise.

    Cached: each file is read once per process. Callers must not change it.
    """
    name = BUNDLED.get(url)
    if name is None:
        raise ContextNotBundled(url)
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict | None = None) -> dict:
    """PyLD's ``documentLoader``: the bundled copy of ``url``, or :class:`ContextNotBundled`.

    ``tag: static`` lets PyLD keep the processed context in its shared cache
    (it does so only for tagged documents): the copy never changes, and
    processing the VC and OB contexts again is most of the cost of a signature.
    PyLD rewrites relative URLs inside the document it is given, hence the copy.
    """
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(bundled_context(url)),
        "tag": "static",
    }
