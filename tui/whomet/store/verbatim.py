"""Whether a quote or an excerpt is in a text word for word, and, when it is not, the passage
closest to it and what differs.

Both texts are compared in a normal form: runs of whitespace are one space, curly quotes are
straight, every dash (hyphen, en and em dash, minus, ``--``) is one hyphen with one space on
either side, and ``…`` is three dots. In the quote, ``…`` (or ``...``, ``[…]``) stands for omitted words:
each part between them must be found, in order. Case, letters and punctuation are compared as
written, and the words as whole words ("he met" is not in "she met"). Nothing here reads a file; :mod:`whomet.store.archives` does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SAME: dict[str, str] = {
    **dict.fromkeys("‘’‚‛′`´ʼ", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    "…": "...",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",  # soft hyphen, zero widths
}
"""Each character compared as another (or as none)."""
_GAP = re.compile(r" ?[\[(]?\.\.\.[\])]? ?")

CLOSE = 65
"""How alike (0-100, rapidfuzz's partial ratio) a passage must be to be called the closest one."""


def normal(text: str) -> str:
    """``text`` in the form quotes and archives are compared in. Made of the string methods
    written in C only: an archive's text is put in this form at every check."""
    if not text.isascii():  # one form of each letter: é one character or two, ﬁ as fi (a PDF's)
        text = unicodedata.normalize("NFKC", text)
    for char, same in _SAME.items():
        if char in text:
            text = text.replace(char, same)
    if "-" in text:
        while "--" in text:
            text = text.replace("--", "-")
        text = text.replace("-", " - ")
    # Every kind of whitespace a space, then runs of spaces one: a few passes of replace over the
    # text are three times quicker than splitting it into its words and joining them again.
    for space in _SPACES if not text.isascii() else _ASCII_SPACES:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


_SPACES = tuple("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
"""Every character str.isspace() calls whitespace, but the space (written out: finding them among
every character took a fifth of a second at import)."""
_ASCII_SPACES = tuple(char for char in _SPACES if char.isascii())


def parts_of(quote: str) -> list[str]:
    """The parts of a quote, in its normal form, that must each be found, in order: the words
    between its ellipses."""
    text = normal(quote)
    if "..." not in text:
        return [text] if text else []
    return [part for part in _GAP.split(text) if part]


@dataclass(frozen=True)
class Mismatch:
    """Why a quote is not in a text: the part not found, the closest passage, and what differs."""

    part: str
    """The part of the quote (normal form) that was not found where it should be."""
    passage: str
    """The text's closest passage to it (normal form); '' when nothing is close."""
    differences: tuple[tuple[str, str], ...]
    """(what the text says, what the quote says) for each place they differ."""
    out_of_order: bool = False
    """The part is in the text, but before the part that comes before it in the quote."""

    def told(self) -> str:
        """What differs, in words: "archive says 'a couple of times', excerpt says 'a few times'"."""
        if self.out_of_order:
            return f"'{_cut(self.part)}' is in the archive, but before the words the excerpt puts ahead of it"
        if not self.passage:
            return f"nothing in the archive is close to '{_cut(self.part)}'"
        said = "; ".join(f"archive says '{theirs}', excerpt says '{ours}'" for theirs, ours in self.differences[:3])
        if len(self.differences) > 3:
            said += f"; and {len(self.differences) - 3} more differences"
        return f"closest passage: '{_cut(self.passage, 160)}'" + (f"; {said}" if said else "")


def word_find(text: str, part: str, at: int = 0) -> int:
    """Where ``part`` is in ``text`` from ``at``, as whole words: a part that begins or ends with a
    letter or digit does not begin or end inside a word ("he met" is not in "she met"). -1: nowhere."""
    found = text.find(part, at)
    while found >= 0:
        end = found + len(part)
        starts = found == 0 or not (part[:1].isalnum() and text[found - 1].isalnum())
        ends = end == len(text) or not (part[-1:].isalnum() and text[end].isalnum())
        if starts and ends:
            return found
        found = text.find(part, found + 1)
    return -1


def find(parts: list[str], text: str) -> Mismatch | None:
    """None when each of ``parts`` is in ``text`` (both in normal form) in order; else why not."""
    at = 0
    for number, part in enumerate(parts):
        found = word_find(text, part, at)
        if found < 0:
            if number and word_find(text, part) >= 0:
                return Mismatch(part, part, (), out_of_order=True)
            return closest(part, text)
        at = found + len(part)
    return None


def spans(parts: list[str], text: str, start: int = 0) -> list[tuple[int, int]] | None:
    """Where each of ``parts`` is in ``text``, in order, from ``start``: (start, end) each; None
    when one is not there."""
    found: list[tuple[int, int]] = []
    at = start
    for part in parts:
        where = word_find(text, part, at)
        if where < 0:
            return None
        found.append((where, where + len(part)))
        at = where + len(part)
    return found


def occurrences(parts: list[str], text: str) -> list[list[tuple[int, int]]]:
    """Every place the quote is found in ``text`` (normal form): the spans of its parts each,
    each place starting after the last one's first part."""
    found: list[list[tuple[int, int]]] = []
    start = 0
    while parts and (where := spans(parts, text, start)) is not None:
        found.append(where)
        start = where[0][0] + 1
    return found


def closest(part: str, text: str) -> Mismatch:
    """The passage of ``text`` closest to ``part``, and what differs between the two, word by word."""
    if not text:
        return Mismatch(part, "", ())
    from rapidfuzz import fuzz  # imported on first use: only a quote not found needs it

    aligned = fuzz.partial_ratio_alignment(part, text)
    if aligned is None or aligned.score < CLOSE:
        return Mismatch(part, "", ())
    passage = _passage(part, text, aligned.dest_start, aligned.dest_end)
    return Mismatch(part, passage, tuple(differences(passage, part)))


def _passage(part: str, text: str, start: int, end: int) -> str:
    """The words of ``text`` that stand for ``part``, near ``start``..``end`` (where the closest
    alignment of the two put it): from the first word they share to the last, widened by the
    words of ``part`` before the first and after the last, which the text words differently."""
    extra = len(part) // 2 + 20
    window_start, window_end = _whole_words(text, max(0, start - extra), min(len(text), end + extra))
    import difflib  # only a quote not found needs it

    window, words = text[window_start:window_end].split(" "), part.split(" ")
    blocks = [block for block in difflib.SequenceMatcher(None, _keys(window), _keys(words),
                                                         autojunk=False).get_matching_blocks() if block.size]
    if not blocks:
        low, high = _whole_words(text, start, end)
        return text[low:high]
    first, last = blocks[0], blocks[-1]
    low = max(0, first.a - first.b)
    high = min(len(window), last.a + last.size + len(words) - last.b - last.size)
    return " ".join(window[low:high])


def closest_span(part: str, text: str) -> tuple[int, int] | None:
    """Where in ``text`` (normal form) the passage closest to ``part`` is; None if nothing is close."""
    if not text or not part:
        return None
    from rapidfuzz import fuzz

    aligned = fuzz.partial_ratio_alignment(part, text)
    if aligned is None or aligned.score < CLOSE:
        return None
    return _whole_words(text, aligned.dest_start, aligned.dest_end)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``..``end`` trimmed of the spaces at its ends, then widened to the words they cut through."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def differences(theirs: str, ours: str) -> list[tuple[str, str]]:
    """(their words, our words) at each place two texts differ, word by word, each with the word
    before and the word after it, so that a word dropped or added is seen where it goes."""
    import difflib  # only a quote not found needs it

    a, b = theirs.split(" "), ours.split(" ")
    found: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, _keys(a), _keys(b), autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 > 0 and j1 > 0:
            i1, j1 = i1 - 1, j1 - 1
        if i2 < len(a) and j2 < len(b):
            i2, j2 = i2 + 1, j2 + 1
        found.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return found


_PUNCTUATION = "\"'.,;:!?()[]"


def _keys(words: list[str]) -> list[str]:
    """Words as they are matched to one another: the punctuation around them aside, so that a
    quote that leaves out the quotation marks or the comma of the sentence it is in still lines
    up with it word for word (the words themselves are shown as written)."""
    return [word.strip(_PUNCTUATION) or word for word in words]


def _cut(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def mapped(text: str) -> tuple[str, list[int]]:
    """``text`` in normal form and, for each of its characters, where it came from in ``text``
    (one more entry: the end), for marking a passage found in the normal form in the text itself.
    Agrees with :func:`normal` character for character."""
    chars: list[str] = []
    spots: list[int] = []
    for index, char in _letters(text):
        same = "".join(_SAME.get(piece, piece) for piece in char)
        for piece in same:
            if piece == "-" and chars and chars[-1] == "-":
                continue  # a run of dashes is one
            chars.append(piece)
            spots.append(index)
    spaced_chars: list[str] = []
    spaced_spots: list[int] = []
    for char, spot in zip(chars, spots):
        if char == "-":
            spaced_chars += [" ", "-", " "]
            spaced_spots += [spot, spot, spot]
        else:
            spaced_chars.append(char)
            spaced_spots.append(spot)
    out: list[str] = []
    where: list[int] = []
    for char, spot in zip(spaced_chars, spaced_spots):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(spot)
            continue
        out.append(char)
        where.append(spot)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where + [len(text)]


def _letters(text: str) -> list[tuple[int, str]]:
    """Each letter of ``text`` with the marks that follow it, in the form :func:`normal` gives it
    (NFKC), and where it starts: what a mark or ligature becomes maps back to its letter."""
    if text.isascii():
        return list(enumerate(text))
    letters: list[tuple[int, str]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            letters.append((start, unicodedata.normalize("NFKC", text[start:index])))
            start = index
    return letters
