"""Open Badges 3.0 baking: a credential carried inside its badge image, and read back out.

OB 3.0 §5.3: a PNG carries **one uncompressed** ``iTXt`` chunk with keyword
``openbadgecredential`` holding the credential (JSON with an embedded proof);
an SVG declares the namespace ``https://purl.imsglobal.org/ob/v3p0`` and holds
**one** ``<openbadges:credential>`` element with the JSON in CDATA. The 2.0
bakery (``openbadges-bakery``) knows neither, so this is written on pypng (the
same chunk reader and writer the bakery uses) and minidom.

Reading accepts what other issuers make within bounds (a compressed chunk, any
namespace prefix) but refuses two credentials in one image: which one would be
meant is a guess.
"""

from __future__ import annotations

import io
import zlib
from xml.dom.minidom import Element

import defusedxml.ElementTree as SafeElementTree
import defusedxml.minidom
import png

from core.domain.credentials.errors import MalformedCredential

KEYWORD = b"openbadgecredential"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
SVG_NS = "http://www.w3.org/2000/svg"
MAX_CREDENTIAL_BYTES = 1024 * 1024
_ITXT_HEADER = (
    KEYWORD + b"\x00\x00\x00\x00\x00"
)  # keyword, uncompressed, method 0, no language, no translation


def bake_png(image: bytes, credential_json: str) -> bytes:
    """``image`` with one uncompressed ``openbadgecredential`` iTXt chunk, right after IHDR."""
    chunks = list(png.Reader(bytes=image).chunks())
    kept = [
        chunk for chunk in chunks[1:] if not (chunk[0] == b"iTXt" and chunk[1].startswith(KEYWORD + b"\x00"))
    ]
    out = io.BytesIO()
    png.write_chunks(out, [chunks[0], (b"iTXt", _ITXT_HEADER + credential_json.encode("utf-8")), *kept])
    return out.getvalue()


def bake_svg(image: bytes, credential_json: str) -> bytes:
    """``image`` with ``xmlns:openbadges`` and one ``<openbadges:credential>`` (CDATA) first in the root.

    ``credential_json`` must not contain ``]]>`` (``documents.to_json`` sees to it).
    """
    if "]]>" in credential_json:
        raise ValueError("the credential JSON would end its CDATA section")
    document = defusedxml.minidom.parseString(image)
    root = document.documentElement
    for node in list(root.getElementsByTagNameNS(OB3_NS, "credential")):
        node.parentNode.removeChild(node)
    root.setAttribute("xmlns:openbadges", OB3_NS)
    element: Element = document.createElementNS(OB3_NS, "openbadges:credential")
    element.appendChild(document.createCDATASection(credential_json))
    root.insertBefore(element, root.firstChild)
    return document.toxml("utf-8")


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    text = inflater.decompress(data, MAX_CREDENTIAL_BYTES)
    if inflater.unconsumed_tail:
        raise MalformedCredential("the credential in this image is too large")
    return text


def _itxt_text(data: bytes) -> bytes:
    _keyword, _, rest = data.partition(b"\x00")
    if len(rest) < 2:
        raise MalformedCredential("the image's credential chunk is malformed")
    compressed, _method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    return _inflate(text) if compressed else text


def unbake_png(image: bytes) -> str | None:
    """The credential text a PNG carries, or None; refuses two."""
    found = []
    try:
        for kind, data in png.Reader(bytes=image).chunks():
            if kind == b"iTXt" and data.startswith(KEYWORD + b"\x00"):
                found.append(_itxt_text(data))
            if kind == b"IEND":
                break
    except png.Error as err:
        raise MalformedCredential("this PNG cannot be read") from err
    if len(found) > 1:
        raise MalformedCredential("this image carries more than one credential")
    if not found:
        return None
    if len(found[0]) > MAX_CREDENTIAL_BYTES:
        raise MalformedCredential("the credential in this image is too large")
    try:
        return found[0].decode("utf-8")
    except UnicodeDecodeError as err:
        raise MalformedCredential("the credential in this image is not UTF-8") from err


def unbake_svg(image: bytes) -> str | None:
    """The credential text an SVG carries (element ``credential`` in the OB 3.0 namespace), or None."""
    try:
        root = SafeElementTree.fromstring(image)
    except Exception as err:  # defusedxml and expat raise several unrelated types: all mean unreadable
        raise MalformedCredential("this SVG cannot be read") from err
    found = list(root.iter(f"{{{OB3_NS}}}credential"))
    if len(found) > 1:
        raise MalformedCredential("this image carries more than one credential")
    if not found:
        return None
    text = "".join(found[0].itertext()).strip()
    if len(text.encode("utf-8")) > MAX_CREDENTIAL_BYTES:
        raise MalformedCredential("the credential in this image is too large")
    return text or None
