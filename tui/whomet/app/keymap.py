"""The user's keymap: ``$XDG_CONFIG_HOME/whomet/keymap.toml`` (``~/.config/whomet/keymap.toml``),
keys by binding id, as in ``help = "f2"``; read without ever raising, its mistakes said in words."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from .keys import BY_ID, KEYS, MODIFIERS, key_words, keys_for


def keymap_path() -> Path:
    """Where the user's keymap is: ``$XDG_CONFIG_HOME/whomet/keymap.toml``."""
    base = os.environ.get("XDG_CONFIG_HOME")
    return (Path(base) if base else Path.home() / ".config") / "whomet" / "keymap.toml"


_TOML_ERROR = re.compile(r"^(?P<reason>.*?) \(at (?:line (?P<line>\d+), column \d+|end of document)\)$")


def _known_key_name(name: str) -> bool:
    from textual.keys import (
        KEY_NAME_REPLACEMENTS,
        KEY_TO_UNICODE_NAME,
        Keys,
        key_to_character,
    )

    if len(name) == 1:
        return name.isprintable()
    bare = {key.value.rpartition("+")[2] for key in Keys}
    return (name in bare or name in KEY_NAME_REPLACEMENTS.values() or name in KEY_TO_UNICODE_NAME
            or key_to_character(name) is not None)


def _character_key(character: str) -> str:
    """The name of the key that types ``character``, as Textual names it (``?`` is ``question_mark``)."""
    from textual.keys import KEY_NAME_REPLACEMENTS

    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:  # a control character: no name
        return character
    return KEY_NAME_REPLACEMENTS.get(name, name)


def _normalized(keys: str) -> tuple[str, list[str]]:
    """``keys`` with each key in Textual's long form (``?`` is ``question_mark``), and the keys in
    it that are no key's name."""
    normal, unknown = [], []
    for key in keys.split(","):
        key = key.strip()
        *modifiers, name = key.split("+")
        if len(name) == 1:
            name = _character_key(name)
        if not name or any(modifier not in MODIFIERS for modifier in modifiers) or not _known_key_name(name):
            unknown.append(key)
        normal.append("+".join([*modifiers, name]))
    return ",".join(normal), unknown


def _line_of(text: str, key_id: str) -> int | None:
    """The line that sets ``key_id`` at the top of the file, if one plainly does."""
    pattern = re.compile(rf"""^\s*(?:{re.escape(key_id)}|"{re.escape(key_id)}"|'{re.escape(key_id)}')\s*=""")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The user's keymap (at :func:`keymap_path` unless ``path``), for ``App.set_keymap``, and its
    problems in words. No file is no keymap and no problem; a file that cannot be read, or is not
    TOML, is no keymap and one problem; an entry that is wrong is left out, with its problem. It
    never raises: a keymap must not keep whomet from starting."""
    path = keymap_path() if path is None else path
    try:
        return _load(path)
    except Exception as error:  # noqa: BLE001 - whatever it is, whomet starts with its own keys
        return {}, [f"{path}: not read ({type(error).__name__}: {error}); the default keys are used"]


_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
"""Opening never waits: a named pipe put where the keymap is, with no writer, would hold whomet's start."""

KEYMAP_MOST = 1 << 20
"""Bytes of a keymap read, at most: anything longer is no keymap."""


def _read(path: Path) -> bytes:
    """The bytes of the regular file at ``path``; anything else, never read, is an ``OSError``."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "it is not a plain file")
    with open(os.open(path, _O_READ), "rb", closefd=True) as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # put in place since the look
            raise OSError(errno.EINVAL, "it is not a plain file")
        data = stream.read(KEYMAP_MOST + 1)
    if len(data) > KEYMAP_MOST:
        raise OSError(errno.EFBIG, f"it is longer than {KEYMAP_MOST:,} bytes")
    return data


def _load(path: Path) -> tuple[dict[str, str], list[str]]:
    try:
        data = _read(path)
    except FileNotFoundError:
        return {}, []
    except OSError as error:
        return {}, [f"{path}: not read, {error.strerror or error}; the default keys are used"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return {}, [f"{path}, line {line}: not UTF-8 text; the default keys are used"]
    import tomllib  # only when there is a keymap: most starts have none

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_ERROR.match(str(error))
        reason = found["reason"] if found else str(error)
        where = f"{path}, line {found['line']}" if found and found["line"] else str(path)
        return {}, [f"{where}: not TOML ({reason}); the default keys are used"]
    return _checked(table, text, path)


def _checked(table: dict[str, object], text: str, path: Path) -> tuple[dict[str, str], list[str]]:
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for key_id, keys in table.items():
        line = _line_of(text, key_id)
        where = f"{path}, line {line}" if line else str(path)
        if key_id not in BY_ID:
            from difflib import get_close_matches  # only for a keymap that names no key

            close = get_close_matches(key_id, BY_ID, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(f"{where}: {key_id!r} is not the id of a key ({hint}the ids are: {', '.join(BY_ID)})")
        elif not isinstance(keys, str):
            problems.append(f"{where}: the keys of {key_id!r} must be a string, as in {key_id} = "
                            f'"{BY_ID[key_id].keys}"; its default keys are used')
        elif not keys.strip():
            problems.append(f"{where}: {key_id!r} is given no key; its default keys are used")
        else:
            normal, unknown = _normalized(keys)
            if unknown:
                named = f"{', '.join(map(repr, unknown))} {'is no key' if len(unknown) == 1 else 'are no keys'}"
                problems.append(f"{where}: {named} (keys are named as in f2, ctrl+q, question_mark, comma); "
                                f"the default keys of {key_id!r} are used")
            else:
                keymap[key_id] = normal
    problems.extend(dict.fromkeys(_clashes(keymap, path)))  # a clash is found in each chain it is in
    return keymap, problems


_CHAINS = (
    {"records", "lists", "panel:people", "browser", "app"},
    {"records", "lists", "panel:timeline", "browser", "app"},
    {"text", "panel:detail", "browser", "app"},
    {"records", "panel:detail", "browser", "app"},
    {"form", "app"},
)
"""The places whose keys answer together, for each widget that can have the focus: a key given
twice in one of them does only one thing."""


TEXTUAL_KEYS = {
    "ctrl+q": "quits whomet, before anything else answers",
    "ctrl+c": "copies the text selected",
    "tab": "moves to the next panel or field",
    "shift+tab": "moves to the panel or field before",
}
"""Keys Textual gives every app, and what they do."""


def _clashes(keymap: Mapping[str, str], path: Path) -> list[str]:
    problems = []
    for key_id, keys in keymap.items():
        for name in keys.split(","):
            if name in TEXTUAL_KEYS and not (key_id == "quit" and name == "ctrl+q"):
                problems.append(f"{path}: {key_words(name)} {TEXTUAL_KEYS[name]}; given to {key_id!r} as well, "
                                "one of them will not answer it")
    for places in _CHAINS:
        holders: dict[str, list[str]] = {}
        for key in KEYS:
            if key.where in places:
                for name in keys_for(key.id, keymap).split(","):
                    holders.setdefault(name, []).append(key.id)
        for name, ids in holders.items():
            if len(ids) > 1 and any(key_id in keymap for key_id in ids):
                problems.append(f"{path}: {key_words(name)} is the key of {' and '.join(map(repr, ids))} at once; "
                                "only one of them will answer it")
    return problems
