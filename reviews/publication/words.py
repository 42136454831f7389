"""Which names are also ordinary English ("Will", "Hope", "Mark Stone"): such a name is never
replaced in lower case, and a single word of that kind is never replaced at all, only found.

The word list is GCIDE (the GNU Collaborative International Dictionary of English, from the
``english-words`` package): a word is ordinary English when it is one of its headwords. A phrase
is ordinary English when each of its words is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _headwords() -> frozenset[str]:
    from english_words import get_english_words_set  # the word list loads on first use, not at start-up

    # Headwords as GCIDE writes them, lower-cased: "Will", "Hope", "Stone", "Smith".
    return frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))


def _is_word(word: str) -> bool:
    """A headword, or an inflected form of one ("waters", "bones", "banked"), written with or
    without its accents and apostrophes ("Clément" is "clement", "De'Ath" is "death")."""
    headwords = _headwords()
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(ch)).strip(
        ".,'’"
    )
    forms = {word.casefold().strip(".,'’"), plain, re.sub(r"['’`´]", "", plain)}
    for form in list(forms):
        for suffix, stem_end in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                                 ("ing", "e")):  # fmt: skip
            if form.endswith(suffix) and len(form) > len(suffix) + 2:
                forms.add(form[: -len(suffix)] + stem_end)
    return any(form in headwords for form in forms)


def is_ordinary_english(text: str) -> bool:
    words = [w for w in re.split(r"[\s\-]+", text.strip()) if w]
    return bool(words) and all(_is_word(word) for word in words)


def english_words_in(text: str) -> list[str]:
    """The words of a name that are also ordinary English words (for the register's warning)."""
    return [w for w in re.split(r"[\s\-]+", text.strip()) if w and _is_word(w)]
