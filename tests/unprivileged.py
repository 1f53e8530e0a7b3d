"""Run a check that the file system's permissions bind, even when the tests run as root.

Root reads a folder whatever its mode and writes into a read-only one, so a test that takes a
permission away proves nothing as root (and CI runs as root). What lets root past a file's mode
are its capabilities (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): ``as_unprivileged`` runs the check in
a forked child that has given up every capability for good, so the real system calls meet the
real refusal, and its result, or the exception it raised, comes back to the test.

The child keeps root's user id, so the interpreter and the modules it has yet to import (under a
root-only home, often) stay readable by their owner, while a folder the test made ``0o000`` or
``0o500`` refuses it as it would refuse any user.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import select
import signal
import traceback
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT = 60.0

_CAPABILITY_VERSION_3 = 0x20080522
_PR_SET_NO_NEW_PRIVS = 38


class _CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapabilitySet(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _effective_capabilities() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    raise RuntimeError("/proc/self/status does not give the effective capabilities")


def _give_up_every_capability() -> None:
    """Drop every capability of this process, and never gain one back (not even by exec as root)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(error)}")
    header = _CapabilityHeader(_CAPABILITY_VERSION_3, 0)
    nothing = (_CapabilitySet * 2)()
    if libc.capset(ctypes.byref(header), nothing) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"capset: {os.strerror(error)}")
    if _effective_capabilities() != 0:
        raise RuntimeError("capabilities are left after giving them all up")


def as_unprivileged(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in a child process without privileges; its result, or its exception raised here.

    The result and any exception must pickle. A child of a user other than root has nothing to
    give up: the permissions bind it already.
    """
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child reports through the pipe and never returns
        os.close(reading)
        try:
            try:
                _give_up_every_capability()
                outcome = ("returned", function(*args))
            except BaseException as error:  # everything goes back to the test
                error.add_note("in the unprivileged child:\n" + traceback.format_exc())
                outcome = ("raised", error)
            try:
                data = pickle.dumps(outcome)
            except Exception:
                data = pickle.dumps(("raised", RuntimeError(f"the child's outcome does not pickle: {outcome!r}")))
            with os.fdopen(writing, "wb") as stream:
                stream.write(data)
        finally:
            os._exit(0)
    os.close(writing)
    chunks: list[bytes] = []
    with os.fdopen(reading, "rb") as stream:
        while True:
            ready, _, _ = select.select([stream], [], [], TIMEOUT)
            if not ready:
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
                raise TimeoutError(f"the unprivileged child gave no answer in {TIMEOUT:.0f} s")
            chunk = os.read(stream.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(child, 0)
    if not chunks:
        raise RuntimeError(f"the unprivileged child ended without an answer (wait status {status})")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "raised":
        raise value
    return value
