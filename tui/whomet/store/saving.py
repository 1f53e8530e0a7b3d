"""Writing one record to its file, atomically, and never over a change made elsewhere."""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tomli

from .casefile import FileStamp, Shelf, read_regular
from .walk import is_record_file

if TYPE_CHECKING:
    from ..model import Record


class SaveError(Exception):
    """A record that was not written; the file on disk is as it was."""


class WouldLoseComments(SaveError):
    """An edit would replace a part of the file that holds the user's comments."""


def to_toml(record: Record) -> str:
    import tomli_w  # imported when first needed: a launch that only reads never pays for it

    return tomli_w.dumps(record.to_toml_dict(), multiline_strings=True)


@dataclass(frozen=True)
class Opened:
    """A record as its file held it when it was opened for editing: the bytes, and what they
    read as. A save compares the file with these bytes, not with what any cache says."""

    path: Path
    data: bytes
    record: Record

    @property
    def stamp(self) -> FileStamp:
        return FileStamp.of_bytes(self.data)


class ChangedOnDisk(SaveError):
    """The file changed since it was opened (another window, an editor, a git pull)."""

    def __init__(self, message: str, theirs: Opened | None = None) -> None:
        super().__init__(message)
        self.theirs = theirs
        """The file as it is now, when it still holds a record; None when it was deleted or
        no longer reads as one."""


def open_record(casefile: Shelf, record_id: str) -> Opened:
    """Read a record's file now, for a form: its bytes are what a later save checks against."""
    path = casefile.path_of(record_id)
    known = casefile.known(record_id)
    if path is None or known is None:
        raise SaveError(f"there is no record {record_id!r} in the casefile")
    opened = _read_opened(path, type(known), record_id)
    if opened is None:
        raise ChangedOnDisk(f"{path} was deleted on disk since the casefile was read; reload")
    return opened


def _read_opened(path: Path, kind: type[Record], record_id: str) -> Opened | None:
    """The file as a record; None when it is gone; SaveError when it no longer reads as one."""
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SaveError(f"could not read {path}: {error.strerror or error}") from error
    return opened_from(path, data, kind, record_id)


def opened_from(path: Path, data: bytes, kind: type[Record], record_id: str) -> Opened:
    """``data``, once the bytes of ``path``, as the record they held."""
    try:
        table = tomli.loads(data.decode("utf-8-sig"))
        record = kind.model_validate({**table, "id": record_id})
    except (UnicodeDecodeError, tomli.TOMLDecodeError, ValueError) as error:
        raise SaveError(f"{path} does not read as a {kind.kind} now (run whomet check): "
                        f"{str(error).splitlines()[0]}") from error
    return Opened(path, data, record)


def save(casefile: Shelf, record: Record, opened: Opened | None = None) -> Path:
    """Write ``record`` to its file in ``casefile`` and take it into the casefile.

    A record whose id is new creates a file, never over one that exists. An edit changes only
    the keys whose value differs from ``opened`` (the file as the form read it), and only while
    the file still holds those bytes.
    """
    path = casefile.path_for(record)
    folder = casefile.folder.resolve()
    target = path.resolve()
    if not target.is_relative_to(folder):
        raise SaveError(f"{path} would be written outside the casefile (a linked folder?); not written")
    if path.is_symlink() and is_record_file(folder, target):
        # The file a link leads to is replaced: here that would be another record's file.
        raise SaveError(f"{path.name} is a link to {target.relative_to(folder).as_posix()}, another "
                        "record's file; not written")
    known = casefile.known(record.id)
    if known is not None and known.kind != record.kind:
        raise SaveError(f"the id {record.id!r} is already used by a {known.kind}")
    if known is None and opened is None:
        if (broken := casefile.invalid_path(record.id)) is not None:
            raise SaveError(f"the id {record.id!r} is already used by {broken}, which has errors")
        if os.path.lexists(path):
            what = "a folder" if path.is_dir() else "a file that was not in the casefile when it was read"
            raise ChangedOnDisk(f"{path} already exists on disk ({what}); not written over")
        data = to_toml(record).encode("utf-8")
        _check_reads_back(data, record)
        write_atomically(path, data, create=True)
        casefile.saved(record, path, data)
        return path

    if opened is None:
        # A caller with no form of its own (an import) edits the file as the casefile read it.
        opened = _read_opened(path, type(record), record.id)
        if opened is None or opened.stamp != casefile.stamp_of(record.id):
            raise ChangedOnDisk(f"{path} changed on disk since it was read; reload before saving")
    _check_unchanged(opened, record.id)
    from .editing import LostComments, UnkeepableLayout, edited_text

    try:
        text = edited_text(opened.data.decode("utf-8"), opened.record.field_values(), record.field_values())
    except UnkeepableLayout as layout:
        raise WouldLoseComments(
            f"{path.name}: not written, because {layout} and an edit would change more than the "
            "keys you edited; edit it in the file itself"
        ) from None
    except LostComments as lost:
        raise WouldLoseComments(
            f"{path.name}: '{lost.field}' holds comments that this edit would drop; "
            f"edit '{lost.field}' in the file itself, or remove its comments first"
        ) from None
    data = text.encode("utf-8")
    _check_reads_back(data, record)
    _check_unchanged(opened, record.id)
    write_atomically(path, data)
    casefile.saved(record, path, data)
    return path


