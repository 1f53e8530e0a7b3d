"""What was typed into a form when whomet stopped on an error, kept to be offered back.

Kept under the user's state folder (``$XDG_STATE_HOME/whomet``, ``~/.local/state/whomet``), one
JSON file a form, with the bytes the form was opened from, so that saving it later still checks
the file against them. The error's traceback goes beside them, in ``crashes/``.
"""

from __future__ import annotations

import base64
import json
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def state_folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME")
    return (Path(base) if base else Path.home() / ".local" / "state") / "whomet"


@dataclass(frozen=True)
class KeptForm:
    """A form's content as it was when whomet stopped."""

    path: Path
    """The recovery file."""
    kind: str
    record_id: str
    values: dict[str, Any]
    opened_path: Path | None
    opened_data: bytes | None
    when: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + f"-{time.monotonic_ns() % 1_000_000:06d}"


def log_crash(error: BaseException) -> Path | None:
    """Write the traceback of ``error`` to a file of its own; where, or None if it could not."""
    folder = state_folder() / "crashes"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{_stamp()}.log"
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError:
        return None
    return path


def keep_form(casefile: Path, kind: str, record_id: str, values: dict[str, Any],
              opened_path: Path | None, opened_data: bytes | None) -> Path | None:
    """Keep one form's content; where, or None if it could not be written."""
    folder = state_folder() / "recovered"
    entry = {
        "casefile": str(casefile.resolve()),
        "kind": kind,
        "id": record_id,
        "values": values,
        "opened_path": str(opened_path) if opened_path else None,
        "opened_data": base64.b64encode(opened_data).decode() if opened_data is not None else None,
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_stamp()}-{record_id or kind}.json"
        path.write_text(json.dumps(entry, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    except (OSError, TypeError, ValueError):
        return None
    return path


def kept_forms(casefile: Path) -> list[KeptForm]:
    """The forms kept for ``casefile``, oldest first; a kept file that cannot be read is skipped."""
    folder = state_folder() / "recovered"
    wanted = str(casefile.resolve())
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("casefile") != wanted:
                continue
            data = entry.get("opened_data")
            found.append(KeptForm(
                path, entry["kind"], entry.get("id") or "", dict(entry["values"]),
                Path(entry["opened_path"]) if entry.get("opened_path") else None,
                base64.b64decode(data) if data is not None else None, entry.get("when", ""),
            ))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found
