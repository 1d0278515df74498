"""Build limits: time to extract one very long release, and memory of a build of one large JSON file.

    python bench/limits.py                                  # this checkout only
    python bench/limits.py --before ../old-checkout/src     # and another checkout's code, pair by pair

Three measurements, each `kfgraph` run in its own process:

* **long release**: one release of 0.25–2 MB (synthetic bodies, `synth.py`, joined) extracted by the
  rule extractor; CPU seconds of the extraction alone (wall time on a loaded machine says little).
* **JSON file**: `kfgraph build FILE.json --workers 2` of a JSON list of N synthetic records;
  wall time, peak RSS of the whole process tree (build + workers, sampled every 50 ms) and of the
  largest single process.
* **huge text**: `kfgraph build` of a 20 MB .txt beside one ordinary release: seconds to report it.

With `--before SRC`, each measurement also runs with `PYTHONPATH=SRC` (another checkout's
`src/`, e.g. an older commit from `git archive`), alternating before/after, and the table gives
after/before. Results are appended to bench/RESULTS.md unless --no-write.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from ingest import watch  # noqa: E402
from machine import append_results, describe  # noqa: E402

_EXTRACT_ONE = """
import sys, time, dataclasses
from kfgraph import sources
from kfgraph.extract import RuleExtractor, load_gazetteer
from kfgraph.settings import Settings
sys.path.insert(0, sys.argv[2])
import synth
megabytes = float(sys.argv[1])
paragraphs, size = [], 0
for index, (name, text) in enumerate(synth.generate(100_000, 7)):
    release = sources.release_from_text(text, identifier=f"r{index}", source=name)
    paragraphs.extend(release.paragraphs)
    size += sum(len(p) + 2 for p in release.paragraphs)
    if size >= megabytes * 1e6:
        break
long = dataclasses.replace(release, paragraphs=tuple(paragraphs))
extractor = RuleExtractor(load_gazetteer(Settings().data_dir / "gazetteer"))
started = time.process_time()  # CPU seconds: steadier than wall time on a shared machine
extractor.extract(long)
print(len(long.text), time.process_time() - started)
"""


def _env(before: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFGRAPH_")}
    if before:
        env["PYTHONPATH"] = before
    return env


def extract_seconds(megabytes: float, before: str | None, timeout: float) -> tuple[int, float | None]:
    try:
        done = subprocess.run([sys.executable, "-c", _EXTRACT_ONE, str(megabytes), str(HERE)], env=_env(before),
                              capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return int(megabytes * 1e6), None
    chars, seconds = done.stdout.split()
    return int(chars), float(seconds)


def write_json_file(count: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for index, release in enumerate(synth.generate_releases(count, 11)):
            record = {"id": f"synth-{index:06d}", "title": None, "date": release.published.isoformat(),
                      "url": f"https://example.org/{index}", "body": release.text}
            out.write(("," if index else "") + json.dumps(record))
        out.write("]")


def measure_build(path: Path, before: str | None, workdir: Path, timeout: float) -> dict[str, float]:
    cmd = [sys.executable, "-m", "kfgraph.cli", "build", str(path), "--store", str(workdir / "store"),
           "--report", str(workdir / "report.json"), "--workers", "2"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=_env(before), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _, usage, peak = watch(proc, started, timeout, "the build")
    except BaseException as error:  # past the limit (or Ctrl-C): reported as not finished
        peak = getattr(error, "peak_kib", 0)
        return {"seconds": float("nan"), "tree_mib": peak / 1024, "process_mib": float("nan"), "stored": -1}
    report = json.loads((workdir / "report.json").read_text()) if (workdir / "report.json").exists() else {}
    return {"seconds": time.perf_counter() - started, "tree_mib": peak / 1024, "process_mib": usage.ru_maxrss / 1024,
            "stored": report.get("stored", -1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="another checkout's src/ to compare with (PYTHONPATH)")
    parser.add_argument("--sizes-mb", default="0.25,0.5,1,2", help="long release sizes (MB)")
    parser.add_argument("--records", default="1000,2000,10000", help="JSON file sizes (records)")
    parser.add_argument("--before-max-records", type=int, default=2000, help="largest JSON file given to --before")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one run may take")
    parser.add_argument("--skip-huge", action="store_true", help="leave out the 20 MB .txt run")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    sides = [("after", None)] + ([("before", args.before)] if args.before else [])
    lines = ["### One long release: extraction CPU seconds", "",
             "| MB | chars | " + " | ".join(f"{s} s" for s, _ in sides) + (" | after/before |" if args.before else " |"),
             "|---|---|" + "---|" * len(sides) + ("---|" if args.before else "")]
    for mb in [float(x) for x in args.sizes_mb.split(",") if x]:
        got = {side: extract_seconds(mb, src, args.timeout) for side, src in sides}
        cells = [f"{got[s][1]:.1f}" if got[s][1] is not None else f"> {args.timeout:.0f}" for s, _ in sides]
        ratio = ""
        if args.before and got["after"][1] and got["before"][1]:
            ratio = f" {got['after'][1] / got['before'][1]:.2f} |"
        lines.append(f"| {mb:g} | {got['after'][0]} | " + " | ".join(cells) + " |" + ratio)
        print(lines[-1], flush=True)
    if args.records:
        lines += ["", "### One JSON file, `kfgraph build --workers 2`", "",
                  "| records | side | wall s | peak tree RSS MiB | largest process MiB | stored |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="kfgraph-limits-") as tmp:
        for count in [int(x) for x in args.records.split(",") if x]:
            path = Path(tmp) / f"{count}.json"
            write_json_file(count, path)
            for side, src in sides:
                if side == "before" and count > args.before_max_records:
                    continue
                work = Path(tmp) / f"{side}-{count}"
                work.mkdir()
                m = measure_build(path, src, work, args.timeout)
                lines.append(f"| {count} | {side} | {m['seconds']:.0f} | {m['tree_mib']:.0f} | {m['process_mib']:.0f} | "
                             f"{m['stored']} |")
                print(lines[-1], flush=True)
        if not args.skip_huge:
            huge = Path(tmp) / "huge"
            huge.mkdir()
            (huge / "2023-03-01-ordinary.txt").write_text(next(synth.generate(1, 3))[1], encoding="utf-8")
            text = "".join(t for _, t in synth.generate(8000, 5))
            (huge / "2023-03-02-huge.txt").write_text(text * (20_000_000 // len(text) + 1), encoding="utf-8")
            (Path(tmp) / "huge-run").mkdir()
            m = measure_build(huge, None, Path(tmp) / "huge-run", args.timeout)
            lines += ["", f"### A 20 MB .txt beside one ordinary release: reported in {m['seconds']:.1f} s "
                      f"(whole `kfgraph build`, interpreter start included), stored {m['stored']}"]
            print(lines[-1], flush=True)
    if not args.no_write:
        append_results("Build limits (bench/limits.py)", describe() + "\n\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
