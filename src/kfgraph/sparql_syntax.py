"""SPARQL syntax errors in plain words, with line and column: one explanation for the CLI and HTTP alike.

``explain_syntax_error(query)`` is called once a parser has refused ``query``.
It looks for the mistakes people make, in the order they appear in the text,
and says what is wrong where:

* a string that is never closed;
* brackets that do not pair: ``{`` never closed, ``)`` closing nothing, ``]`` closing a ``(``;
* a prefix used but not declared (``foo:bar`` without ``PREFIX foo: <…>``);
* a query that does not start with SELECT, CONSTRUCT, ASK or DESCRIBE;
* a triple pattern with one or two parts (``?s ?p }``), or four without ``.`` between;

and otherwise reports where rdflib's SPARQL grammar stopped reading (or, given
an engine message such as Oxigraph's ``error at 3:7: …``, that position). The
explanation depends only on the query text, so ``kfgraph query`` and
``/sparql`` give the same one.

>>> print(explain_syntax_error("SELECT ?s WHERE {\\n  ?s ?p }"))
syntax error at line 2, column 3: a triple pattern needs a subject, a predicate and an object, and "?s ?p" has 2 of them
  2 |   ?s ?p }
    |   ^
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_KEYWORDS = frozenset("""SELECT CONSTRUCT ASK DESCRIBE WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED AS OPTIONAL
FILTER BIND VALUES GRAPH SERVICE SILENT MINUS UNION GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET UNDEF EXISTS NOT IN
TRUE FALSE""".split())
_OPEN, _CLOSE = "({[", ")}]"
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\")?|'''(?:[^'\\]|\\.|'(?!''))*(?:''')?
               |"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][\w]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-.:%\\\u00B7\u00C0-\uFFFF]*[\w\-:%\u00C0-\uFFFF])?)
  | (?P<bnode>_:[\w\-.]+)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\].;,*=<>!+\-/|^@])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    offset: int


class _Problem(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def explain_syntax_error(query: str, engine_message: str | None = None) -> str:
    """A plain-words explanation of why ``query`` does not parse (see the module docstring)."""
    try:
        tokens = _tokens(query)
        _check_brackets(tokens, query)
        _check_prefixes(tokens)
        _check_form(tokens)
        _check_triples(tokens)
    except _Problem as problem:
        return _render(query, problem.offset, problem.message)
    located = _parser_position(query)
    if located is None and engine_message:
        match = re.search(r"\b(\d+):(\d+)\b", engine_message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            return _render(query, _offset(query, line, column), "the query cannot be read from here on")
    if located is None:
        return "syntax error: the query cannot be read" + (f" ({engine_message})" if engine_message else "")
    offset = _offset(query, *located)
    found = query[offset:].split("\n", 1)[0].strip()
    what = f'"{found[:40]}"' if found else "the end of the query"
    return _render(query, offset, f"the query cannot be read from here on: {what} is not expected here")


def _tokens(query: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        text = match.group()
        if kind == "string" and not _closed(text):
            raise _Problem(match.start(), "this string is never closed: a quote is missing")
        if kind not in ("space", "comment"):
            tokens.append(_Token(kind, text, match.start()))
    return tokens


def _closed(text: str) -> bool:
    quote = text[:3] if text[:3] in ('"""', "'''") else text[0]
    return len(text) >= 2 * len(quote) and text.endswith(quote) and not text.endswith("\\" + quote)


def _check_brackets(tokens: list[_Token], query: str) -> None:
    stack: list[_Token] = []
    for token in tokens:
        if token.kind != "punct":
            continue
        if token.text in _OPEN:
            stack.append(token)
        elif token.text in _CLOSE:
            if not stack:
                raise _Problem(token.offset, f'"{token.text}" closes nothing: there is no "{_pair(token.text)}" '
                                             "open here")
            opened = stack.pop()
            if _pair(token.text) != opened.text:
                line, column = _line_column(query, opened.offset)
                raise _Problem(token.offset, f'"{token.text}" cannot close the "{opened.text}" opened at line '
                                             f"{line}, column {column}")
    if stack:
        raise _Problem(stack[-1].offset, f'this "{stack[-1].text}" is never closed: a "{_pair(stack[-1].text)}" '
                                         "is missing")


def _pair(bracket: str) -> str:
    return {"(": ")", "{": "}", "[": "]", ")": "(", "}": "{", "]": "["}[bracket]


