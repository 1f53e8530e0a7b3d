"""A worker process of ``whomet check``: reads the record files it is sent, then checks their records.

Run by :mod:`whomet.store.checking` as ``python -m whomet.store.check_worker``. On stdin: a pickled
(folder, files, kind of each id's first file); later, once every worker has read its files, a
pickled :class:`~whomet.store.checking.Resolved`. On stdout, frames: a line with the number of files
read so far every few hundred files, or a line "=N" and N bytes of a pickle: what the files held
(a :class:`~whomet.store.checking.Read`), then the problems of their records with the others.
"""

from __future__ import annotations

import gc
import pickle
import sys
from typing import IO

from .checking import FileChecker


def send(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(b"=%d\n" % len(data))
    stream.write(data)
    stream.flush()


def main() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    folder, files, first_kind = pickle.load(stdin)
    gc.disable()  # many small objects, none of them cyclic

    def counted(number: int) -> None:
        stdout.write(b"%d\n" % number)
        stdout.flush()

    checker = FileChecker(folder, first_kind)
    send(stdout, checker.read(files, counted))
    send(stdout, checker.check(pickle.load(stdin)))


if __name__ == "__main__":
    main()
