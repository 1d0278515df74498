"""Ingest benchmark: wall time, releases/s, peak memory and triples of `kfgraph build`.

    python bench/ingest.py                 # 1k and 10k synthetic releases
    python bench/ingest.py --full          # also 100k
    python bench/ingest.py --sizes 1000 --profile   # plus a cProfile of a 1k build
    python bench/ingest.py --sizes 1000 --compare OTHER/kfgraph --rounds 3   # before/after in one run

Corpora come from bench/synth.py (seed 1) under bench/corpora/<size> and are
generated when missing. Each build runs as a subprocess into a fresh store in a
temporary folder. Memory is measured two ways:

- tree RSS: the sum of VmRSS over the `kfgraph` process and all its descendants
  (read from /proc/<pid>/status and /proc/<pid>/task/*/children every 50 ms),
  peak over the run. This is what the machine must have free.
- max process RSS: ru_maxrss from wait4() on the build process, i.e. the
  largest peak of any single process in the tree (Linux folds waited-for
  descendants into it).

The Markdown table is printed and, unless --no-write, appended to
bench/RESULTS.md with the machine description.

With ``--compare KFGRAPH`` (the ``kfgraph`` of another checkout, say the commit
before a change), each size is built ``--rounds`` times by both, in turn (other,
this, other, this …), and the CPU ms per release of each pair is compared: on a
shared machine the ratio of runs made side by side is what can be trusted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

if __package__:
    from . import machine, synth
else:
    import machine  # type: ignore[no-redef]
    import synth  # type: ignore[no-redef]

BENCH = Path(__file__).resolve().parent
TARGET_RATE = 200.0  # releases/s at 10k on 2 cores (issue 2)


@dataclass
class Run:
    releases: int
    wall: float
    exit_code: int
    report: dict[str, object]
    tree_rss_kib: int
    max_rss_kib: int
    store_bytes: int
    cpu_seconds: float = 0.0
    """User + system CPU of the build and its (reaped) worker processes, from wait4()."""

    @property
    def rate(self) -> float:
        return self.releases / self.wall if self.wall else 0.0

    @property
    def cpu_ms_per_release(self) -> float:
        return 1000 * self.cpu_seconds / self.releases if self.releases else 0.0


def _label(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 and count else str(count)


def ensure_corpus(count: int, seed: int, root: Path) -> Path:
    """bench/corpora/<label>, generated (deterministically) when missing or incomplete.

    A ``.synth`` stamp written after the last file records count, seed and generator version.
    """
    folder = root / (_label(count) if seed == 1 else f"{_label(count)}-seed{seed}")
    stamp = folder / ".synth"
    source = b"".join((BENCH / f).read_bytes() for f in ("synth.py", "synth_data.py"))
    want = f"count={count} seed={seed} generator={zlib.crc32(source):08x}\n"
    if not (stamp.exists() and stamp.read_text() == want):
        if folder.exists():
            shutil.rmtree(folder)
        print(f"generating {count} releases into {folder} ...", file=sys.stderr)
        synth.write_corpus(count, seed, folder)
        stamp.write_text(want)
    return folder


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return kids


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(root: int) -> int:
    """Sum of VmRSS (KiB) over ``root`` and all its descendants, now."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kib(pid)
        todo.extend(_children(pid))
    return total


