"""Turning page bytes into text with the right character set.

Order: the HTTP header's charset, a byte-order mark, a <meta charset> (or http-equiv)
in the first 4 KB, then detection (charset_normalizer) for pages that declare nothing;
windows-1251 and KOI8-R Russian pages must come out right.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _valid(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str) -> str | None:
    m = _HEADER_CHARSET.search(content_type or "")
    if m and _valid(m.group(1)):
        return _valid(m.group(1))
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    m2 = _META_CHARSET.search(body[:4096])
    if m2 and _valid(m2.group(1).decode("ascii", "ignore")):
        return _valid(m2.group(1).decode("ascii", "ignore"))
    return None


def decode_html(body: bytes, content_type: str = "") -> str:
    charset = declared_charset(body, content_type)
    if charset:
        return body.decode(charset, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(
            body[:200_000], cp_isolation=["cp1251", "koi8_r", "cp1252", "iso8859_5", "latin_1", "cp1250"]
        ).best()
        return body.decode(best.encoding if best else "cp1251", errors="replace")
