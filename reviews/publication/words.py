"""Which names are also ordinary English ("Will", "Hope", "Mark Stone"): such a name is never
replaced in lower case, and a single word of that kind is never replaced at all, only found.

The word list is GCIDE (the GNU Collaborative International Dictionary of English, from the
``english-words`` package): a word is ordinary English when it is one of its headwords. A phrase
is ordinary English when each of its words is.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _headwords() -> frozenset[str]:
    from english_words import get_english_words_set

    # Headwords as GCIDE writes them, lower-cased: "Will", "Hope", "Stone", "Smith".
    return frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))


def is_ordinary_english(text: str) -> bool:
    words = [w for w in re.split(r"[\s\-]+", text.strip()) if w]
    if not words:
        return False
    headwords = _headwords()
    return all(word.casefold().strip(".,'’") in headwords for word in words)


def english_words_in(text: str) -> list[str]:
    """The words of a name that are also ordinary English words (for the register's warning)."""
    headwords = _headwords()
    return [w for w in re.split(r"[\s\-]+", text.strip()) if w and w.casefold().strip(".,'’") in headwords]
