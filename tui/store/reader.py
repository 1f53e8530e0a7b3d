"""A reader process: reads the record files it is sent and sends back what the cache keeps.

Run by the cache as ``python -m tui.store.reader``: one pickled (folder, files) on stdin, then
frames of pickled results on stdout (8 bytes of length first), a few hundred at a time so the caller can show progress.
"""

from __future__ import annotations

import gc
import pickle
import sys

from .cache import read_file


def main() -> None:
    folder, files = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    gc.disable()  # many small objects, none of them cyclic
    for start in range(0, len(files), 500):
        batch = [read_file(folder, *item) for item in files[start:start + 500]]
        frame = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(frame).to_bytes(8, "big") + frame)
        out.flush()


if __name__ == "__main__":
    main()
