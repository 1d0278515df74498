r"""The one text of a query that both the safety check and the engine read.

Two SPARQL parsers (rdflib's, which the check uses, and the engine's) can disagree on
where a comment ends, which escapes are decoded before parsing, or what counts as a line
break — and a ``SERVICE`` that one reads as a comment the other calls. ``canonical_text``
removes every such lexical choice before either parser sees the query: it reads the query
by the SPARQL terminals (IRIs, strings, comments, white space) and writes it back

* on one line: comments and runs of white space become one space, and every string is
  written as a short ``"..."`` string whose line breaks are ``\n`` escapes;
* with ``\u`` / ``\U`` escapes decoded inside IRIs and strings (as the engine reads
  them) and refused anywhere else, so no parser can expand one into syntax.

The check parses the canonical text and the engine executes that same text, so they see
the same query by construction. On the way, the nesting of ``{ ( [`` is measured and a
query nested deeper than the limit is refused before any parser recurses into it.

>>> canonical_text('ASK {  # a comment\r SERVICE <http://a.example/> {} }')
'ASK { SERVICE <http://a.example/> {} }'
>>> print(canonical_text("SELECT ('''two\nlines''' AS ?x) {}"))
SELECT ("two\nlines" AS ?x) {}
"""

from __future__ import annotations

import re

from kfgraph.errors import QueryError

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\\\"']"
_IRIREF = re.compile(r"<((?:[^<>\"{}|^`\\\x00-\x20]|" + _UCHAR + r")*)>")
_STRINGS = (  # long forms first: '''...''' must not read as '' followed by '...'
    re.compile(r"'''((?:(?:'|'')?(?:[^'\\]|" + _ECHAR + "|" + _UCHAR + r"))*)'''"),
    re.compile(r'"""((?:(?:"|"")?(?:[^"\\]|' + _ECHAR + "|" + _UCHAR + r'))*)"""'),
    re.compile(r"'((?:[^'\\\n\r]|" + _ECHAR + "|" + _UCHAR + r")*)'"),
    re.compile(r'"((?:[^"\\\n\r]|' + _ECHAR + "|" + _UCHAR + r')*)"'),
)
_ESCAPE = re.compile(_ECHAR + "|" + _UCHAR)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}
_WRITE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_PN_LOCAL_ESC = set("_~.-!$&'()*+,;=/?#@%")
_WHITE = " \t\r\n"
_OPEN, _CLOSE = "{([", "})]"
_FORBIDDEN_IN_IRI = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
_EXPANDABLE = re.compile(_UCHAR)
"""What a parser that decodes escapes before parsing (rdflib does) would expand."""


def canonical_text(query: str, *, max_depth: int = 64) -> str:
    """``query`` on one line, without comments, escapes only inside strings (see the module doc).

    Raises ``QueryError`` for a string or IRI that does not end, an escape outside them,
    or nesting deeper than ``max_depth``.
    """
    out: list[str] = []
    depth = deepest = 0
    i, end = 0, len(query)
    while i < end:
        char = query[i]
        if char in _WHITE or char == "#":
            while i < end and (query[i] in _WHITE or query[i] == "#"):
                if query[i] == "#":  # a comment runs to the end of the line: CR or LF
                    while i < end and query[i] not in "\r\n":
                        i += 1
                else:
                    i += 1
            if out and i < end:
                out.append(" ")
            continue
        if char == "<":
            iri = _IRIREF.match(query, i)
            if iri:
                out.append("<" + _iri(iri.group(1), query, i) + ">")
                i = iri.end()
                continue
        elif char in "'\"":
            literal = next((m for m in (p.match(query, i) for p in _STRINGS) if m), None)
            if literal is None:
                raise QueryError(f"malformed query: a string that does not end, at {_where(query, i)}")
            out.append('"' + "".join(_WRITE.get(c, c) for c in _unescape(literal.group(1))) + '"')
            i = literal.end()
            continue
        elif char == "\\":
            if i + 1 < end and query[i + 1] in _PN_LOCAL_ESC:
                out.append(query[i : i + 2])
                i += 2
                continue
            raise QueryError(
                f"malformed query: a backslash outside a string or IRI, at {_where(query, i)} "
                "(escapes such as \\u0041 are read only inside strings and IRIs)"
            )
        elif char in _OPEN:
            depth += 1
            if depth > max_depth:
                raise QueryError(
                    f"query nested too deeply: more than {max_depth} levels of {{ }}, ( ) or [ ] "
                    f"(at {_where(query, i)}); the limit is the max_query_depth setting"
                )
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth -= 1
        out.append(char)
        i += 1
    text = "".join(out)
    if _EXPANDABLE.search(text):
        raise QueryError(
            "malformed query: a string holds a backslash followed by u and hex digits, which SPARQL parsers "
            "disagree on; write the character itself"
        )
    return text


def _unescape(body: str) -> str:
    return _ESCAPE.sub(_decode, body)


def _decode(escape: re.Match[str]) -> str:
    text = escape.group()
    if len(text) == 2:
        return _ECHARS[text[1]]
    code = int(text[2:], 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise QueryError(f"malformed query: {text} is not a Unicode character")
    return chr(code)


def _iri(body: str, query: str, at: int) -> str:
    if "\\" not in body:
        return body
    value = _unescape(body)
    if any(c in _FORBIDDEN_IN_IRI for c in value):
        raise QueryError(f"malformed query: an escape in the IRI at {_where(query, at)} stands for a character IRIs cannot hold")
    return value


def _where(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"
