"""vocab.KFG and ontology/kfgraph.ttl are kept in step, and the SKOS schemes hold what the contract says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from kfgraph.iris import slugify
from kfgraph.models import EventType, FigureKind, PlaceKind
from kfgraph.vocab import CAMEO, EVENT_TYPE, FIGURE_KIND, KFG, PLACE_KIND, RANK

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "kfgraph.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/kfgraph/ontology")
NOTATION = re.compile(r"^(OF|OR|WO)-([1-9]|10)$")

# NATO rank codes and the English titles that share them (STANAG 2116 / APersP-01,
# as summarised in ../shared/reference/domain-facts.md). Written out again here
# on purpose: the test compares the published scheme with the table, not with itself.
RANK_TABLE = {
    "OF-10": ["Field Marshal", "Admiral of the Fleet"],
    "OF-9": ["General", "Admiral", "Air Chief Marshal"],
    "OF-8": ["Lieutenant General", "Vice Admiral", "Air Marshal", "Army Corps General"],
    "OF-7": ["Major General", "Rear Admiral", "Air Vice-Marshal", "Division General"],
    "OF-6": ["Brigadier General", "Brigadier", "Commodore", "Air Commodore", "Brigade General"],
    "OF-5": ["Colonel", "Group Captain"],
    "OF-4": ["Lieutenant Colonel", "Wing Commander"],
    "OF-3": ["Major", "Lieutenant Commander", "Squadron Leader"],
    "OF-2": ["Captain", "Flight Lieutenant"],
    "OF-1": ["First Lieutenant", "Lieutenant", "Second Lieutenant", "Flying Officer"],
    "OR-9": ["Sergeant Major", "Command Sergeant Major", "Chief Master Sergeant", "Master Chief Petty Officer", "Warrant Officer"],
    "OR-8": ["Master Sergeant", "First Sergeant", "Senior Chief Petty Officer"],
    "OR-7": ["Sergeant First Class", "Chief Petty Officer"],
    "OR-6": ["Staff Sergeant", "Technical Sergeant", "Petty Officer First Class"],
    "OR-5": ["Sergeant", "Petty Officer"],
    "OR-4": ["Corporal", "Specialist"],
    "OR-3": ["Lance Corporal", "Private First Class"],
    "OR-2": ["Private"],
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _kfg_names() -> set[str]:
    return {name for name in KFG.__annotations__ if not name.startswith("_")}


def test_every_kfg_name_is_declared_with_label_and_comment(ontology: Graph) -> None:
    names = _kfg_names()
    assert len(names) == 32
    for name in names:
        term = KFG[name]
        assert (term, RDF.type, None) in ontology, f"kfg:{name} has no rdf:type"
        assert isinstance(ontology.value(term, RDFS.label), Literal), f"kfg:{name} has no rdfs:label"
        assert isinstance(ontology.value(term, RDFS.comment), Literal), f"kfg:{name} has no rdfs:comment"
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, f"kfg:{name} has no rdfs:isDefinedBy"


def test_every_kfg_term_in_the_ontology_is_in_vocab(ontology: Graph) -> None:
    ns = str(KFG)
    declared = {str(s)[len(ns):] for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}
    used = {str(o)[len(ns):] for o in ontology.objects() if isinstance(o, URIRef) and str(o).startswith(ns)}
    assert declared == _kfg_names()
    assert used <= _kfg_names()


def test_unknown_kfg_name_is_an_error() -> None:
    with pytest.raises(AttributeError):
        KFG.notATerm  # noqa: B018


def test_kinds_of_term(ontology: Graph) -> None:
    classes = {"Mention", "Figure", "ForceFigure"}
    schemes = {"RankScheme", "EventTypeScheme", "PlaceKindScheme", "FigureKindScheme", "CameoScheme"}
    for name in classes:
        assert (KFG[name], RDF.type, OWL.Class) in ontology
    for name in schemes:
        assert (KFG[name], RDF.type, SKOS.ConceptScheme) in ontology
    assert (KFG.ForceFigure, RDFS.subClassOf, KFG.Figure) in ontology
    properties = _kfg_names() - classes - schemes
    for name in properties:
        kinds = set(ontology.objects(KFG[name], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, f"kfg:{name} is not a property"


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    vann = "http://purl.org/vocab/vann/"
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(vann + "preferredNamespacePrefix"))) == "kfg"
    assert str(ontology.value(ONTOLOGY_IRI, URIRef(vann + "preferredNamespaceUri"))) == str(KFG)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


def _in_scheme(ontology: Graph, scheme: URIRef) -> set[URIRef]:
    return {s for s in ontology.subjects(SKOS.inScheme, scheme) if isinstance(s, URIRef)}


def test_rank_scheme_matches_the_table(ontology: Graph) -> None:
    concepts = _in_scheme(ontology, KFG.RankScheme)
    spellings = sum(len(labels) for labels in RANK_TABLE.values())
    assert spellings == 51
    assert len(concepts) == len(RANK_TABLE) + spellings
    for code, labels in RANK_TABLE.items():
        top = RANK[code]
        assert ontology.value(top, SKOS.prefLabel) == Literal(code)
        assert ontology.value(top, SKOS.notation) == Literal(code)
        for label in labels:
            concept = RANK[f"{code}-{slugify(label)}"]
            assert concept in concepts, concept
            # a plain literal, so `skos:prefLabel "Major General"` matches in SPARQL
            assert ontology.value(concept, SKOS.prefLabel) == Literal(label)
            assert ontology.value(concept, SKOS.notation) == Literal(code)
            assert ontology.value(concept, SKOS.broader) == top
    assert RANK["OF-7-major-general"] == URIRef("https://w3id.org/kfgraph/rank/OF-7-major-general")


def test_rank_notations_match_the_pattern(ontology: Graph) -> None:
    notations = [ontology.value(c, SKOS.notation) for c in _in_scheme(ontology, KFG.RankScheme)]
    assert notations and all(n is not None and NOTATION.fullmatch(str(n)) for n in notations)
    assert not NOTATION.fullmatch("OF-11") and not NOTATION.fullmatch("OF7")


def test_event_type_scheme(ontology: Graph) -> None:
    concepts = _in_scheme(ontology, KFG.EventTypeScheme)
    assert concepts == {EVENT_TYPE[t.value] for t in EventType}
    assert len(concepts) == 12
    for concept in concepts:
        assert ontology.value(concept, SKOS.prefLabel) == Literal(concept.rsplit("/", 1)[1])
        assert ontology.value(concept, SKOS.definition) is not None
    for concept, _, match in ontology.triples((None, SKOS.closeMatch, None)):
        assert str(match).startswith(str(CAMEO)) and (match, SKOS.inScheme, KFG.CameoScheme) in ontology
    assert (EVENT_TYPE.Visit, SKOS.closeMatch, CAMEO["042"]) in ontology


def test_cameo_concepts_have_notation_matching_iri(ontology: Graph) -> None:
    concepts = _in_scheme(ontology, KFG.CameoScheme)
    assert len(concepts) >= 10
    for concept in concepts:
        assert str(ontology.value(concept, SKOS.notation)) == concept.rsplit("/", 1)[1]
        assert ontology.value(concept, SKOS.prefLabel) is not None


def test_place_kind_scheme(ontology: Graph) -> None:
    concepts = _in_scheme(ontology, KFG.PlaceKindScheme)
    assert concepts == {PLACE_KIND[k.value] for k in PlaceKind}
    for concept in concepts:
        assert ontology.value(concept, SKOS.prefLabel) == Literal(concept.rsplit("/", 1)[1])


def test_figure_kind_scheme(ontology: Graph) -> None:
    concepts = _in_scheme(ontology, KFG.FigureKindScheme)
    assert concepts == {FIGURE_KIND[k.value] for k in FigureKind}
    for concept in concepts:
        assert ontology.value(concept, SKOS.prefLabel) == Literal(concept.rsplit("/", 1)[1])
        assert ontology.value(concept, SKOS.definition) is not None
    # wounded and killed are casualties; every other kind is a top concept
    assert set(ontology.objects(FIGURE_KIND.Casualties, SKOS.narrower)) == {FIGURE_KIND.Wounded, FIGURE_KIND.Killed}
    tops = set(ontology.objects(KFG.FigureKindScheme, SKOS.hasTopConcept))
    assert tops == concepts - {FIGURE_KIND.Wounded, FIGURE_KIND.Killed}
    for narrow in (FIGURE_KIND.Wounded, FIGURE_KIND.Killed):
        assert ontology.value(narrow, SKOS.broader) == FIGURE_KIND.Casualties
