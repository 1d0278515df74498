"""Finding DTD declarations in XML and HTML text before any parser reads it.

    find_declaration(text, html=False) -> Declaration | None

XML parsers disagree on where a DTD's parts begin and end: a declaration inside
a comment of the internal subset, or after an undeclared parameter entity, is
skipped by one parser and expanded by another ("billion laughs"). So kfgraph
does not ask a parser: it refuses the text when ``<!DOCTYPE``, ``<!ENTITY`` or
any other ``<!`` markup declaration appears anywhere in it, comments and CDATA
sections included, in any letter case. Only ``<!--`` (a comment) and
``<![CDATA[`` may follow ``<!``. In an HTML page (``html=True``) only
declarations are looked for, and a ``<!DOCTYPE`` without an internal subset
(``<!DOCTYPE html>``) is allowed: pages carry one, and conditional comments
(``<![endif]-->``) are not declarations.

The text must already be decoded; callers refuse what is not UTF-8 first, so
that no encoding can hide a declaration from this scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DECLARATION_START = re.compile(r"<!(?!--|\[CDATA\[)", re.IGNORECASE)
_ENTITY = re.compile(
    r"<!\s*ENTITY\s+(?P<parameter>%\s*)?(?P<name>[^\s\"'>]*)(?:\s+(?:SYSTEM|PUBLIC)\s*(?:\"[^\"]*\"\s*)?[\"'](?P<system>[^\"']*))?",
    re.IGNORECASE,
)
_HTML_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_PLAIN_DOCTYPE = re.compile(r"<!DOCTYPE[^\[<>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Declaration:
    """A refused declaration: where it starts, and why it is refused, in words."""

    line: int
    column: int
    reason: str


def find_declaration(text: str, *, html: bool = False) -> Declaration | None:
    """The first entity declaration, else the first DTD part, anywhere in ``text``; None when there is none."""
    entity = _ENTITY.search(text)
    if entity is not None:
        name = ("%" if entity["parameter"] else "") + (entity["name"] or "?")
        if entity["system"] is not None:
            reason = f"external entity {name!r} ({entity['system']}) is not allowed; nothing was fetched"
        else:
            reason = f"entity declaration {name!r} is not allowed (entities are never expanded)"
        return _at(text, entity.start(), reason)
    for start in (_HTML_DECLARATION if html else _DECLARATION_START).finditer(text):
        if html and _PLAIN_DOCTYPE.match(text, start.start()):
            continue
        word = re.match(r"<!\s*([A-Za-z]*)", text[start.start() : start.start() + 40])
        kind = word.group(1).upper() if word and word.group(1) else "markup"
        if kind == "DOCTYPE":
            reason = "a DOCTYPE is not allowed (DTDs are never read; remove it, or convert the file to Turtle)"
        else:
            reason = f"a <!{kind} declaration is not allowed (DTDs are never read)"
        return _at(text, start.start(), reason)
    return None


def _at(text: str, offset: int, reason: str) -> Declaration:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Declaration(line, column, reason)
