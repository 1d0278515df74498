"""The analysts' example questions, one SPARQL file each.

These files are the single source for the README's examples, the query page's
example menu and the test that runs every example against ``data/``. Each file
starts with ``# title: …`` (the question in words).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class ExampleQuery:
    name: str
    title: str
    text: str


def examples() -> list[ExampleQuery]:
    """Every example query, in file-name order."""
    found = []
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        if not first.startswith("# title:"):
            raise ValueError(f"{entry.name}: first line must be '# title: …'")
        found.append(ExampleQuery(entry.name.removesuffix(".rq"), first.removeprefix("# title:").strip(), text))
    return found
