"""Generalisation check: extraction scores per era and per source kind, so overfitting shows.

    python bench/generalisation.py                          # ../shared/corpus/dev, scored by ../shared/tools/kfg-score
    python bench/generalisation.py --corpus tests/fixtures/heldout
    python bench/generalisation.py --corpus DIR --corpus DIR2 --write   # also append the table to bench/RESULTS.md

The corpus is built once (``kfgraph build``, then ``kfgraph export`` as N-Quads); the scorer then runs on
groups of answer keys: every release, each source kind (the keys' ``source_kind``: official pages,
news agencies and sites), each era of KFOR's structure (1999-2005 brigades, 2006-2013 task forces and
battle groups, 2014-2019, 2020 on regional commands; the year is the release's, else the file name's),
and the rest when each era is left out. A category with no answer-key item in a group shows "–". Rules tuned on one kind of release score well on it and badly on the others:
a group more than ``--gap`` below the whole is flagged. Groups of fewer than three releases are skipped.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CATEGORIES = ("organizations", "persons", "locations", "mandates", "events", "figures", "ranks", "posts", "dates")
ERAS = ((1999, 2005, "1999-2005"), (2006, 2013, "2006-2013"), (2014, 2019, "2014-2019"), (2020, 2100, "2020-"))


def _year(key: dict[str, object], stem: str) -> int | None:
    date = key.get("date_published")
    found = re.match(r"(\d{4})", str(date) if date else stem)
    return int(found.group(1)) if found else None


def groups(keys: dict[str, dict[str, object]]) -> dict[str, list[str]]:
    """Group name -> release identifiers: all, each source kind, each era, and each of those left out."""
    out: dict[str, list[str]] = {"all": sorted(keys)}
    kinds = sorted({str(k.get("source_kind") or "unknown") for k in keys.values()})
    for kind in kinds:
        out[f"kind={kind}"] = sorted(s for s, k in keys.items() if str(k.get("source_kind") or "unknown") == kind)
    for first, last, name in ERAS:
        out[f"era={name}"] = sorted(s for s, k in keys.items() if (y := _year(k, s)) is not None and first <= y <= last)
    for name in [g for g in out if g.startswith("era=")]:  # leave one era out (two kinds complement each other)
        out[f"without {name}"] = sorted(set(keys) - set(out[name]))
    return {name: ids for name, ids in out.items() if len(ids) >= 3}


def build_and_export(corpora: list[Path], kfgraph: str, work: Path) -> Path:
    store, dump = work / "store", work / "dump.nq"
    subprocess.run([kfgraph, "build", *map(str, corpora), "--store", str(store)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([kfgraph, "export", "--store", str(store), "--format", "nquads", "-o", str(dump)], check=True)
    return dump


def score(dump: Path, keys: dict[str, Path], ids: list[str], scorer: Path, work: Path) -> dict[str, float]:
    """kfg-score on the answer keys of ``ids`` only (the dump may hold more releases)."""
    folder = Path(tempfile.mkdtemp(dir=work))
    for rid in ids:
        (folder / f"{rid}.json").symlink_to(keys[rid].resolve())
    done = subprocess.run([sys.executable, str(scorer), str(dump), str(folder), "--json"], check=True,
                          capture_output=True, text=True)
    figures = json.loads(done.stdout)
    return {c: figures[c].get("f1", figures[c].get("accuracy", 0.0)) for c in CATEGORIES}


def gold_counts(keys: dict[str, dict[str, object]], ids: list[str]) -> dict[str, int]:
    """How many answer-key items of each category the group has (a category with none has no score)."""
    counts = {c: sum(len(keys[i].get(c) or []) for i in ids) for c in CATEGORIES if c not in ("ranks", "posts", "dates")}
    counts["ranks"] = sum(1 for i in ids for p in keys[i].get("persons") or [] if p.get("rank"))
    counts["posts"] = sum(1 for i in ids for p in keys[i].get("persons") or [] if p.get("role") and p.get("organization"))
    counts["dates"] = sum(1 for i in ids if keys[i].get("date_published"))
    return counts


def table(rows: dict[str, tuple[int, dict[str, float], dict[str, int]]], gap: float) -> str:
    overall = rows["all"][1]
    head = "| group | releases | " + " | ".join(CATEGORIES) + " |"
    lines = [head, "|" + "---|" * (len(CATEGORIES) + 2)]
    for name, (count, figures, gold) in rows.items():
        cells = ["–" if not gold[c] else f"{figures[c]:.3f}" + (" ⚠" if overall[c] - figures[c] > gap else "")
                 for c in CATEGORIES]
        lines.append(f"| {name} | {count} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append",
                        help="a folder of NAME.txt releases with NAME.json answer keys (repeatable; default ../shared/corpus/dev)")
    parser.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "tools" / "kfg-score")
    parser.add_argument("--kfgraph", default=str(Path(sys.executable).with_name("kfgraph")))
    parser.add_argument("--gap", type=float, default=0.05, help="flag a group this far below the whole (default 0.05)")
    parser.add_argument("--write", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args(argv)
    corpora = args.corpus or [ROOT.parent / "shared" / "corpus" / "dev"]
    keys_files = {p.stem: p for corpus in corpora for p in sorted(corpus.glob("*.json"))}
    keys = {stem: json.loads(p.read_text(encoding="utf-8")) for stem, p in keys_files.items()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dump = build_and_export(corpora, args.kfgraph, work)
        rows = {name: (len(ids), score(dump, keys_files, ids, args.scorer, work), gold_counts(keys, ids))
                for name, ids in groups(keys).items()}
    text = table(rows, args.gap)
    print(text)
    if args.write:
        if __package__:
            from . import machine
        else:
            import machine  # type: ignore[no-redef]
        names = ", ".join(c.name for c in corpora)
        machine.append_results(f"Generalisation ({names}; ⚠ = more than {args.gap} below all)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
