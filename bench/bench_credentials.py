#!/usr/bin/env python
"""How many Open Badges 3.0 credentials one process signs (and verifies) per second.

Run from the repository root (results: bench/README.md):

    .venv/bin/python bench/bench_credentials.py               # 500 credentials
    .venv/bin/python bench/bench_credentials.py --count 2000

Signs ``--count`` distinct OpenBadgeCredentials shaped like the app's (issuer
Profile as did:web, hashed email identifier, achievement with criteria and
image, evidence, narrative, validity dates, a Bitstring Status List entry) with
``core.domain.credentials.proof.sign``: RDFC-1.0 canonicalisation of the proof
options and of the document (PyLD, bundled contexts, the undefined-term guard),
SHA-256 and Ed25519. Then verifies them all. One core, after a warm-up that
loads the contexts once (as a long-running worker does). No database: signing
is pure, and what a worker adds around it (one query a batch, one row written a
credential) is measured with the batch task, not here.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import did, loader, proof, status_list
from core.domain.credentials.multikey import public_key_multibase

BASE = "https://badges.example.com"


def credential(number: int, issuer: str) -> dict:
    salt = f"{number:016x}"
    email = f"employee{number}@example.com"
    return {
        "@context": [loader.VC_V2, loader.OB_V3P0],
        "id": f"{BASE}/ob/credentials/{number}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Kubernetes Operator 🐍",
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": "Snake Oil Learning 🐍",
            "url": f"{BASE}/",
            "email": "badges@snakeoil.example",
        },
        "validFrom": "2025-03-01T09:30:00Z",
        "validUntil": "2027-03-01T09:30:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"{BASE}/ob/badges/snakeoil/kubernetes-operator",
                "type": ["Achievement"],
                "name": "Kubernetes Operator",
                "description": "Runs production clusters: upgrades, backups, incident response.",
                "criteria": {
                    "id": f"{BASE}/badges/snakeoil/kubernetes-operator",
                    "narrative": "Passed the practical exam and ran the on-call rota for a month.",
                },
                "image": {"id": f"{BASE}/ob/badges/snakeoil/kubernetes-operator/image.png", "type": "Image"},
            },
        },
        "evidence": [
            {
                "id": f"https://lms.example.com/exams/{number}",
                "type": ["Evidence"],
                "narrative": "Exam score 92/100.",
            }
        ],
        "credentialStatus": status_list.status_entry(f"{BASE}/ob/issuers/snakeoil/status/1", number),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()

    key = Ed25519PrivateKey.generate()
    issuer = did.did_web(BASE, "ob", "issuers", "snakeoil")
    method = did.verification_method_id(issuer, public_key_multibase(key))
    document = did.did_document(issuer, [public_key_multibase(key)])
    documents = [credential(n, issuer) for n in range(args.count)]

    def sign(doc):
        return proof.sign(doc, private_key=key, verification_method=method, created="2025-03-01T09:30:00Z")

    sign(credential(args.count, issuer))  # warm-up: contexts read and processed once

    per_credential = []
    started = time.perf_counter()
    signed = []
    for doc in documents:
        before = time.perf_counter()
        signed.append(sign(doc))
        per_credential.append(time.perf_counter() - before)
    signing = time.perf_counter() - started

    started = time.perf_counter()
    for doc in signed:
        proof.verify(doc, resolve_key=lambda vm: did.assertion_key(document, vm))
    verifying = time.perf_counter() - started

    print(f"Python {platform.python_version()} on {platform.machine()}, one process")
    print(
        f"signed   {args.count} credentials in {signing:.2f} s: {args.count / signing:.0f} credentials/s "
        f"(median {statistics.median(per_credential) * 1000:.1f} ms, "
        f"p95 {statistics.quantiles(per_credential, n=20)[-1] * 1000:.1f} ms)"
    )
    print(
        f"verified {args.count} credentials in {verifying:.2f} s: {args.count / verifying:.0f} credentials/s"
    )


if __name__ == "__main__":
    main()
