"""Every third-party module the package imports is a declared runtime dependency.

Regression: the remote store imported httpx, listed only among the test extras, so a
fresh `pip install -e .` could not start `kfgraph serve` (the README's main command).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from kfgraph.settings import PROJECT_ROOT

SRC = PROJECT_ROOT / "src" / "kfgraph"


def _top_level_imports() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_imports_are_declared_dependencies() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_normalise(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}
    distributions = packages_distributions()
    third_party = sorted(
        m for m in _top_level_imports() if m != "kfgraph" and m not in sys.stdlib_module_names and m != "__future__"
    )
    assert "rdflib" in third_party and "pyoxigraph" in third_party  # the scan sees real imports
    undeclared = {}
    for module in third_party:
        dists = distributions.get(module, [module])
        if not {_normalise(d) for d in dists} & declared:
            undeclared[module] = dists
    assert not undeclared, f"imported but not in [project].dependencies: {undeclared}"
