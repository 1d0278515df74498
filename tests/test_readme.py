"""The README's example questions are the .rq files, and each answers as documented on data/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kfgraph.queries import examples
from kfgraph.settings import PROJECT_ROOT
from kfgraph.store import open_store

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = {q.name: q for q in examples()}

# What each example must find in the graph of data/ (column -> values that must appear).
EXPECTED: dict[str, dict[str, set[str]]] = {
    "01-kfor-commanders": {"name": {"Angelo Michele Ristuccia", "Enrico Barduani", "Michele Risi", "Ferenc Kajári",
                                    "Özkan Ulutaş"},
                           "tookOver": {"2024-10-11"}, "handedOver": {"2024-10-11"}},
    "02-exercises-by-place-and-date": {"date": {"2022-12-19", "2024-04-16"}},
    "03-partners-of-kfor-in-a-period": {"partnerName": {"Kosovo Police", "EULEX"}},
    "04-releases-citing-unscr-1244": {
        "identifier": {"2022-12-21-kfor-jarinje-presence", "2024-10-11-kfor-change-of-command-barduani"}
    },
    "05-events-at-jarinje": {"type": {"Deployment"}},
    "06-people-by-rank": {"name": {"Angelo Michele Ristuccia", "Francesco Ferrara"}, "code": {"OF-7", "OF-5"}},
    "07-events-per-type-and-year": {"type": {"Exercise", "ChangeOfCommand", "Donation", "Patrol"}},
    "08-force-strength-over-time": {"value": {"3700", "4300"}, "unit": {"personnel"}},
    "09-places-on-a-map": {"name": {"Pristina", "Jarinje", "Kosovo"}},
    "10-where-a-fact-comes-from": {"text": {"Angelo Michele Ristuccia"}},
}


def test_there_are_at_least_eight_examples_and_each_is_expected() -> None:
    assert len(EXAMPLES) >= 8
    assert set(EXAMPLES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_is_in_the_readme_verbatim(name: str) -> None:
    query = EXAMPLES[name]
    assert f"### {query.title}" in README
    assert query.text.rstrip() in README, f"README's copy of {name}.rq is stale"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_answers_on_data(name: str, data_store_path: Path) -> None:
    store = open_store(data_store_path, read_only=True)
    results = store.query(EXAMPLES[name].text)
    columns = [v.value for v in results.variables]
    rows = [[term.value if term is not None else None for term in row] for row in results]
    assert rows, f"{name} found nothing"
    for column, wanted in EXPECTED[name].items():
        seen = {row[columns.index(column)] for row in rows}
        assert wanted <= seen, f"{name}: {column} lacks {wanted - seen}"


def test_readme_names_the_two_setup_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert "kfgraph serve" in blocks[0]
    assert blocks[1].strip() == "bash scripts/test.sh"
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci


def test_force_strength_question_returns_strength_figures_only(data_store_path: Path) -> None:
    # why: nations, casualties and participants are counts too, but not a force's strength
    store = open_store(data_store_path, read_only=True)
    others = store.query(
        "PREFIX kfg: <https://w3id.org/kfgraph/ontology#> PREFIX fkind: <https://w3id.org/kfgraph/figure-kind/> "
        "PREFIX schema: <https://schema.org/> "
        "SELECT ?value ?unit WHERE { ?f kfg:figureKind ?kind ; schema:value ?value ; schema:unitText ?unit . "
        "FILTER (?kind != fkind:ForceStrength) }"
    )
    other_units = {row[1].value for row in others}
    assert "countries" in other_units  # data/ has figures of other kinds, so the filter is tested
    results = store.query(EXAMPLES["08-force-strength-over-time"].text)
    columns = [v.value for v in results.variables]
    units = {row[columns.index("unit")].value for row in results}
    assert units and units.isdisjoint({"countries", "nations"})
