"""A reader process: reads the record files it is sent into a database of its own.

Run by the cache as ``python -m whomet.store.reader``: one pickled (folder, files, database path) on
stdin; it writes the rows of those files to that database and, on stdout, a line with the number
of files read so far every few hundred files, so the caller can show progress.
"""

from __future__ import annotations

import gc
import pickle
import sys
from pathlib import Path

from .cache.rows import count_parties, read_file, start_part, write_counts, write_part


def main() -> None:
    told, files, path = pickle.load(sys.stdin.buffer)
    folder = Path(told)
    db = start_part(path)
    gc.disable()  # many small objects, none of them cyclic
    counts: dict[tuple[str, str], int] = {}
    for start in range(0, len(files), 500):
        results = [read_file(folder, *item) for item in files[start:start + 500]]
        write_part(db, results)
        count_parties(counts, results)
        sys.stdout.write(f"{min(start + 500, len(files))}\n")
        sys.stdout.flush()
    write_counts(db, counts)
    db.execute("COMMIT")
    db.close()


if __name__ == "__main__":
    main()
