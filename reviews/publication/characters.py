"""Characters as the publication pipeline sees them: what is stored (``normalise``: NFC, no
invisible characters) and what is compared (``fold``: a copy of the text with a map back to it,
in which invisible characters are gone; apostrophe look-alikes are ', dashes are -, every space
is a space; marks, case and letters of other scripts that pass for Latin ones are folded; digits
of any script are 0-9). So "Zo\u00adë", "ZOË", "Zoe\u0308", "Zоe" and "Zoe" are one name, and
"O‘Neill", "O`Neill" and "ONeill" are "O'Neill".

Pure: no database.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Apostrophe look-alikes and dashes, folded for matching (and nowhere else).
APOSTROPHES = "'’‘`´ʼʹ′‛ꞌʻʽˈˊˋ‚‵՚׳ߴ｀ʾʿ"
_DASHES = "‐‑‒–—―−﹘﹣－"


def is_invisible(ch: str) -> bool:
    """A character that shows nothing (Unicode's default-ignorable code points: format
    characters, variation selectors, the combining grapheme joiner, Hangul fillers...) or cannot
    be stored (a lone surrogate). Removed on save and ignored when matching."""
    return unicodedata.category(ch) in ("Cf", "Cs") or ch in _IGNORABLE or "\U000e0000" <= ch <= "\U000e0fff"


# Default-ignorable code points outside category Cf (Unicode DerivedCoreProperties).
_IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xFFF0, 0xFFF9))
    + "\x00"
)


class _ByCharacter(dict[int, str | None]):
    """A table for ``str.translate``: what ``of`` makes of each character (None: nothing),
    worked out the first time the character is met. A text is then translated in one pass
    rather than character by character in Python, five times as fast."""

    def __init__(self, of: Callable[[str], str | None]):
        super().__init__()
        self.of = of

    def __missing__(self, point: int) -> str | None:
        value = self[point] = self.of(chr(point))
        return value


# Each character as ``normalise`` keeps it: itself, or nothing when it is invisible.
_VISIBLE = _ByCharacter(lambda ch: None if is_invisible(ch) else ch)


def normalise(text: str) -> str:
    """The stored and published form of any text: NFC, no invisible characters, no NUL."""
    if not text:
        return text or ""
    if text.isascii():
        return text.replace("\x00", "")
    return unicodedata.normalize("NFC", text.translate(_VISIBLE))


def normalised_each(texts: Iterable[str], one: Callable[[str], str] = normalise) -> dict[str, str]:
    """``normalise`` of each of ``texts``, by text. Most texts of a large export are ASCII with
    no NUL, which ``normalise`` gives back as they are: those are found together, and only the
    rest normalised one by one, by ``one`` (``normalise``, or a caller's that keeps what it made)."""
    texts = set(texts)
    plain = set(filter(str.isascii, texts))
    if "\x00" in "".join(plain):
        plain = {text for text in plain if "\x00" not in text}
    each = {text: text for text in plain}
    each.update((text, one(text)) for text in texts - plain)
    return each


@lru_cache(maxsize=1)
def _look_alikes() -> dict[str, str]:
    """Every character Unicode's confusables data says passes for a Latin letter (TR39, from the
    confusable-homoglyphs package): Cyrillic, Greek, Armenian, Cherokee, Lisu, small capitals,
    Latin alpha and the rest. Some of ours first, for letters the data pairs differently."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    table: dict[str, str] = {}
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for item in data.get(letter, ()):
            glyph = item.get("c", "")
            if len(glyph) == 1 and not glyph.isascii():
                table.setdefault(glyph, letter.lower())
    return {**table, **_LOOK_ALIKES}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if is_invisible(ch):
        return ""
    if ch in APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    if ch.isspace():
        return " "
    if ch in _LETTERS:
        return _LETTERS[ch]
    if unicodedata.category(ch) == "Nd":
        return str(unicodedata.digit(ch))  # "١٤/٠٣/١٩٩٠" is 14/03/1990
    look_alikes = _look_alikes()
    if ch in look_alikes:
        return look_alikes[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    # Every mark goes, spacing or not, combining class or not ("Ma\u20ddrsh" is Marsh).
    folded = "".join(look_alikes.get(c, c) for c in decomposed if unicodedata.category(c)[0] != "M").casefold()
    if len(folded) == 1 and not folded.isascii():
        # A Latin letter with a stroke, hook or bar ("Ŧ", "ɋ", "ɍ") is the letter it is built on.
        built_on = _BUILT_ON_RE.match(unicodedata.name(ch, ""))
        if built_on:
            return built_on.group(1).lower()
    return folded


# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
            "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ŀ": "l", "ħ": "h", "Ħ": "h"}  # fmt: skip
# Letters of other scripts that look like Latin ones ("Zоe" with a Cyrillic о): folded to the
# Latin letter they pass for, so a look-alike cannot hide a name.
_LOOK_ALIKES = dict(zip("аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅοαερτυνκιΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
                        "aeopcyxijsdhlqwabekmhopctxijsoaeptuvkiabezhikmnoptyx", strict=True))  # fmt: skip
# Small capitals pass for capitals ("ᴍᴀʀsʜ" reads as MARSH): folded, and counted as capitals.
SMALL_CAPITALS = dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz", strict=True))
_LOOK_ALIKES.update(SMALL_CAPITALS)
_BUILT_ON_RE = re.compile(r"LATIN (?:SMALL|CAPITAL) LETTER ([A-Z]) WITH ")
_ASCII_FOLD = str.maketrans({"`": "'", "\t": " ", "\n": " ", "\r": " ", "\f": " ", "\v": " "})


@dataclass(frozen=True)
class Folded:
    """A folded copy of a text and, for each of its characters, where it came from."""

    text: str
    origin: list[int] | None  # None: the same offsets as the original (each character folded to one)
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        if start >= end:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


# Each character folded (``_fold_char``), and: nothing for one folded to one character, itself
# for one folded to none or to several. A text with no such character folds character for
# character, its folded copy at the same offsets as the text.
_FOLDED = _ByCharacter(lambda ch: _fold_char(ch))
_FOLDED_UNEVENLY = _ByCharacter(lambda ch: "" if len(_fold_char(ch)) == 1 else ch)
_ONE_FOR_ONE_RE = re.compile(r"[\x01-\x7f]+")  # ASCII but NUL: each character folded to one


def fold(text: str, *, split_camel: bool = False) -> Folded:
    """``split_camel`` also puts a space where a lower-case letter meets a capital ("JusticeForZoe"),
    so a name glued into a hashtag or a file name is a word of its own."""
    if text.isascii() and not split_camel:
        return Folded(text.translate(_ASCII_FOLD).lower(), None, text)
    if not split_camel and not _ONE_FOR_ONE_RE.sub("", text).translate(_FOLDED_UNEVENLY):
        return Folded(text.translate(_FOLDED), None, text)
    return _fold_each(text, split_camel=split_camel)


def _fold_each(text: str, *, split_camel: bool) -> Folded:
    """``fold``, character by character, with each folded character's place in the text."""
    out: list[str] = []
    origin: list[int] = []
    previous = ""
    for index, ch in enumerate(text):
        if split_camel and ch.isupper() and previous.islower():
            out.append(" ")
            origin.append(index)
        folded = _fold_char(ch)
        for c in folded:
            out.append(c)
            origin.append(index)
        if folded:
            previous = ch
    origin.append(len(text))
    return Folded("".join(out), origin, text)


def fold_key(text: str) -> str:
    """A term as it is compared: folded, whitespace collapsed."""
    return " ".join(fold(text).text.split())
