"""What the commands that answer from a casefile share: opening it to answer, and refusing an id
that names no person or organization, with the closest names."""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def answered(folder: Path, answer: Callable[[Any], int]) -> int:
    """Open the casefile, answer from it, close it: the exit status ``answer`` gives."""
    from .store import open_casefile

    casefile = open_casefile(folder)
    try:
        return answer(casefile)
    except BrokenPipeError:  # the reader of the output (head, a pager) stopped reading: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - what Python then flushes at exit
        return 0
    finally:
        casefile.close()


def refused(index, record_id: str) -> bool:  # noqa: ANN001 - a CachedIndex
    """Whether ``record_id`` is no person or organization, said on stderr with the closest names."""
    if index.kind_of(record_id) in ("person", "organization"):
        return False
    print(f"whomet: error: {_unknown(index, record_id)}", file=sys.stderr)
    return True


def _unknown(index, record_id: str) -> str:  # noqa: ANN001 - a CachedIndex
    kind = index.kind_of(record_id)
    if kind is not None:
        return f"{record_id!r} is a {kind}, not a person or organization"
    parties = index.party_rows()
    by_name = {party.label.casefold(): party.id for party in parties}
    # First those whose id or name holds every word typed (``elena``, ``kislyak``), then look-alikes.
    words = record_id.replace("-", " ").casefold().split()
    holding = [party for party in parties
               if words and all(word in f"{party.id} {party.label.casefold()}" for word in words)]
    # A name with the very word typed (a surname) first, and the shortest such name first.
    holding.sort(key=lambda party: (not set(words) & set(party.label.casefold().split()), len(party.label)))
    close = [party.id for party in holding[:3]]
    close += difflib.get_close_matches(record_id, [party.id for party in parties], n=3, cutoff=0.5)
    close += [by_name[name] for name in difflib.get_close_matches(record_id.replace("-", " ").casefold(),
                                                                  list(by_name), n=3, cutoff=0.5)]
    close = list(dict.fromkeys(close))[:3]
    said = f"no person or organization {record_id!r}" + (f" (did you mean {', '.join(close)}?)" if close else "")
    if Path(record_id).is_dir():
        said += "; the id comes first, then the casefile's folder"
    return said
