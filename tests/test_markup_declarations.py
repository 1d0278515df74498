"""RDF/XML and HTML with any DTD part are refused before a parser reads them, wherever the part sits."""

from __future__ import annotations

import codecs
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfgraph import formats, sources
from kfgraph.errors import RdfSyntaxError, UnreadableSourceError
from kfgraph.markup_declarations import find_declaration
from kfgraph.rdf_input import parse_rdf

FIXTURES = Path(__file__).parent / "fixtures" / "validation"
RDF_OPEN = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
BODY = RDF_OPEN + '<rdf:Description rdf:about="http://example.org/s"><ex:p>{value}</ex:p></rdf:Description></rdf:RDF>'


def rdfxml(prolog: str, value: str = "plain") -> bytes:
    return ('<?xml version="1.0"?>\n' + prolog + "\n" + BODY.format(value=value)).encode("utf-8")


def test_entities_after_a_comment_and_an_undeclared_parameter_entity_are_refused() -> None:
    """The break: expat stops reading declarations at '%undeclared;', pyoxigraph reads on and expands."""
    data = (FIXTURES / "entities-past-comment.rdf").read_bytes()
    assert len(data) < 800
    expanded = [len(q.object.value) for q in ox.parse(data, ox.RdfFormat.RDF_XML)]
    assert expanded == [3000]  # one more level per 10x: a 706-byte upload reached 300 MB
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(data, formats.RDF_XML, source="lol.rdf")
    assert caught.value.message == (
        "lol.rdf: line 2, column 53: refused RDF/XML: entity declaration 'l0' is not allowed (entities are never expanded)"
    )


@pytest.mark.parametrize(
    ("prolog", "expected"),
    [
        ("<!DOCTYPE rdf:RDF>", "a DOCTYPE is not allowed"),
        ('<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:9/x.dtd">', "a DOCTYPE is not allowed"),
        ("<!doctype rdf:RDF>", "a DOCTYPE is not allowed"),
        ("<!DOCTYPE rdf:RDF [ <!-- <!ENTITY x 'y'> --> ]>", "entity declaration 'x'"),
        ("<!-- <!ENTITY hidden 'y'> -->", "entity declaration 'hidden'"),
        ("<!DOCTYPE rdf:RDF [ <!ENTITY % pe '<!ENTITY x \"y\">'> %pe; ]>", "entity declaration '%pe'"),
        ("<!DOCTYPE rdf:RDF [ <!ENTITY\n\tspaced 'y'> ]>", "entity declaration 'spaced'"),
        ("<!DOCTYPE rdf:RDF [<!EnTiTy mixed 'y'>]>", "entity declaration 'mixed'"),
        ('<!DOCTYPE rdf:RDF [<!ENTITY ext SYSTEM "file:///etc/passwd">]>', "external entity 'ext' (file:///etc/passwd)"),
        ('<!DOCTYPE rdf:RDF [<!ENTITY pub PUBLIC "-//x//EN" "http://127.0.0.1:9/">]>', "external entity 'pub' (http://127.0.0.1:9/)"),
        ("<!ELEMENT rdf:RDF ANY>", "a <!ELEMENT declaration is not allowed"),
    ],
)
def test_every_dtd_part_is_refused_wherever_it_sits(prolog: str, expected: str) -> None:
    with pytest.raises(RdfSyntaxError, match="refused RDF/XML: " + expected.replace("(", r"\(").replace(")", r"\)")):
        parse_rdf(rdfxml(prolog), formats.RDF_XML, source="x.rdf")


def test_a_declaration_inside_cdata_is_refused_too() -> None:
    data = rdfxml("", value="<![CDATA[ <!ENTITY x 'y'> ]]>")
    with pytest.raises(RdfSyntaxError, match="entity declaration 'x'"):
        parse_rdf(data, formats.RDF_XML, source="x.rdf")


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda text: text.encode("utf-16"), "not UTF-8 (UTF-16 or UTF-32?)"),  # with a BOM
        (lambda text: text.encode("utf-16-le"), "not UTF-8 (UTF-16 or UTF-32?)"),  # without one
        (lambda text: text.encode("utf-32"), "not UTF-8 (UTF-16 or UTF-32?)"),
        (lambda text: text.replace('"1.0"', '"1.0" encoding="ISO-8859-1"').encode("latin-1"), "encoding 'ISO-8859-1'"),
        (lambda text: text.replace('"1.0"', '"1.0" encoding="UTF-7"').encode("utf-7"), "encoding 'UTF-7'"),
        (lambda text: text.encode("utf-8") + b"\xc0\xbc", "not UTF-8 (invalid byte 0xc0"),  # an overlong '<'
    ],
)
def test_other_encodings_cannot_hide_a_declaration(encode, expected: str) -> None:
    text = rdfxml("<!DOCTYPE rdf:RDF [<!ENTITY x 'y'>]>").decode("utf-8")
    with pytest.raises(RdfSyntaxError, match=expected.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        parse_rdf(encode(text), formats.RDF_XML, source="x.rdf")


def test_a_utf8_bom_is_read_and_scanned() -> None:
    with pytest.raises(RdfSyntaxError, match="entity declaration 'x'"):
        parse_rdf(codecs.BOM_UTF8 + rdfxml("<!DOCTYPE rdf:RDF [<!ENTITY x 'y'>]>"), formats.RDF_XML, source="x.rdf")
    graph = parse_rdf(codecs.BOM_UTF8 + rdfxml("<!-- a comment is fine -->"), formats.RDF_XML, source="x.rdf")
    assert len(graph) == 1


_PIECES = st.sampled_from([
    "<!DOCTYPE rdf:RDF [", "]>", "<!ENTITY a 'aaaaaaaaaa'>", "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>",
    "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>", "<!ENTITY % p '<!ENTITY q \"&c;\">'>", "%p;", "%undeclared;",
    "<!--", "-->", "<!-- x -->", "<![CDATA[", "]]>", "<!doctype rdf:RDF[", "<!entity a 'zz'>", " ", "\n", "\t",
    "<?pi x?>", "'", '"',
])


@settings(max_examples=300, deadline=None)
@given(prolog=st.lists(_PIECES, max_size=12).map("".join), value=st.sampled_from(["plain", "&a;", "&c;", "&q;"]),
       bom=st.booleans())
def test_nothing_accepted_is_ever_expanded(prolog: str, value: str, bom: bool) -> None:
    """Any arrangement of DTD fragments: what parse_rdf accepts yields no literal longer than the input."""
    data = (codecs.BOM_UTF8 if bom else b"") + rdfxml(prolog, value)
    try:
        graph = parse_rdf(data, formats.RDF_XML, source="fuzz.rdf")
    except RdfSyntaxError:
        return
    assert "<!" not in prolog.replace("<!--", "").replace("<![CDATA[", "")
    assert all(len(str(o)) <= len(data) for o in graph.objects())


def test_html_release_with_an_internal_subset_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html [<!ENTITY l 'lol'>]><html><body><article><p>KFOR &l; patrol.</p></article></body></html>")
    with pytest.raises(UnreadableSourceError, match="line 1: refused HTML page: entity declaration 'l' is not allowed"):
        sources.read_releases(page)


def test_html_doctypes_and_conditional_comments_are_fine() -> None:
    page = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
        "<html><head><!--[if lt IE 9]><script></script><![endif]--></head><body><p>x</p></body></html>"
    )
    assert find_declaration(page, html=True) is None
    assert find_declaration("<!DOCTYPE html><html></html>", html=True) is None
    assert find_declaration("<!DOCTYPE html [ ]><html></html>", html=True) is not None
