"""Reading a record file's bytes: only a regular file is ever opened, and what it held is stamped."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a file held when it was read, to notice a change made behind our back.

    The digest matters: two saves within one tick of the file system's clock, of the
    same size, leave modification time and size alike.
    """

    size: int
    digest: bytes

    @classmethod
    def of_bytes(cls, data: bytes) -> FileStamp:
        return cls(len(data), hashlib.blake2b(data, digest_size=16).digest())

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        """The stamp of the file at ``path`` now; None when there is none. Something there that
        cannot be read as a file (a folder, a pipe, a loop of links) has a stamp no file read has."""
        try:
            return cls.of_bytes(read_regular(path))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            return UNREADABLE


UNREADABLE = FileStamp(-1, b"")
"""The stamp of what cannot be read as a file."""


_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
"""Opening for reading never waits (a named pipe put in place of a file between the look at it
and the opening, with no writer, would hold the reader for ever), nor takes a terminal over."""

_WHAT_IT_IS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class NotAFile(OSError):
    """Something that is not a regular file where a file was to be read: it is never opened
    (or, put in place while being opened, never read)."""

    def __init__(self, path: Path, mode: int) -> None:
        what = next((what for test, what in _WHAT_IT_IS if test(mode)), None)
        super().__init__(errno.EINVAL, f"this is {what}, not a file" if what else "this is not a plain file", str(path))


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file at ``path`` (links followed). Anything else raises
    :class:`NotAFile` without being opened, and a loop of links or a missing file the
    ``OSError`` of any file that cannot be read."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotAFile(path, mode)
    handle = os.open(path, _O_READ)
    with open(handle, "rb", closefd=True) as stream:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):  # put in place since the look
            raise NotAFile(path, mode)
        return stream.read()


def unreadable(path: Path, error: OSError) -> Problem:
    """The problem of a record file that could not be read."""
    if isinstance(error, NotAFile):
        message = f"not read: {error.strerror}; a record is a plain .toml file"
    elif error.errno == errno.ELOOP:
        message = "not read: a link that leads, through links, back to itself"
    else:
        message = f"cannot read this file: {error.strerror or error}"
    return Problem("error", path, None, "unreadable", message)


def read_text(path: Path) -> str:
    """The text of a record file, or "" when it cannot be read as text (its problems are told
    where it is read)."""
    try:
        return read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
