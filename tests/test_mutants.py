"""The mutation harness: the shapes catch single-error mutants of correct releases (tests/mutants.py).

The catch rate is printed (``pytest -s`` or the terminal summary) and must stay at 98 % or more;
only the kinds in ``mutants.EXPECTED_WARNINGS`` may be caught as a Warning, every other one needs a
Violation. A batch of releases (as ``kfgraph build`` checks them) must give each its own verdict.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph

import mutants
from kfgraph.validate import Validator
from kfgraph.validation_cli import quiet_ill_typed_literals

MIN_MUTANTS = 100
MIN_CATCH_RATE = 0.98


@pytest.fixture(scope="module")
def bases() -> list[tuple[str, Graph]]:
    return mutants.release_graphs()


@pytest.fixture(scope="module")
def generated(bases: list[tuple[str, Graph]]) -> list[mutants.Mutant]:
    with quiet_ill_typed_literals():
        return mutants.generate(bases)


def test_the_releases_mutated_are_correct(shapes_validator: Validator, bases: list[tuple[str, Graph]]) -> None:
    assert len(bases) >= 13
    for identifier, graph in bases:
        report = shapes_validator.validate(graph)
        assert report.violations == (), (identifier, [r.message for r in report.violations])


def test_every_kind_makes_mutants(generated: list[mutants.Mutant]) -> None:
    made = Counter(m.kind for m in generated)
    assert set(made) == set(mutants.KINDS), set(mutants.KINDS) - set(made)
    assert len(generated) >= MIN_MUTANTS
    assert {m.kind for m in generated if m.expected == "Warning"} == mutants.EXPECTED_WARNINGS


def test_catch_rate(shapes_validator: Validator, generated: list[mutants.Mutant],
                    capsys: pytest.CaptureFixture[str]) -> None:
    missed = []
    for mutant in generated:
        with quiet_ill_typed_literals():
            report = shapes_validator.validate(mutant.graph)
        if not mutants.caught(mutant, report):
            missed.append(f"{mutant.kind} ({mutant.release}): {[(r.severity, r.shape) for r in report.results]}")
    rate = (len(generated) - len(missed)) / len(generated)
    with capsys.disabled():
        print(f"\nmutation harness: {len(generated) - len(missed)} of {len(generated)} mutants caught "
              f"({100 * rate:.1f} %), {len(mutants.KINDS)} kinds; Warnings expected for: "
              f"{', '.join(sorted(mutants.EXPECTED_WARNINGS))}")
    assert rate >= MIN_CATCH_RATE, "\n".join(missed)


def test_each_mutant_gets_its_own_verdict_in_a_batch(shapes_validator: Validator, bases: list[tuple[str, Graph]],
                                                      generated: list[mutants.Mutant]) -> None:
    """``kfgraph build`` checks releases in batches; a mutant among correct releases is found all the same,
    and the correct releases beside it still conform."""
    others = [graph for _, graph in bases]
    for number, mutant in enumerate(generated):
        neighbours = [g for i, g in enumerate(others) if bases[i][0] != mutant.release][number % 9:][:3]
        with quiet_ill_typed_literals():
            alone = shapes_validator.validate(mutant.graph)
            batch = shapes_validator.validate_batch([list(mutant.graph), *(list(g) for g in neighbours)])
        assert batch[0].conforms == alone.conforms, mutant.kind
        assert {r.key for r in batch[0].violations} == {r.key for r in alone.violations}, mutant.kind
        assert all(report.conforms for report in batch[1:]), mutant.kind
