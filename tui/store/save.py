"""Writing one record to its file, atomically, and never over a change made elsewhere."""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

import tomli_w

from ..model import Record
from .casefile import Casefile, FileStamp


class SaveError(Exception):
    """A record that was not written; the file on disk is as it was."""


class ChangedOnDisk(SaveError):
    """The file changed since the casefile was read (an editor, a git pull)."""


def to_toml(record: Record) -> str:
    return tomli_w.dumps(record.to_toml_dict(), multiline_strings=True)


def save(casefile: Casefile, record: Record) -> Path:
    """Write ``record`` to its file in ``casefile`` and take it into the casefile.

    A record whose id is new creates a file; one whose id is known replaces that
    record's file, provided the file is as it was when read.
    """
    path = casefile.path_for(record)
    known = casefile.records.get(record.id)
    if known is not None and known.kind != record.kind:
        raise SaveError(f"the id {record.id!r} is already used by a {known.kind}")
    if known is None and record.id in casefile.invalid_ids:
        raise SaveError(f"the id {record.id!r} is already used by "
                        f"{casefile.invalid_ids[record.id]}, which has errors")
    current = FileStamp.of(path)
    if known is None and current is not None:
        raise ChangedOnDisk(f"{path} already exists on disk but was not in the casefile when it was read")
    if known is not None and current != casefile.stamps.get(record.id):
        what = "was deleted" if current is None else "changed"
        raise ChangedOnDisk(f"{path} {what} on disk since it was read; reload before saving")

    text = to_toml(record)
    # The written text must read back as the same record, or nothing is written.
    back = type(record).model_validate({**tomllib.loads(text), "id": record.id})
    if back != record:
        raise SaveError(f"{record.id}: the record would not read back as written")

    write_atomically(path, text.encode("utf-8"))
    casefile.records[record.id] = record
    casefile.paths[record.id] = path
    stamp = FileStamp.of(path)
    if stamp is not None:
        casefile.stamps[record.id] = stamp
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old file or the new, never half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SaveError(f"could not write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise SaveError(f"could not write {path}: {error.strerror or error}") from error
        raise
    try:
        directory = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
