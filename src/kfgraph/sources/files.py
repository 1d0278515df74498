"""Which files under the given paths are releases, and every path passed over with the reason.

    found = find_release_files([Path("data/releases")])
    found.files     # release files, sorted, each once
    found.skipped   # SkippedPath(path, reason) for everything else

Folders are walked in sorted order. Symbolic links to folders are followed,
unless the folder is already being walked (a loop) or was walked before;
broken links, unreadable folders, hidden files and folders, ``gazetteer/``
folders, other extensions (README.md) and ``NAME.json`` answer keys beside a
``NAME.txt`` are skipped, each with its reason. A file named explicitly is
always a release file, so an unsupported one is reported when it is read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kfgraph.errors import ConfigurationError

SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")
"""File extensions read as releases (case-insensitive)."""

_SKIPPED_FOLDERS = frozenset({"gazetteer"})


@dataclass(frozen=True)
class SkippedPath:
    path: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class FoundFiles:
    files: list[Path] = field(default_factory=list)
    skipped: list[SkippedPath] = field(default_factory=list)


def find_release_files(paths: Iterable[Path]) -> FoundFiles:
    """The release files under ``paths`` and every path skipped, with why.

    Raises ``ConfigurationError`` when a given path does not exist.
    """
    found = FoundFiles()
    seen_files: set[Path] = set()
    walked: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise ConfigurationError(f"{path}: no such file or folder")
        files = _walk(path, found.skipped, walked) if path.is_dir() else [path]
        for file in files:
            key = file.resolve()
            if key in seen_files:
                found.skipped.append(SkippedPath(str(file), "the same file was already read under another name"))
            else:
                seen_files.add(key)
                found.files.append(file)
    return found


def _walk(root: Path, skipped: list[SkippedPath], walked: set[tuple[int, int]]) -> list[Path]:
    files: list[Path] = []
    root_stat = root.stat()
    walked.add((root_stat.st_dev, root_stat.st_ino))
    # (folder, its ancestors' identities): a link back to an ancestor is a loop
    stack: list[tuple[Path, frozenset[tuple[int, int]]]] = [(root, frozenset({(root_stat.st_dev, root_stat.st_ino)}))]
    while stack:
        folder, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            skipped.append(SkippedPath(str(folder), f"folder not readable: {error.strerror or error}"))
            continue
        subfolders: list[tuple[Path, frozenset[tuple[int, int]]]] = []
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                skipped.append(SkippedPath(str(path), "hidden"))
                continue
            try:
                info = entry.stat()  # follows links
            except OSError as error:
                reason = "broken symbolic link" if entry.is_symlink() else f"cannot read: {error.strerror or error}"
                skipped.append(SkippedPath(str(path), reason))
                continue
            if stat.S_ISDIR(info.st_mode):
                identity = (info.st_dev, info.st_ino)
                if identity in ancestors:
                    skipped.append(SkippedPath(str(path), "symbolic link loop: leads back to a folder being read"))
                elif entry.name in _SKIPPED_FOLDERS:
                    skipped.append(SkippedPath(str(path), "gazetteer folder: not releases"))
                elif identity in walked:
                    skipped.append(SkippedPath(str(path), "folder already read under another name"))
                else:
                    walked.add(identity)
                    subfolders.append((path, ancestors | {identity}))
                continue
            why = _skip_reason(path, is_file=stat.S_ISREG(info.st_mode))
            if why:
                skipped.append(SkippedPath(str(path), why))
            else:
                files.append(path)
        stack.extend(reversed(subfolders))
    return sorted(files)


def _skip_reason(path: Path, *, is_file: bool) -> str | None:
    if not is_file:
        return "not a regular file"
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return f"not a release file type ({suffix or 'no extension'})"
    if suffix == ".json" and path.with_suffix(".txt").is_file():
        return "answer key beside its .txt release"
    return None
