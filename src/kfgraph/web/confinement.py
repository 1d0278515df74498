"""Worker processes that cannot open network connections and cannot grow without bound.

``confine`` is called first thing in a query or validation worker process, while it
is still single-threaded (a new user namespace cannot be entered by a process with
threads, and RocksDB starts threads when the store opens).

Network, strongest available first:

``namespace``
    a new user and network namespace (``unshare(CLONE_NEWUSER | CLONE_NEWNET)``, no
    privilege needed on most Linux systems): the process sees one loopback interface,
    down, so every ``connect`` fails with "network is unreachable" — to the internet,
    to this machine's loopback services, to everything.
``seccomp``
    where namespaces are refused (some containers, hardened kernels), a seccomp filter
    through libseccomp makes ``socket()`` fail for every family but ``AF_UNIX`` (and
    refuses ``io_uring``, which could open sockets without that system call).
``unconfined``
    neither was possible: the worker keeps the network; the parent logs a warning.

Memory: ``RLIMIT_DATA`` caps the worker's private memory (heap and anonymous maps, not
the store's memory-mapped files). Past it, allocation fails: Python raises
``MemoryError``, Oxigraph (Rust) aborts the process; either way the parent answers
with a clear error and starts a fresh worker.

This module imports only the standard library: workers start fast.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
import socket
from dataclasses import dataclass

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000

_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_ACT_ERRNO = 0x00050000
_SCMP_CMP_NE = 1
_SCMP_FLTATR_CTL_TSYNC = 4

NAMESPACE = "namespace"
SECCOMP = "seccomp"
UNCONFINED = "unconfined"
NETWORK_ALLOWED = "allowed"


@dataclass(frozen=True)
class Confinement:
    """What ``confine`` achieved in this process (sent to the parent, which logs shortfalls)."""

    network: str
    """``namespace``, ``seccomp``, ``allowed`` (the operator allow-listed SERVICE hosts) or ``unconfined``."""
    memory_limit: int | None
    problems: tuple[str, ...] = ()
    """Why a stronger method could not be used."""

    @property
    def network_closed(self) -> bool:
        return self.network in (NAMESPACE, SECCOMP)


def confine(*, close_network: bool, memory_limit: int | None, methods: tuple[str, ...] = (NAMESPACE, SECCOMP)) -> Confinement:
    """Cap this process's memory and, when ``close_network``, take its network away (see the module doc)."""
    problems: list[str] = []
    if memory_limit:
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_DATA)
            cap = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
        except (OSError, ValueError) as error:
            problems.append(f"memory limit not set: {error}")
            memory_limit = None
    if not close_network:
        return Confinement(NETWORK_ALLOWED, memory_limit, tuple(problems))
    for method in methods:
        problem = _NETWORK_METHODS[method]()
        if problem is None:
            return Confinement(method, memory_limit, tuple(problems))
        problems.append(f"{method}: {problem}")
    return Confinement(UNCONFINED, memory_limit, tuple(problems))


def _network_namespace() -> str | None:
    """Enter a new user + network namespace; None on success, else why not."""
    uid, gid = os.getuid(), os.getgid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            return os.strerror(ctypes.get_errno())
    except (OSError, AttributeError) as error:
        return str(error)
    # Map our own ids to themselves, so files keep their owners as seen from inside.
    for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                       ("/proc/self/gid_map", f"{gid} {gid} 1")):
        try:
            with open(path, "w", encoding="ascii") as handle:
                handle.write(text)
        except OSError:
            pass  # ids then show as "nobody" inside; file access is still checked with the real ones
    return None


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def _seccomp_unix_sockets_only() -> str | None:
    """Install a seccomp filter: ``socket()`` of any family but AF_UNIX and ``io_uring_setup`` fail with EACCES."""
    name = ctypes.util.find_library("seccomp")
    if name is None:
        return "libseccomp is not installed"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
        lib.seccomp_init.restype = ctypes.c_void_p
        lib.seccomp_init.argtypes = [ctypes.c_uint32]
        lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                               ctypes.POINTER(_ArgCmp)]
        lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
        lib.seccomp_load.argtypes = [ctypes.c_void_p]
        lib.seccomp_release.argtypes = [ctypes.c_void_p]
        lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    except (OSError, AttributeError) as error:
        return str(error)
    ctx = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not ctx:
        return "seccomp_init failed"
    try:
        deny = _SCMP_ACT_ERRNO | errno.EACCES
        not_unix = _ArgCmp(0, _SCMP_CMP_NE, socket.AF_UNIX, 0)
        lib.seccomp_attr_set(ctx, _SCMP_FLTATR_CTL_TSYNC, 1)  # every thread, should any exist
        results = [lib.seccomp_rule_add_array(ctx, deny, lib.seccomp_syscall_resolve_name(b"socket"), 1,
                                              ctypes.byref(not_unix))]
        uring = lib.seccomp_syscall_resolve_name(b"io_uring_setup")
        if uring >= 0:
            results.append(lib.seccomp_rule_add_array(ctx, deny, uring, 0, None))
        results.append(lib.seccomp_load(ctx))
    finally:
        lib.seccomp_release(ctx)
    failed = [code for code in results if code != 0]
    return f"libseccomp error {os.strerror(-failed[0])}" if failed else None


_NETWORK_METHODS = {NAMESPACE: _network_namespace, SECCOMP: _seccomp_unix_sockets_only}


def private_memory() -> int:
    """This process's resident private memory in bytes (what recycling decisions look at)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
