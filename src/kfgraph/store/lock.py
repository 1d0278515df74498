"""One writer or any number of readers on an embedded store folder, across processes.

    lock = StoreLock.take(path, write=True)    # kfgraph build
    lock = StoreLock.take(path, write=False)   # kfgraph serve, query, export, validate --store
    lock.release()

A reader opens a frozen view of the store: a build running beside it would
leave it answering from that view while new handles (a respawned query worker,
a dump) see the build's half-written state. So a build refuses to start while
any process reads the store, and a reader refuses to start while a build
writes it, each with a message saying what to do. The lock is ``flock`` on
``STORE/kfgraph.lock``: the kernel drops it when its process ends, however it
ends (even ``kill -9``), so a stale lock never blocks anyone. A store on a
read-only file system is opened without a lock: nothing can write it there.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from kfgraph.errors import StoreLockedError

LOCK_NAME = "kfgraph.lock"


class StoreLock:
    """A held ``flock`` on a store folder; released by ``release()`` or when the process ends."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def take(cls, store: Path, *, write: bool) -> StoreLock:
        """Take the lock without waiting; raise ``StoreLockedError`` when the other side holds it."""
        path = store / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)  # flock works on a read-only descriptor too
            except OSError:
                if write:
                    raise
                return cls(None)  # a read-only store without a lock file: nobody can be writing it
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if write else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            writer = True
            if write:  # held by readers, or by another build? A shared lock can be had only beside readers
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    writer = False
                except BlockingIOError:
                    pass
            os.close(fd)
            raise StoreLockedError(_busy_message(store, held_by_writer=writer)) from None
        return cls(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __del__(self) -> None:
        self.release()


def _busy_message(store: Path, *, held_by_writer: bool) -> str:
    if not held_by_writer:
        return (
            f"store {store} is open for reading by another process (a running `kfgraph serve`, query or export): "
            "building into it would change the data under that process. Stop it and build again, or build into "
            "a new folder (--store NEW) and serve that one."
        )
    return (
        f"store {store} is being written by a running `kfgraph build`: it would be read half-built. "
        "Start again when the build has finished."
    )
