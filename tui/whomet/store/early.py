"""The look at a casefile's files taken by child processes at launch (:class:`EarlyLook`), so that
it runs on other cores while the interface is being imported; once started, the app takes part.

Imports neither the models nor pydantic, which keeps the children quick to start. The settings
and the look itself are :mod:`whomet.store.look`'s, read from there when used: a caller (a test)
that sets them there reaches the children too.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import look as core
from .look import Look, Stretch


@dataclass(slots=True)
class _Share:
    """The parent's ends of the pipes to the child taking one share of a look."""

    result: int
    """Read end: what the child found, in one write at its end (or nothing, if it failed)."""
    ask: int | None
    """Write end: a byte here asks the child to hand part of what it has still to look at over."""
    answer: int | None
    """Read end: the child's answer, a pickled :class:`Stretch` (or None: nothing left to hand over)."""
    handed: list[Look] = field(default_factory=list)
    """What the parent found in the blocks handed over, block by block."""
    pending: list[Stretch] = field(default_factory=list)
    """Blocks handed over that the parent has still to look at."""
    failed: bool = False
    """Whether the parent's look at a block handed over failed (the look is then not used)."""


class EarlyLook:
    """A look taken by child processes while the parent goes on starting; once started, the
    parent can take part of what the children have left (:meth:`join`)."""

    def __init__(self, folder: Path, pid: int, shares: list[_Share]) -> None:
        self._folder = folder
        self._pid: int | None = pid
        """The first child, until it has been waited for."""
        self._shares = shares
        """The parent's ends of each share's pipes, in share order (none once closed)."""

    @classmethod
    def start(cls, folder: str | os.PathLike[str]) -> EarlyLook | None:
        """Start looking at ``folder``; None where processes cannot be forked (the caller then
        looks for itself). Call before any thread is started: a fork copies only the caller's."""
        folder = Path(folder)
        if not hasattr(os, "fork") or not folder.is_dir():
            return None
        pipes: list[tuple[int, int]] = []
        try:
            for _ in range(core.SHARES * 3):  # each share's result, ask and answer
                pipes.append(os.pipe())
            pid = os.fork()
        except OSError:
            for ends in pipes:
                os.close(ends[0])
                os.close(ends[1])
            return None
        channels = [pipes[number * 3:number * 3 + 3] for number in range(core.SHARES)]
        if pid == 0:
            _look_in_child(folder, channels)  # never returns
        shares = []
        for (result, result_in), (ask_out, ask), (answer, answer_in) in channels:
            for child_end in (result_in, ask_out, answer_in):
                os.close(child_end)
            shares.append(_Share(result, ask, answer))
        return cls(folder, pid, shares)

    def close(self) -> None:
        """Stop looking, if the children still are, and let them go (the result is not wanted)."""
        shares, self._shares = self._shares, []
        for share in shares:
            _close_share(share)  # a child still writing gets a broken pipe and leaves
        self._reap()

    def _reap(self) -> None:
        if self._pid is not None:
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._pid = None

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the children to be done; whether they are (then
        :meth:`result` takes no longer than reading what they found).

        A share says what it found in one write, at its end, or closes its pipe if it fails: its
        pipe is readable from then on. A large result fills the pipe before the child can exit,
        so it is the pipes that are watched, not the children."""
        waiting = [share.result for share in self._shares]
        deadline = time.monotonic() + timeout
        while waiting:
            ready, _, _ = select.select(waiting, [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return False
            waiting = [pipe for pipe in waiting if pipe not in ready]
        return True

    def join(self, timeout: float) -> bool:
        """Take part in the look, for at most about ``timeout`` seconds: each child still at work
        hands this process a part of what it has left (as much as each will still do itself),
        which is looked at here; whether the whole look is over.

        The children start first thing at launch, while this process imports the interface; by
        the time it is ready to show the casefile a large look is half done, and the second core
        the import used is free again."""
        deadline = time.monotonic() + timeout
        if self.wait(0) and self._over():
            return True
        # No more than this process can look at in the time given (a very large casefile's look
        # would otherwise hold the first paint back by seconds: the rest then goes on after it).
        asking = [(share, share.ask) for share in self._shares if share.ask is not None]
        most = max(1, int(timeout / (core.BLOCK * core.FILE_SECONDS) / max(1, len(asking))))
        for share, ask in asking:
            try:
                os.write(ask, str(most).encode())
            except OSError:
                pass  # that child is done already: its answer pipe is closed too
            os.close(ask)
            share.ask = None
        self._take_answers(deadline)
        return self._over() and self.wait(max(0.0, deadline - time.monotonic()))

    def _take_answers(self, deadline: float | None) -> None:
        """Look at what the children hand over, as their answers come, a block at a time; until
        ``deadline``, after which what is left waits for :meth:`result` (a slow disk can make the
        blocks taken on cost more than the time given)."""
        waiting = {share.answer: share for share in self._shares if share.answer is not None}
        while waiting:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select(list(waiting), [], [], left)
            if not ready:
                return  # still at a block (a slow disk): the answer is taken with the result
            for pipe in ready:
                share = waiting.pop(pipe)
                share.answer = None
                with os.fdopen(pipe, "rb") as stream:
                    data = stream.read()
                stretch = _unpickled(data)
                if isinstance(stretch, Stretch):
                    share.pending = core.blocks_of(stretch)
        db: sqlite3.Connection | None = None
        try:
            for share in self._shares:
                while share.pending and not share.failed:
                    if deadline is not None and time.monotonic() >= deadline:
                        return
                    try:
                        if db is None:
                            db = _open_cache(self._folder)
                        share.handed.append(core.look_at(db, share.pending[0], []))
                    except (OSError, sqlite3.Error):
                        share.failed = True  # the look is not used: the caller looks itself
                    del share.pending[0]
        finally:
            if db is not None:
                db.close()

    def _over(self) -> bool:
        return not any(share.pending for share in self._shares)

    def result(self) -> Look | None:
        """What the children found (waiting for them), with what this process found of what they
        handed over; None if one failed, and the caller looks itself."""
        if not self._shares:
            return None
        looks: list[Look] = []
        complete = True
        try:
            self._take_answers(None)
            for share in self._shares:
                with os.fdopen(share.result, "rb") as stream:
                    share.result = -1
                    found = _unpickled(stream.read())
                if not isinstance(found, Look) or share.failed:
                    complete = False  # the child died before it had said it all
                    continue
                looks.append(found)
                looks += share.handed
        finally:
            shares, self._shares = self._shares, []
            for share in shares:
                _close_share(share)
            self._reap()
        if not complete or len({look.basis for look in looks}) != 1:
            return None  # a share missing, or the cache changed between two of them
        return core.merged(looks)


def _unpickled(data: bytes) -> object:
    try:
        return pickle.loads(data)
    except Exception:  # cut short: its writer died
        return None


def _close_share(share: _Share) -> None:
    for pipe in (share.result, share.ask, share.answer):
        if pipe is not None and pipe >= 0:
            os.close(pipe)
    share.result, share.ask, share.answer = -1, None, None


def _look_in_child(folder: Path, channels: list[list[tuple[int, int]]]) -> None:
    """The first child walks the folders once, then forks a helper for each further share; each
    process stats its share a block at a time, compares it with the cache and sends what it
    found down its pipe. Between two blocks, a share asked by the parent hands it the part of
    what it has left that the parent is to take."""
    status = 1
    helpers: list[int] = []
    held: set[int] = set()
    """This process's own ends of its share's pipes, while open: closed before it waits for its
    helpers, however it ends, so that the parent, reading the shares in turn, is never left
    waiting on this one while a helper waits for the parent to read its share."""
    # A short life that frees nothing it makes: the collector would only rescan the growing list.
    gc.disable()
    try:
        for (result, _), (_, ask), (answer, _) in channels:
            for parent_end in (result, ask, answer):
                os.close(parent_end)
        held = {end for ends in channels for end in (ends[0][1], ends[1][0], ends[2][1])}
        db = _open_cache(folder)
        try:  # closed before the fork: a connection is not to be shared between processes
            files, problems, walk = core.files_of(folder, db)
        finally:
            if db is not None:
                db.close()
        which = 0
        for share in range(1, len(channels)):
            pid = os.fork()
            if pid == 0:
                which, helpers = share, []
                break
            helpers.append(pid)
        (_, writing), (asked, _), (_, answering) = channels[which]
        for end in held - {writing, asked, answering}:
            os.close(end)
        held = {writing, asked, answering}
        count = core.blocks_in(files)
        block, stop = which * count // len(channels), (which + 1) * count // len(channels)
        db = _open_cache(folder)
        looks = [core.look_at(db, core.stretch_of(files, block, block), list(problems) if which == 0 else [])]
        while block < stop:
            if asked in held and select.select([asked], [], [], 0)[0]:
                # Each share keeps as much of what it has left as the parent takes from each, or
                # more, when the parent asks for less.
                wanted = os.read(asked, 32)
                given = min((stop - block) // (len(channels) + 1), int(wanted) if wanted.isdigit() else 0)
                handed = core.stretch_of(files, stop - given, stop) if given else None
                stop -= given
                _send(answering, handed, held)
                os.close(asked)
                held.discard(asked)
            looks.append(core.look_at(db, core.stretch_of(files, block, block + 1), []))
            block += 1
        for end in (asked, answering):  # never asked: the parent finds the pipes closed
            if end in held:
                os.close(end)
                held.discard(end)
        look = core.merged(looks)
        if which == 0:
            look.walk = walk
        _send(writing, look, held)
        status = 0
    finally:
        for end in held:
            os.close(end)
        for pid in helpers:  # waited for even when this one failed: no helper is left unreaped
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        os._exit(status)  # no cleanup of the parent's: its files and buffers are its own


def _send(end: int, what: object, held: set[int]) -> None:
    """Write ``what``, pickled, down the pipe ``end`` and close it."""
    held.discard(end)
    with os.fdopen(end, "wb") as out:
        out.write(pickle.dumps(what, pickle.HIGHEST_PROTOCOL))


def _open_cache(folder: Path) -> sqlite3.Connection | None:
    path = core.cache_path(folder)
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        db.execute("SELECT path, size, mtime_ns FROM files LIMIT 1").fetchall()
        return db
    except sqlite3.Error:
        return None  # the app's own connection will find out what is wrong, and rebuild
