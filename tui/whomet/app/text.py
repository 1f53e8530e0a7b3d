"""Record text as screen text: always data, never markup, control characters made visible."""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 controls (but newline), and the invisible characters that can reorder or
# hide what follows them: zero-width marks, bidirectional overrides and isolates.
_HIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ … ␛ …
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """``text`` with every control or invisible character replaced by a visible stand-in."""
    return _HIDDEN.sub(_shown, text)


LONGEST_SHOWN = 20_000
"""Characters of one text shown at once; a longer text (a pasted page) is cut with a note."""


def one_line(text: str, width: int = 400) -> str:
    """``text`` on one line, its line breaks and runs of spaces folded to single spaces."""
    return visible(" ".join(text[: width * 4].split())[:width])


def plain(text: str, style: str = "") -> Text:
    """A Rich ``Text`` holding ``text`` exactly as typed: square brackets stay brackets."""
    if len(text) <= LONGEST_SHOWN:
        return Text(visible(text), style=style)
    shown = Text(visible(text[:LONGEST_SHOWN]), style=style)
    shown.append(f" … ({len(text) - LONGEST_SHOWN:,} more characters: the whole text is in the record's file)",
                 style="dim italic")
    return shown


def as_markup(text: str) -> str:
    """Markup that shows ``text`` as typed, for the few places Textual reads only markup.

    Its parser takes no bracket after a backslash for a tag and turns each backslash-bracket
    back into a bracket, leaving other backslashes alone: escaping every bracket, and nothing
    else, round-trips any text (``textual.markup.escape`` doubles a backslash before a tag,
    which then shows doubled)."""
    return text.replace("[", "\\[")
