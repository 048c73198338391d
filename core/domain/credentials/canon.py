"""RDF Dataset Canonicalization (RDFC-1.0) of a credential, with PyLD and bundled contexts.

Two things PyLD does not do that a signature needs, done here:

- **Refuse what JSON-LD would drop.** Expansion silently drops a member that no
  context defines (and an undefined ``type`` becomes a relative IRI that
  becomes no triple), so it would sit in the JSON outside the signature, and
  Digital Bazaar's verifier (safe mode) refuses such a credential outright.
  :func:`expand_checked` expands once more with a probe ``@vocab`` appended
  after the document's contexts: anything that would have been dropped now
  expands to the probe's IRI, and is named in :class:`UndefinedTerms`.
  Protected contexts allow this (``@vocab`` is not a term definition), and the
  probe never changes anything a context does define.
- **Escape literals as RDFC-1.0 does.** PyLD 3.3.0 escapes only ``\\ \\t \\n \\r "``
  in N-Quads literals; RDFC-1.0's canonical N-Quads (and rdf-canonize, which
  verifiers run) also write ``\\b``, ``\\f`` and every other control character
  as ``\\u00XX``. A narrative holding a form feed would otherwise sign bytes no
  other verifier computes. :func:`_rdfc_escape` replaces PyLD's escape.

PyLD keeps processed contexts in module-level caches that are not thread-safe
(cachetools' LRU reorders itself on read), so every PyLD call here holds one
lock: the work is CPU-bound under the GIL anyway.
"""

from __future__ import annotations

import re
import threading

from pyld import jsonld
from pyld import nquads as pyld_nquads

from core.domain.credentials.errors import ContextNotBundled, MalformedCredential, UndefinedTerms
from core.domain.credentials.loader import document_loader

#: Appended to the contexts when probing: an IRI no real vocabulary uses.
PROBE_VOCAB = "urn:badgeapp:undefined-term:"

_PYLD_LOCK = threading.Lock()

_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _rdfc_escape(value: str) -> str:
    """An N-Quads string literal's content as RDFC-1.0 writes it (ECHAR, else UCHAR)."""
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), value)


# PyLD's serializer looks ``escape`` up in its module at each call: this is the one place to fix it.
pyld_nquads.escape = _rdfc_escape


def _options(**extra) -> dict:
    # No base IRI, as Digital Bazaar's verifier: PyLD's expand() would otherwise
    # resolve relative IRIs against http://example.org/base/ and sign those.
    return {"documentLoader": document_loader, "base": None, **extra}


def _unwrap(err: Exception) -> Exception:
    """The error PyLD wrapped: a refused context reaches us as a generic loading failure."""
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, ContextNotBundled):
            return cause
        cause = cause.__cause__ or cause.__context__
    return MalformedCredential(f"not valid JSON-LD: {getattr(err, 'code', None) or err.args[0]}")


def _contexts(document: dict) -> list:
    context = document.get("@context")
    if isinstance(context, str | dict):
        return [context]
    if isinstance(context, list) and context:
        return context
    raise MalformedCredential("a credential needs an @context")


def _check_nested_contexts(value, top: bool = True) -> None:
    """Refuse a nested context that resets the probe (``null`` or its own ``@vocab``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context" and not top:
                items = item if isinstance(item, list) else [item]
                if any(i is None or (isinstance(i, dict) and "@vocab" in i) for i in items):
                    raise MalformedCredential("a nested @context resets the vocabulary")
            _check_nested_contexts(item, top=False)
    elif isinstance(value, list):
        for item in value:
            _check_nested_contexts(item, top=False)


def _undefined(expanded, found: list[str], problems: list[str]) -> None:
    """Collect probe IRIs (undefined terms and types) and relative IRIs (dropped from RDF)."""
    if isinstance(expanded, list):
        for item in expanded:
            _undefined(item, found, problems)
        return
    if not isinstance(expanded, dict):
        return
    for key, value in expanded.items():
        if key.startswith(PROBE_VOCAB):
            found.append(key.removeprefix(PROBE_VOCAB))
        if key == "@type":
            for type_ in value if isinstance(value, list) else [value]:
                if isinstance(type_, str) and type_.startswith(PROBE_VOCAB):
                    found.append(type_.removeprefix(PROBE_VOCAB))
                elif isinstance(type_, str) and not (_ABSOLUTE_IRI.match(type_) or type_.startswith("_:")):
                    problems.append(type_)
        elif key == "@id" and isinstance(value, str):
            if value.startswith(PROBE_VOCAB):
                found.append(value.removeprefix(PROBE_VOCAB))
            elif not (_ABSOLUTE_IRI.match(value) or value.startswith("_:")):
                problems.append(value)
        elif key != "@value":
            _undefined(value, found, problems)


def expand_checked(document: dict) -> list:
    """The expanded form of ``document``; :class:`UndefinedTerms` if expansion would drop anything.

    The result equals plain expansion whenever it returns (the probe IRI
    appears nowhere in it), so it can be canonicalised as it is.
    """
    if not isinstance(document, dict):
        raise MalformedCredential("a credential is a JSON object")
    contexts = _contexts(document)
    _check_nested_contexts(document)
    probe = {**document, "@context": [*contexts, {"@vocab": PROBE_VOCAB}]}
    try:
        with _PYLD_LOCK:
            expanded = jsonld.expand(probe, _options())
    except jsonld.JsonLdError as err:
        raise _unwrap(err) from err
    found: list[str] = []
    relative: list[str] = []
    _undefined(expanded, found, relative)
    if found or relative:
        raise UndefinedTerms(found + relative)
    return expanded


def canonicalize(document: dict) -> str:
    """RDFC-1.0 canonical N-Quads of ``document``, refusing anything expansion would drop."""
    expanded = expand_checked(document)
    try:
        with _PYLD_LOCK:
            return jsonld.normalize(expanded, _options(algorithm="URDNA2015", format="application/n-quads"))
    except jsonld.JsonLdError as err:
        raise _unwrap(err) from err
