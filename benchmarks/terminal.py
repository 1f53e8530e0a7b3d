"""A pseudo-terminal that runs a program and times its screen updates, for ``keys.py``.

The program is started on a fresh pseudo-terminal of a fixed size with TERM=xterm-256color, as a
terminal emulator would start it. This side plays the terminal: it answers Textual's query for
synchronized output (mode 2026) the way current terminals do, so that every screen update
arrives framed by ``ESC[?2026h`` … ``ESC[?2026l`` and one update can be told from the next. Each
frame is timed (arrival of its first and of its last bytes) and applied to a small screen model
(characters and their colours, enough for what Textual writes: cursor moves, colours, text), which
tells what a frame changed and what the screen reads.

A frame that changes at most one cell is a text cursor blinking (an input's cursor toggles every
half second), not an update; every other frame is.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from memory import peak_mb

SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"
SYNC_QUERY = "\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, currently reset", as kitty, WezTerm or foot answer

BUSY = 0.25
"""The share of one CPU above which the program counts as working on something."""

_TOKEN = re.compile(
    r"\x1b\[([0-9;:?<>=]*)[ -/]*([@-~])"  # CSI: parameters, final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (window title, pointer shape): no cells
    r"|\x1b[()*+][0-9A-Za-z]|\x1b.?"  # charset designation, other escapes
    r"|([\r\n\x08])"  # cursor control characters
    r"|([^\x1b\r\n\x08\x00-\x07\x0b-\x0c\x0e-\x1a\x1c-\x1f]+)"  # text
    r"|[\x00-\x1f]",  # other control characters: ignored
)

Cell = tuple[str, str]
BLANK: Cell = (" ", "")


def _width(character: str) -> int:
    if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


class Screen:
    """The cells of a terminal screen: each a character and the colour codes it was written with."""

    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns
        self.cells: list[list[Cell]] = [[BLANK] * columns for _ in range(rows)]
        self.row = self.column = 0
        self.style = ""

    def feed(self, text: str) -> None:
        for match in _TOKEN.finditer(text):
            final, control, printable = match.group(2), match.group(3), match.group(4)
            if printable is not None:
                self._write(printable)
            elif control is not None:
                if control == "\r":
                    self.column = 0
                elif control == "\n":
                    self.row = min(self.row + 1, self.rows - 1)
                else:
                    self.column = max(self.column - 1, 0)
            elif final is not None:
                self._csi(match.group(1), final)

    def _csi(self, parameters: str, final: str) -> None:
        if parameters.startswith(("?", ">", "<", "=")):
            return  # modes and private queries: nothing on screen
        numbers = [int(p) if p.isdigit() else 0 for p in parameters.replace(":", ";").split(";")] if parameters else []

        def number(index: int, default: int = 1) -> int:
            return numbers[index] if len(numbers) > index and numbers[index] else default

        if final == "m":
            if not parameters or parameters in ("0", "00"):
                self.style = ""
            elif parameters.startswith("0;"):
                self.style = parameters[2:]
            else:
                self.style = f"{self.style};{parameters}" if self.style else parameters
        elif final in "Hf":
            self.row = min(max(number(0) - 1, 0), self.rows - 1)
            self.column = min(max(number(1) - 1, 0), self.columns - 1)
        elif final == "G":
            self.column = min(max(number(0) - 1, 0), self.columns - 1)
        elif final == "d":
            self.row = min(max(number(0) - 1, 0), self.rows - 1)
        elif final == "A":
            self.row = max(self.row - number(0), 0)
        elif final == "B":
            self.row = min(self.row + number(0), self.rows - 1)
        elif final == "C":
            self.column = min(self.column + number(0), self.columns - 1)
        elif final == "D":
            self.column = max(self.column - number(0), 0)
        elif final == "K":
            mode = number(0, 0)
            line = self.cells[self.row]
            start, end = {0: (self.column, self.columns), 1: (0, self.column + 1)}.get(mode, (0, self.columns))
            line[start:end] = [(" ", self.style)] * (end - start)
        elif final == "J":
            mode = number(0, 0)
            if mode in (2, 3):
                self.cells = [[BLANK] * self.columns for _ in range(self.rows)]
            elif mode == 0:
                self._csi("0", "K")
                for row in range(self.row + 1, self.rows):
                    self.cells[row] = [BLANK] * self.columns

    def _write(self, text: str) -> None:
        line = self.cells[self.row]
        if text.isascii():
            end = min(self.column + len(text), self.columns)
            line[self.column:end] = [(c, self.style) for c in text[: end - self.column]]
            self.column = end
            return
        for character in text:
            width = _width(character)
            if width == 0:
                if self.column > 0:
                    previous, style = line[self.column - 1]
                    line[self.column - 1] = (previous + character, style)
                continue
            if self.column + width > self.columns:
                break  # whomet turns auto-wrap off (ESC[?7l): text past the edge is dropped
            line[self.column] = (character, self.style)
            if width == 2:
                line[self.column + 1] = ("", self.style)
            self.column += width

    def snapshot(self) -> list[list[Cell]]:
        return [line[:] for line in self.cells]

    def changed_cells(self, before: list[list[Cell]]) -> int:
        changed = 0
        for old, new in zip(before, self.cells):
            if old != new:
                changed += sum(1 for a, b in zip(old, new) if a != b)
        return changed

    def line(self, row: int) -> str:
        return "".join(character for character, _ in self.cells[row])

    def lines(self) -> list[str]:
        return [self.line(row) for row in range(self.rows)]

    def text(self) -> str:
        return "\n".join(self.lines())


@dataclass(frozen=True, slots=True)
class Frame:
    """One screen update as it arrived: when its first and last bytes came, how many cells it changed."""

    first: float
    last: float
    changed: int
    size: int

    @property
    def is_update(self) -> bool:
        return self.changed > 1


@dataclass(frozen=True, slots=True)
class Response:
    """What one key press did: seconds from the key to the first and to the last update, and how many."""

    first: float | None
    settled: float | None
    updates: int
    idle: bool
    """Whether the program went idle (no update for the quiet window and next to no CPU) in time."""
    met: float | None = None
    """Seconds to the end of the frame after which the awaited condition first held, if one was given."""
    busy: float | None = None
    """Seconds to the end of the last 20 ms in which the program used a quarter of a CPU or more."""

    @property
    def done(self) -> float | None:
        """Seconds until the work the key caused was over: its last update came and the CPU went quiet.

        The same as ``settled`` unless the program worked on after its last update, or worked
        without changing the screen (a search whose results are those already shown).
        """
        if self.settled is None:
            return None
        return max(self.settled, self.busy or 0.0)


class Terminal:
    """A program running on a pseudo-terminal of ``rows`` × ``columns``, its screen and its frames."""

    def __init__(self, command: Sequence[str], *, environment: Mapping[str, str], cwd: Path | None = None,
                 rows: int = 48, columns: int = 160) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            list(command), stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=dict(environment),
            start_new_session=True, preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.fd = master
        self.screen = Screen(rows, columns)
        self.frames: list[Frame] = []
        self.closed = False
        self.synchronized = False
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._frame_start: float | None = None
        self._frame_body: list[str] = []
        self._tail = ""
        self._clock_ticks = os.sysconf("SC_CLK_TCK")
        self.transcript_tail: deque[str] = deque(maxlen=64)

    # reading

    def read(self, timeout: float) -> bool:
        """Take in whatever the program writes within ``timeout`` seconds; False when nothing came."""
        if self.closed:
            time.sleep(timeout)
            return False
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 20)
        except OSError:
            data = b""
        now = time.monotonic()
        if not data:
            self.closed = True
            return False
        text = self._decoder.decode(data)
        self.transcript_tail.append(text)
        probe = self._tail + text
        if SYNC_QUERY in probe:
            os.write(self.fd, SYNC_REPLY)
        self._tail = probe[-16:]
        self._take(text, now)
        return True

    def _take(self, text: str, now: float) -> None:
        """Split what came into frames; a frame is applied to the screen once it is complete."""
        self._pending += text
        while self._pending:
            if self._frame_start is None:
                start = self._pending.find(SYNC_START)
                if start < 0:
                    keep = _unfinished(self._pending, SYNC_START)
                    outside = self._pending[: len(self._pending) - keep]
                    self._pending = self._pending[len(self._pending) - keep:]
                    if outside:
                        self._apply(outside, now, now)
                    return
                if start:
                    self._apply(self._pending[:start], now, now)
                self.synchronized = True
                self._frame_start = now
                self._frame_body = []
                self._pending = self._pending[start + len(SYNC_START):]
            else:
                end = self._pending.find(SYNC_END)
                if end < 0:
                    keep = _partial_suffix(self._pending, SYNC_END)
                    self._frame_body.append(self._pending[: len(self._pending) - keep])
                    self._pending = self._pending[len(self._pending) - keep:]
                    return
                self._frame_body.append(self._pending[:end])
                self._pending = self._pending[end + len(SYNC_END):]
                self._apply("".join(self._frame_body), self._frame_start, now)
                self._frame_start = None

    def _apply(self, text: str, first: float, last: float) -> None:
        before = self.screen.snapshot()
        self.screen.feed(text)
        self.frames.append(Frame(first, last, self.screen.changed_cells(before), len(text)))

    # the program

    def cpu_seconds(self) -> float:
        """CPU time the program has used so far, all its threads: from the scheduler, to the nanosecond.

        (Where the scheduler's figures cannot be read, from /proc/PID/stat, to the clock tick.)
        """
        total = 0
        try:
            for task in os.listdir(f"/proc/{self.process.pid}/task"):
                try:
                    with open(f"/proc/{self.process.pid}/task/{task}/schedstat") as stream:
                        total += int(stream.read().split()[0])
                except (OSError, IndexError, ValueError):
                    continue  # a thread that just ended
            if total:
                return total / 1e9
            with open(f"/proc/{self.process.pid}/stat") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / self._clock_ticks

    def peak_rss_mb(self) -> float | None:
        return peak_mb(self.process.pid)

    def send(self, keys: bytes) -> float:
        os.write(self.fd, keys)
        return time.monotonic()

    def wait(self, *, until: Callable[[], bool] | None = None, quiet: float = 0.3, timeout: float = 60.0,
             since: float | None = None, give_up_idle: float | None = None) -> Response:
        """Read until ``until()`` holds (if given) and the program is idle, or ``timeout`` passes.

        Idle: no update for ``quiet`` seconds and under 10 % of one CPU used over that window, so
        that a program busy computing its next update is not mistaken for one that is done.
        Counts the updates since ``since`` (default: now). With ``give_up_idle``, stops early when
        no update has come at all and the program has been idle that long.

        The CPU time is sampled every 20 ms; in the last sample in which the program used at least
        a quarter of a CPU, it was busy until the sample's start plus the CPU time it used in it
        (``Response.busy``).
        """
        start = time.monotonic() if since is None else since
        first_index = next((i for i, f in enumerate(self.frames) if f.first >= start), len(self.frames))
        cpu: deque[tuple[float, float]] = deque([(time.monotonic(), self.cpu_seconds())])
        allowance = 0.1 * quiet
        busy_until: float | None = None
        idle = False
        met: float | None = None
        while True:
            now = time.monotonic()
            updates = [f for f in self.frames[first_index:] if f.is_update]
            last_activity = max(updates[-1].last if updates else start, start)
            if now - cpu[-1][0] >= 0.02:
                previous = cpu[-1]
                cpu.append((now, self.cpu_seconds()))
                used = cpu[-1][1] - previous[1]
                if used >= BUSY * (now - previous[0]):
                    # The tail of a busy spell: take the work as done from the sample's start on.
                    busy_until = previous[0] + min(used, now - previous[0])
                while len(cpu) > 2 and cpu[1][0] <= now - quiet:
                    cpu.popleft()
            window_cpu = cpu[-1][1] - cpu[0][1] if cpu[0][0] <= now - quiet else None
            cpu_quiet = window_cpu is not None and window_cpu <= allowance
            condition = until() if until is not None else bool(updates)
            if condition and met is None and until is not None:
                met = (self.frames[-1].last if self.frames else now) - start
            if self.closed or self.process.poll() is not None:
                break
            if condition and now - last_activity >= quiet and cpu_quiet and self._frame_start is None:
                idle = True
                break
            if give_up_idle is not None and not updates and cpu_quiet and now - last_activity >= give_up_idle:
                idle = True
                break
            if now - start > timeout:
                break
            self.read(0.01)
        updates = [f for f in self.frames[first_index:] if f.is_update]
        return Response(
            first=updates[0].first - start if updates else None,
            settled=updates[-1].last - start if updates else None,
            updates=len(updates),
            idle=idle,
            met=met,
            busy=busy_until - start if busy_until is not None else None,
        )

    def press(self, keys: bytes, *, quiet: float = 0.3, timeout: float = 60.0) -> Response:
        """Send ``keys`` and time the screen updates they cause, until the program is idle again."""
        sent = self.send(keys)
        return self.wait(quiet=quiet, timeout=timeout, since=sent, give_up_idle=max(2.0, 5 * quiet))

    def close(self, quit_keys: bytes | None = b"q", timeout: float = 10.0) -> None:
        if self.process.poll() is None and quit_keys:
            try:
                self.send(quit_keys)
            except OSError:
                pass
            deadline = time.monotonic() + timeout
            while self.process.poll() is None and time.monotonic() < deadline:
                self.read(0.05)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.fd)

    def output_tail(self) -> str:
        """The last of what the program wrote, without escape sequences (for error messages)."""
        text = re.sub(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07]*\x07?|\x1b.", "", "".join(self.transcript_tail))
        return text[-2000:]


def _unfinished(text: str, marker: str) -> int:
    """How many characters at the end of ``text`` to hold back: a partial ``marker`` or escape sequence.

    Outside a frame (before the program turns synchronized output on), text is applied as it comes,
    so an escape sequence cut in two by a read must wait for its end.
    """
    keep = _partial_suffix(text, marker)
    escape = text.rfind("\x1b")
    if escape >= 0 and not _TOKEN_END.match(text, escape):
        keep = max(keep, len(text) - escape)
    return keep


_TOKEN_END = re.compile(r"\x1b(?:\[[0-9;:?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()*+][0-9A-Za-z]|[^\[\]()*+])")


def _partial_suffix(text: str, marker: str) -> int:
    """How many characters at the end of ``text`` could be the start of ``marker``."""
    for length in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-length:]):
            return length
    return 0
