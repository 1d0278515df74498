"""Every kind of error that used to pass: a conforming release, and the same release with that one error.

The conforming examples are release graphs a build makes from data/releases; the violating ones are
made from them by the mutation harness (tests/mutants.py), so each row names the harness kind it uses
and the shape that must now report it as a Violation. The report-level items (values with datatypes,
one result per problem, no traceback, one meaning of "conforms") are tested in test_validate.py and
test_validation_cli.py.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

import mutants
from kfgraph.validate import Validator
from kfgraph.validation_cli import quiet_ill_typed_literals

KFGSH = "https://w3id.org/kfgraph/shapes#"

# the error, as the issue measured it -> (harness kind, shapes that may report it)
MEASURED: dict[str, tuple[str, set[str]]] = {
    "nif:endIndex beyond the release text": ("mention end beyond the text", {"MentionSpanShape"}),
    "nif:anchorOf different from the text at that span": ("mention anchor differs from the text", {"MentionSpanShape"}),
    "a mention pointing at another release's text": ("mention of another release's text", {"MentionShape"}),
    "a mentioned IRI with no triples": ("mentioned IRI with no triples", {"ReleaseMentionsShape"}),
    "an entity whose types were removed": ("entity whose types were removed",
                                           {"ReleaseMentionsShape", "EventActorShape", "MembershipShape"}),
    "an event actor under /id/person/ that no graph describes": ("event actor nothing describes", {"EventActorShape"}),
    "a place IRI outside the base": ("place IRI outside the base", {"MintedIriShape"}),
    "a rank IRI that is not a concept of the rank scheme": ("rank not in the rank scheme", {"RankShape"}),
    "a malformed rank notation in a release graph": ("rank notation malformed", {"RankConceptShape"}),
    "a mandate without schema:legislationIdentifier": ("UN resolution without identifier", {"ResolutionShape"}),
    "a mandate identifier like S/RES/12 44": ("UN identifier malformed", {"MandateShape"}),
    "an entity typed both Person and Organization": ("person also an organization", {"KindShape"}),
    "an entity typed both Person and Place": ("person also a place", {"KindShape"}),
    "a label of only spaces": ("label of only spaces", {"EntityShape"}),
    "an empty headline": ("empty headline", {"ReleaseShape"}),
    "a publication date in 2099": ("publication date in 2099", {"ReleaseDateShape"}),
    "an identifier that does not match the release IRI": ("identifier not the IRI's", {"ReleaseIdentifierShape"}),
    "a membership without organization": ("membership without organization", {"MembershipPartiesShape"}),
    "swapped latitude/longitude": ("latitude and longitude swapped", {"PlacePositionShape"}),
    "a WKT point that disagrees with wgs:lat/wgs:long": ("WKT point swapped", {"PlacePositionShape"}),
    "a misspelled predicate (schema:datepublished)": ("misspelled schema: property", {"VocabularyShape"}),
    "a misspelled class (schema:event)": ("misspelled class", {"VocabularyShape"}),
    "owl:sameAs cycles": ("owl:sameAs cycle", {"ExternalLinkShape"}),  # kfgraph states no owl:sameAs at all
}


@pytest.fixture(scope="module")
def bases() -> list[tuple[str, Graph]]:
    return mutants.release_graphs()


def test_every_measured_kind_is_in_the_harness() -> None:
    assert len(MEASURED) == 23
    assert {kind for kind, _ in MEASURED.values()} <= set(mutants.KINDS)


@pytest.mark.parametrize("error", sorted(MEASURED))
def test_conforming_and_violating_example(error: str, shapes_validator: Validator, bases: list[tuple[str, Graph]]) -> None:
    kind, shapes = MEASURED[error]
    mutate = mutants.KINDS[kind]
    for identifier, graph in bases:
        with quiet_ill_typed_literals():
            broken = mutate(graph)
        if broken is not None:
            break
    else:
        pytest.fail(f"no release of data/ to make {kind!r} from")
    assert shapes_validator.validate(graph).violations == (), identifier  # the conforming example
    with quiet_ill_typed_literals():
        report = shapes_validator.validate(broken)
    assert not report.conforms, (error, identifier)
    assert {r.shape for r in report.violations} <= {KFGSH + s for s in shapes}, (error, [r.message for r in report.violations])
