"""Writing one record to its file, atomically, and never over a change made elsewhere."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli

from .casefile import FileStamp, Shelf

if TYPE_CHECKING:
    from ..model import Record


class SaveError(Exception):
    """A record that was not written; the file on disk is as it was."""


class ChangedOnDisk(SaveError):
    """The file changed since the casefile was read (an editor, a git pull)."""


class WouldLoseComments(SaveError):
    """An edit would replace a part of the file that holds the user's comments."""


def to_toml(record: Record) -> str:
    import tomli_w  # imported when first needed: a launch that only reads never pays for it

    return tomli_w.dumps(record.to_toml_dict(), multiline_strings=True)


def save(casefile: Shelf, record: Record) -> Path:
    """Write ``record`` to its file in ``casefile`` and take it into the casefile.

    A record whose id is new creates a file; one whose id is known replaces that
    record's file, provided the file is as it was when read.
    """
    path = casefile.path_for(record)
    if not path.resolve().is_relative_to(casefile.folder.resolve()):
        raise SaveError(f"{path} would be written outside the casefile (a linked folder?); not written")
    known = casefile.known(record.id)
    if known is not None and known.kind != record.kind:
        raise SaveError(f"the id {record.id!r} is already used by a {known.kind}")
    if known is None and (broken := casefile.invalid_path(record.id)) is not None:
        raise SaveError(f"the id {record.id!r} is already used by {broken}, which has errors")
    current = FileStamp.of(path)
    if known is None and current is not None:
        raise ChangedOnDisk(f"{path} already exists on disk but was not in the casefile when it was read")
    if known is not None and current != casefile.stamp_of(record.id):
        what = "was deleted" if current is None else "changed"
        raise ChangedOnDisk(f"{path} {what} on disk since it was read; reload before saving")

    if known is None:
        text = to_toml(record)
    else:
        text = _edited_text(path, known, record)
    # The written text must read back as the same record, or nothing is written.
    back = type(record).model_validate({**tomli.loads(text), "id": record.id})
    if back != record:
        raise SaveError(f"{record.id}: the record would not read back as written")

    data = text.encode("utf-8")
    write_atomically(path, data)
    casefile.saved(record, path, data)
    return path


def _edited_text(path: Path, before: Record, after: Record) -> str:
    """The file's own text with only the changed fields rewritten, comments and layout kept."""
    import tomlkit

    try:
        original = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SaveError(f"could not read {path} to edit it: {error}") from error
    document = tomlkit.parse(original)
    old, new = before.to_toml_dict(), after.to_toml_dict()
    for key in [k for k in document if k not in new]:
        _refuse_if_commented(path, key, document[key])
        del document[key]
    for key, value in new.items():
        if key in old and old[key] == value and key in document:
            continue
        if key in document:
            _refuse_if_commented(path, key, document[key])
        document[key] = _toml_item(value)
    return tomlkit.dumps(document)


def _toml_item(value: object) -> Any:
    import tomlkit

    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        tables = tomlkit.aot()
        for entry in value:
            table = tomlkit.table()
            for key, inner in entry.items():
                table[key] = _toml_item(inner)
            tables.append(table)
        return tables
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value, multiline=True)
    return tomlkit.item(value)


def _has_comments(item: object) -> bool:
    from tomlkit.items import AoT, Array, Comment, InlineTable, Table

    if isinstance(item, Comment):
        return True
    trivia = getattr(item, "trivia", None)
    if trivia is not None and trivia.comment:
        return True
    if isinstance(item, AoT):
        return any(_has_comments(table) for table in item.body)
    if isinstance(item, (Table, InlineTable)):
        return any(_has_comments(inner) for _, inner in item.value.body)
    if isinstance(item, Array):
        return "#" in item.as_string() and any(
            line.strip().startswith("#") for line in item.as_string().splitlines()
        )
    return False


def _refuse_if_commented(path: Path, key: str, item: object) -> None:
    from tomlkit.items import AoT, Array, InlineTable, Table

    # A scalar's trailing comment survives tomlkit's replacement; a table's comments do not.
    if isinstance(item, (AoT, Table, InlineTable, Array)) and _has_comments(item):
        raise WouldLoseComments(
            f"{path.name}: '{key}' holds comments that this edit would drop; "
            f"edit '{key}' in the file itself, or remove its comments first"
        )


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


def delete(casefile: Shelf, record_id: str) -> Path:
    """Remove a record's file, provided it is as it was when read."""
    path = casefile.path_of(record_id)
    if path is None:
        raise SaveError(f"there is no record {record_id!r} in the casefile")
    if FileStamp.of(path) != casefile.stamp_of(record_id):
        raise ChangedOnDisk(f"{path} changed on disk since it was read; reload before deleting")
    try:
        path.unlink()
    except OSError as error:
        raise SaveError(f"could not delete {path}: {error.strerror or error}") from error
    casefile.deleted(record_id)
    return path
