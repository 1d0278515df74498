"""The validate form reads pasted text by content: RDF in any syntax, else a release."""

from __future__ import annotations

import pytest

from kfgraph import formats
from kfgraph.web.validation.sniffing import sniff


@pytest.mark.parametrize(("text", "expected"), [
    ("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .", formats.TURTLE),
    ("PREFIX ex: <http://example.org/>\nex:a ex:b ex:c .", formats.TURTLE),
    ("# a comment\n<http://a/s> <http://a/p> \"o\"@en .\n<http://a/s> <http://a/p> <http://a/o> .", formats.N_TRIPLES),
    ("<http://a/s> <http://a/p> <http://a/o> <http://a/g> .", formats.N_QUADS),
    ("@prefix ex: <http://example.org/> .\nex:g { ex:a ex:b ex:c . }", formats.TRIG),
    ('{"@context": {}, "@id": "http://a/s"}', formats.JSON_LD),
    ("\ufeff<?xml version='1.0'?><rdf:RDF/>", formats.RDF_XML),
    ("ex:a ex:b ex:c .", formats.TURTLE),
])
def test_rdf_is_recognised(text: str, expected: formats.Format) -> None:
    assert sniff(text) is expected


@pytest.mark.parametrize("text", [
    "PRISTINA - KFOR troops patrolled near Jarinje on Monday.\n\nThe patrol met local residents.",
    "Dec 21 2022\nKFOR statement\nKFOR is monitoring the situation in the north: prefix and base matter little.",
    "",
])
def test_prose_is_a_release(text: str) -> None:
    assert sniff(text) is None


def test_doctests_of_sniffing_and_type_words() -> None:
    import doctest

    from kfgraph.web import type_words
    from kfgraph.web.validation import sniffing

    for module in (sniffing, type_words):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
