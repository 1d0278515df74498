"""Worker processes that end when the process that started them ends, however it ends.

    die_with(parent_pid)   # call first thing in a worker (a pool initializer)

A ``kill -9`` of a build's main process gives it no chance to stop its pool:
its workers would run on, orphaned. Two guards, either one enough:

* Linux's ``PR_SET_PDEATHSIG``: the kernel sends SIGKILL when the worker's
  parent ends (if the parent already ended, the worker exits at once);
* a daemon thread that waits on a ``pidfd`` of ``parent_pid`` and exits the
  worker when it becomes readable (the process ended) — for workers whose
  direct parent is not ``parent_pid`` (a fork server) and for kernels where
  ``prctl`` is not reachable.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import threading

_PR_SET_PDEATHSIG = 1


def die_with(parent_pid: int) -> None:
    """Make this process exit when ``parent_pid`` ends (Linux; elsewhere a no-op)."""
    if os.getppid() == parent_pid:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent_pid:  # the parent ended before prctl took effect
            os._exit(1)
    try:
        pidfd = os.pidfd_open(parent_pid)
    except ProcessLookupError:
        os._exit(1)  # it has ended already
    except (AttributeError, OSError):
        return  # no pidfd here (old kernel); PR_SET_PDEATHSIG covers a direct child
    threading.Thread(target=_watch, args=(pidfd,), name="kfgraph-lifeline", daemon=True).start()


def _watch(pidfd: int) -> None:
    select.select([pidfd], [], [])  # readable once the process has ended
    os._exit(1)
