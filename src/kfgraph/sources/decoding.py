"""Raw bytes -> text, refusing what is not a UTF-8 text file (with a reason a person can act on)."""

from __future__ import annotations

import codecs
import hashlib

from kfgraph.errors import UnreadableSourceError

_BINARY_SHARE = 0.05  # more control characters than this and it is not text
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def checksum(data: bytes) -> str:
    """``sha256:<hex>`` of exactly these bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (a leading BOM is allowed) or an ``UnreadableSourceError`` saying why not.

    No other encoding is guessed: a cp1252 file is reported with the offset
    of its first bad byte so it can be fixed at the source.
    """
    if not data.strip():
        raise UnreadableSourceError(source, "empty file" if not data else "empty: whitespace only")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableSourceError(source, "UTF-16 text is not supported; save the file as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableSourceError(source, f"binary file: NUL byte at offset {nul}")
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        position = offset + exc.start
        raise UnreadableSourceError(
            source, f"not UTF-8: invalid byte 0x{data[position]:02x} at offset {position}"
        ) from None
    controls = sum(1 for c in text if c < " " and c not in _ALLOWED_CONTROLS)
    if controls > _BINARY_SHARE * len(text):
        raise UnreadableSourceError(
            source, f"binary file: {controls} of {len(text)} characters are control characters"
        )
    if not text.strip():
        raise UnreadableSourceError(source, "empty: whitespace only")
    return text