def _check_unchanged(opened: Opened, record_id: str) -> None:
    try:
        now = read_regular(opened.path)
    except FileNotFoundError:
        raise ChangedOnDisk(f"{opened.path} was deleted on disk since it was opened") from None
    except OSError as error:
        raise SaveError(f"could not read {opened.path}: {error.strerror or error}") from error
    if now == opened.data:
        return
    try:
        theirs = _read_opened(opened.path, type(opened.record), record_id)
    except SaveError:
        theirs = None
    raise ChangedOnDisk(f"{opened.path} changed on disk since it was opened", theirs)


def _check_reads_back(data: bytes, record: Record) -> None:
    """The written text must read back as the same record, or nothing is written."""
    back = type(record).model_validate({**tomli.loads(data.decode("utf-8-sig")), "id": record.id})
    if back != record:
        raise SaveError(f"{record.id}: the record would not read back as written")


def temporary_name(path: Path) -> Path:
    """Where a save writes before the file takes its place (``.NAME.toml.XXXXXXXX.tmp``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def write_atomically(path: Path, data: bytes, *, create: bool = False) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old file or the new, never half.

    The file keeps its mode and, where the user may, its owner; a new one gets the mode the
    user's umask gives. ``create``: only if no file is there yet. A symbolic link stays one: the
    file it leads to is replaced, beside itself.
    """
    if not create and path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = temporary_name(path)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise SaveError(f"could not write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            if not create:
                _keep_mode_and_owner(path, stream.fileno())
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if create:
            try:
                os.link(temporary, path)
            except FileExistsError:
                raise ChangedOnDisk(f"{path} was created on disk by something else; not written over") from None
            os.unlink(temporary)
        else:
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


def _keep_mode_and_owner(path: Path, handle: int) -> None:
    try:
        before = os.stat(path)
    except FileNotFoundError:
        return
    os.fchmod(handle, stat.S_IMODE(before.st_mode))
    if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.fchown(handle, before.st_uid, before.st_gid)
        except PermissionError:
            pass  # only root may give a file away; the mode is kept all the same


def delete(casefile: Shelf, record_id: str, opened: Opened | None = None) -> Path:
    """Remove a record's file, provided it is as it was when read (as ``opened``, when given)."""
    path = casefile.path_of(record_id)
    if path is None:
        raise SaveError(f"there is no record {record_id!r} in the casefile")
    expected = opened.stamp if opened is not None else casefile.stamp_of(record_id)
    if FileStamp.of(path) != expected:
        raise ChangedOnDisk(f"{path} changed on disk since it was read; reload before deleting")
    try:
        path.unlink()
    except OSError as error:
        raise SaveError(f"could not delete {path}: {error.strerror or error}") from error
    casefile.deleted(record_id)
    return path