def kill_tree(root: int) -> None:
    """SIGKILL ``root`` and its descendants (children first collected, then killed)."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(_children(pid))
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.waitpid(root, 0)
    except ChildProcessError:
        pass


def keep_store(workdir: Path, keep: Path, count: int) -> None:
    """Move the built store to ``keep/<label>`` (reused by bench/endpoint.py)."""
    label = _label(count)
    keep.mkdir(parents=True, exist_ok=True)
    target = keep / label
    for stale in (target, keep / f"{label}.built"):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    shutil.move(str(workdir / "store"), target)
    shutil.copy(workdir / "report.json", keep / f"{label}-report.json")
    (keep / f"{label}.built").write_text("ok\n")


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def watch(proc: subprocess.Popen, started: float, timeout: float, what: str) -> tuple[int, object, int]:
    """Wait for ``proc``, sampling its process tree's RSS: (wait status, rusage, peak tree RSS KiB).

    Past ``timeout`` seconds since ``started`` (TimeoutError, with ``peak_kib``), or on Ctrl-C, the
    process and its workers are killed before the exception goes on.
    """
    peak = 0
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                return status, usage, peak
            peak = max(peak, tree_rss_kib(proc.pid))
            if time.perf_counter() - started > timeout:
                error = TimeoutError(f"{what} took more than {timeout:.0f} s")
                error.peak_kib = peak  # type: ignore[attr-defined]  # how large it grew before the limit
                raise error
            time.sleep(0.05)
    except BaseException:  # timeout or Ctrl-C: do not leave the build and its workers running
        kill_tree(proc.pid)
        raise


def run_build(kfgraph: str, corpus: Path, count: int, workdir: Path, workers: int | None,
              timeout: float) -> Run:
    store, report = workdir / "store", workdir / "report.json"
    cmd = [kfgraph, "build", str(corpus), "--store", str(store), "--report", str(report)]
    if workers:
        cmd += ["--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    status, usage, peak = watch(proc, started, timeout, f"kfgraph build of {count} releases")
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"kfgraph build failed ({proc.returncode}):\n{err[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    cpu = usage.ru_utime + usage.ru_stime if usage else 0.0
    return Run(count, wall, proc.returncode, data, peak, usage.ru_maxrss if usage else 0, _dir_bytes(store), cpu)


def table(runs: list[Run]) -> str:
    rows = ["| releases | wall s | releases/s | pipeline s | stored | quarantined | unreadable | triples "
            "| peak tree RSS MiB | max process RSS MiB | store MiB | CPU ms/release |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        g = r.report.get
        rows.append(f"| {r.releases:,} | {r.wall:.1f} | {r.rate:.0f} | {g('seconds', '?')} | {g('stored', '?')} "
                    f"| {g('quarantined', '?')} | {g('unreadable', '?')} | {g('triples', '?'):,} "
                    f"| {r.tree_rss_kib / 1024:.0f} | {r.max_rss_kib / 1024:.0f} | {r.store_bytes / 2**20:.0f} "
                    f"| {r.cpu_ms_per_release:.1f} |")
    return "\n".join(rows)


def verdict(runs: list[Run]) -> str:
    lines = []
    by = {r.releases: r for r in runs}
    if 10_000 in by:
        r = by[10_000]
        ok = "met" if r.rate >= TARGET_RATE else "MISSED"
        lines.append(f"- Target ≥ {TARGET_RATE:.0f} releases/s at 10k: {r.rate:.0f} releases/s, {ok}.")
        cores = os.cpu_count() or 1
        budget = 1000 * cores / TARGET_RATE
        lines.append(f"- CPU per release (build and workers, user + system): {r.cpu_ms_per_release:.1f} ms; "
                     f"{TARGET_RATE:.0f} releases/s on {cores} cores allows at most {budget:.1f} ms.")
    small = by.get(1_000)
    for big in (10_000, 100_000):
        if small and big in by:
            ratio = by[big].tree_rss_kib / max(small.tree_rss_kib, 1)
            ok = "flat" if ratio <= 1.5 else "GROWING"
            lines.append(f"- Peak tree RSS {_label(big)} / 1k: {ratio:.2f}× ({ok}; target: not growing "
                         f"with the number of releases).")
    return "\n".join(lines)


def profile(kfgraph: str, corpus: Path, workdir: Path, top: int = 30) -> str:
    """cProfile of a single-worker build (workers=1 so the work is in the profiled process)."""
    import cProfile  # noqa: F401  (the module is run with -m below)
    import io
    import pstats

    out = workdir / "build.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), kfgraph, "build", str(corpus),
           "--store", str(workdir / "pstore"), "--report", str(workdir / "preport.json"), "--workers", "1"]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    buf = io.StringIO()
    stats = pstats.Stats(str(out), stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def compare(args: argparse.Namespace, sizes: list[int]) -> int:
    """Build each size with ``--compare`` (before) and ``--kfgraph`` (after) in turn; ratios of side-by-side pairs."""
    import statistics

    lines = ["| releases | round | before CPU ms/release | after CPU ms/release | after/before | before wall s "
             "| after wall s | after stored / quarantined |",
             "|---:|---:|---:|---:|---:|---:|---:|---|"]
    summary = []
    for count in sizes:
        corpus = ensure_corpus(count, args.seed, args.corpora)
        ratios = []
        for number in range(1, args.rounds + 1):
            pair = []
            for kfgraph in (args.compare, args.kfgraph):
                with tempfile.TemporaryDirectory(prefix="kfg-ingest-", dir=args.tmp) as tmp:
                    pair.append(run_build(kfgraph, corpus, count, Path(tmp), args.workers, args.timeout))
            before, after = pair
            ratios.append(after.cpu_ms_per_release / before.cpu_ms_per_release)
            lines.append(f"| {count:,} | {number} | {before.cpu_ms_per_release:.1f} | {after.cpu_ms_per_release:.1f} "
                         f"| {ratios[-1]:.3f} | {before.wall:.1f} | {after.wall:.1f} "
                         f"| {after.report.get('stored', '?')} / {after.report.get('quarantined', '?')} |")
            print(lines[-1], file=sys.stderr)
        summary.append(f"- {count:,} releases: after/before CPU per release, median of {len(ratios)} pairs: "
                       f"{statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})")
    result = "\n".join(lines) + "\n\n" + "\n".join(summary)
    print(result)
    if not args.no_write:
        workers = args.workers or "default (one per core)"
        body = (f"`kfgraph build` of synthetic corpora (bench/synth.py, seed {args.seed}), workers: {workers}; "
                f"before = `{args.compare}`, after = `{args.kfgraph}`, built in turn. CPU = user + system of the "
                f"build and its workers, from wait4().\n\n{result}\n\nMachine:\n\n{machine.describe()}\n")
        machine.append_results(f"Ingest before/after, {time.strftime('%Y-%m-%d %H:%M')}", body)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--full", action="store_true", help="also 100k releases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="passed to kfgraph build")
    parser.add_argument("--kfgraph", default=shutil.which("kfgraph") or str(Path(sys.executable).with_name("kfgraph")))
    parser.add_argument("--corpora", type=Path, default=BENCH / "corpora")
    parser.add_argument("--tmp", type=Path, default=None, help="where temporary stores go")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per build")
    parser.add_argument("--profile", action="store_true", help="also cProfile a 1k build (1 worker)")
    parser.add_argument("--keep-stores", type=Path, default=None, nargs="?", const=BENCH / "out" / "stores",
                        help="keep each store as DIR/<size> (default DIR bench/out/stores, reused by endpoint.py)")
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--compare", default=None, metavar="KFGRAPH",
                        help="also build with this kfgraph (another checkout), in turn, and compare CPU per release")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of builds per size with --compare")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([100_000] if args.full else [])))
    if args.compare:
        return compare(args, sizes)

    runs: list[Run] = []
    for count in sizes:
        corpus = ensure_corpus(count, args.seed, args.corpora)
        with tempfile.TemporaryDirectory(prefix="kfg-ingest-", dir=args.tmp) as tmp:
            run = run_build(args.kfgraph, corpus, count, Path(tmp), args.workers, args.timeout)
            if args.keep_stores:
                keep_store(Path(tmp), args.keep_stores, count)
        runs.append(run)
        print(f"{count}: {run.wall:.1f} s, {run.rate:.0f} releases/s, tree RSS {run.tree_rss_kib / 1024:.0f} MiB",
              file=sys.stderr)
    result = table(runs) + "\n\n" + verdict(runs)
    print(result)
    prof = ""
    if args.profile:
        corpus = ensure_corpus(1_000, args.seed, args.corpora)
        with tempfile.TemporaryDirectory(prefix="kfg-prof-", dir=args.tmp) as tmp:
            prof = profile(args.kfgraph, corpus, Path(tmp))
        print(prof)
    if not args.no_write:
        workers = args.workers or "default (one per core)"
        body = (f"`kfgraph build` of synthetic corpora (bench/synth.py, seed {args.seed}), workers: {workers}. "
                f"Peak tree RSS = sum of VmRSS over the build process and its children, sampled every 50 ms; "
                f"max process RSS = ru_maxrss from wait4().\n\n{result}\n\nMachine:\n\n{machine.describe()}\n")
        machine.append_results(f"Ingest, {time.strftime('%Y-%m-%d %H:%M')}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
