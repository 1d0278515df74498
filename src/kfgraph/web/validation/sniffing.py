"""What a text pasted into the validate form is: RDF in some syntax, or a press-release text.

The form's "by content" choice reads the first meaningful lines (a byte-order
mark, blank lines and ``#`` comments skipped). RDF declares itself early: an
XML prolog or ``<rdf:RDF``, a JSON object or array, ``@prefix``/``PREFIX``/
``@base``/``BASE`` lines, N-Triples/N-Quads statements (``<s> <p> … .``) or a
TriG ``GRAPH``/``<g> {`` block. Anything else is prose, and prose is a release.

>>> sniff("@prefix ex: <http://example.org/> .\\nex:a ex:b ex:c .").name
'Turtle'
>>> sniff("<http://a/s> <http://a/p> <http://a/o> <http://a/g> .").name
'N-Quads'
>>> sniff("PRISTINA - KFOR troops patrolled the main road on Monday.") is None
True
"""

from __future__ import annotations

import re

from kfgraph import formats
from kfgraph.formats import Format

_HEAD_LINES = 40
_STATEMENT = re.compile(r'^(?:<[^>\s]*>|_:\S+)\s+<[^>\s]*>\s+(?:<[^>\s]*>|_:\S+|"(?:[^"\\]|\\.)*"\S*)\s*(?P<graph><[^>\s]*>\s*)?\.\s*$')
_DIRECTIVE = re.compile(r"^(?:@prefix|@base|prefix|base)\b", re.IGNORECASE)
_TRIG_BLOCK = re.compile(r"^(?:graph\s+)?(?:<[^>\s]*>|[\w-]*:[\w-]*)\s*\{", re.IGNORECASE)
_TURTLE_TRIPLE = re.compile(r"^(?:<[^>\s]*>|[\w-]*:[\w.-]*|_:\S+)\s+(?:a|<[^>\s]*>|[\w-]*:[\w.-]*)\s+\S")


def sniff(text: str) -> Format | None:
    """The RDF format ``text`` is written in, or None for a release text (see the module docstring)."""
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith(("<?xml", "<rdf:RDF", "<!DOCTYPE rdf")):
        return formats.RDF_XML
    if body.startswith(("{", "[")):
        return formats.JSON_LD
    lines = [line.strip() for line in body.splitlines()[:_HEAD_LINES]]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        return None
    if any(_TRIG_BLOCK.match(line) for line in lines):
        return formats.TRIG
    statements = [_STATEMENT.match(line) for line in lines]
    if all(statements):
        return formats.N_QUADS if any(m and m.group("graph") for m in statements) else formats.N_TRIPLES
    if any(_DIRECTIVE.match(line) for line in lines) or _TURTLE_TRIPLE.match(lines[0]):
        return formats.TURTLE
    return None
