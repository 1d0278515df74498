"""A wall-clock limit on a stretch of Python code in the main thread of a process.

    with time_limit(60.0, what="extracting release x"):
        ...   # raises TimeLimitExceeded after 60 s, even inside a long regular-expression match

It uses ``SIGALRM``: only the main thread can take the signal, so elsewhere (a
thread of a server) the block runs unlimited; build workers and a one-process
build run their releases in their main thread.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from kfgraph.errors import KfgraphError


class TimeLimitExceeded(KfgraphError):
    """The block ran past its limit."""

    code = "time-limit"


@contextmanager
def time_limit(seconds: float, *, what: str) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` in the block once ``seconds`` have passed (main thread only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