def _line_column(query: str, offset: int) -> tuple[int, int]:
    line = query.count("\n", 0, offset) + 1
    return line, offset - (query.rfind("\n", 0, offset) + 1) + 1


def _check_prefixes(tokens: list[_Token]) -> None:
    declared = {"_"}
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text.upper() == "PREFIX" and index + 1 < len(tokens):
            declared.add(tokens[index + 1].text.split(":", 1)[0])
    for index, token in enumerate(tokens):
        if token.kind != "pname":
            continue
        if index > 0 and tokens[index - 1].kind == "word" and tokens[index - 1].text.upper() == "PREFIX":
            continue
        prefix = token.text.split(":", 1)[0]
        if prefix not in declared:
            raise _Problem(token.offset, f'the prefix "{prefix}:" is not declared: add a line '
                                         f'"PREFIX {prefix}: <…>" at the top')


def _check_form(tokens: list[_Token]) -> None:
    index = 0
    while index < len(tokens) and tokens[index].kind == "word" and tokens[index].text.upper() in ("PREFIX", "BASE"):
        index += 3 if tokens[index].text.upper() == "PREFIX" else 2
    if index >= len(tokens):
        raise _Problem(len(tokens and tokens[-1].text) + (tokens[-1].offset if tokens else 0),
                       "the query is empty: it needs SELECT, CONSTRUCT, ASK or DESCRIBE after its PREFIX lines")
    first = tokens[index]
    if first.text.upper() in _FORMS or first.text.upper() in _UPDATES:
        return
    raise _Problem(first.offset, f'a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE (after its PREFIX '
                                 f'lines), not "{first.text[:30]}"')


_TERMS = ("var", "iri", "pname", "bnode", "string", "number")


def _check_triples(tokens: list[_Token]) -> None:
    """Runs of bare terms between ``{``/``.``/``}`` and ``.``/``}`` must be three long (a triple pattern)."""
    for index, token in enumerate(tokens):
        if not (token.kind == "punct" and token.text in "{.}"):
            continue
        run: list[_Token] = []
        cursor = index + 1
        while cursor < len(tokens) and (tokens[cursor].kind in _TERMS or tokens[cursor].text == "a"):
            run.append(tokens[cursor])
            cursor += 1
        end = tokens[cursor] if cursor < len(tokens) else None
        if not run or end is None or end.text not in ".}":
            continue
        if token.text == "{" and _after_values(tokens, index):
            continue
        if len(run) in (1, 2):
            written = " ".join(t.text for t in run)
            raise _Problem(run[0].offset, f'a triple pattern needs a subject, a predicate and an object, and '
                                          f'"{written}" has {len(run)} of them')
        if len(run) > 3:
            raise _Problem(run[3].offset, 'a triple pattern has three parts: a "." (or ";") is missing before this')


def _after_values(tokens: list[_Token], index: int) -> bool:
    """Whether the ``{`` at ``index`` opens the data block of ``VALUES ?x`` or ``VALUES (?x ?y)``."""
    cursor = index - 1
    while cursor >= 0 and (tokens[cursor].kind == "var" or tokens[cursor].text in "()"):
        cursor -= 1
    return cursor >= 0 and tokens[cursor].text.upper() == "VALUES"


def _parser_position(query: str) -> tuple[int, int] | None:
    """(line, column), 1-based, where rdflib's SPARQL grammar stopped; None if it reads the query."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(query)
    except ParseBaseException as error:
        return int(error.lineno), int(error.col)
    except Exception:  # rdflib may fail past the grammar (e.g. a bad IRI): no position to give
        return None
    return None


def _offset(query: str, line: int, column: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", query)]
    line = max(1, min(line, len(starts)))
    return min(len(query), starts[line - 1] + max(0, column - 1))


def _render(query: str, offset: int, message: str) -> str:
    """``syntax error at line L, column C: message`` and the line with a caret under the column."""
    offset = max(0, min(offset, len(query)))
    line, column = _line_column(query, offset)
    text = query[offset - column + 1:].split("\n", 1)[0].rstrip()
    gutter = f"{line} | "
    return (f"syntax error at line {line}, column {column}: {message}\n"
            f"  {gutter}{text}\n  {' ' * (len(gutter) - 2)}| {' ' * (column - 1)}^")
