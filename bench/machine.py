"""The machine a benchmark ran on, and appending a section to bench/RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PACKAGES = ("kfgraph", "rdflib", "pyshacl", "pyoxigraph", "fastapi", "uvicorn", "httpx")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_head() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=5, check=False)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def describe(extra: dict[str, str] | None = None) -> str:
    """A Markdown bullet list: CPUs, CPU model, RAM, OS, Python, package versions, date, commit."""
    versions = ", ".join(f"{p} {_version(p)}" for p in PACKAGES)
    if extra:
        versions += ", " + ", ".join(f"{k} {v}" for k, v in extra.items())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join([
        f"- date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, commit {_git_head()}",
        f"- CPUs (nproc): {os.cpu_count()}, {_cpu_model()}; load average (1/5/15 min) when recorded: {load}",
        f"- RAM: {_ram_gib()}; {platform.system()} {platform.release()}",
        f"- Python {sys.version.split()[0]} ({sys.executable})",
        f"- packages: {versions}",
    ])


def append_results(title: str, body: str, path: Path = RESULTS) -> None:
    """Append ``## title`` and ``body`` to the results file (created with a header if missing)."""
    if not path.exists():
        path.write_text("# kfgraph benchmark results\n\nAppended by `bench/ingest.py` and "
                        "`bench/endpoint.py`; newest last. See `bench/README.md`.\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as out:
        out.write(f"\n## {title}\n\n{body.rstrip()}\n")
