"""Checks on text that must stay on one line: names (of agencies, people, reviews, sections)
go into page titles, file names and email subjects, where a line break breaks the header and a
control character has no business."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError

# Line and paragraph separators are not control characters to Unicode, but end a line all the same.
_LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


def one_line_problem(value: str, what: str) -> str:
    """Why ``value`` cannot be ``what`` ("The agency's name"), or "" when it can."""
    for character in value or "":
        if character in _LINE_BREAKS:
            return f"{what} has a line break in it: write it on one line."
        if unicodedata.category(character) == "Cc":
            return f"{what} has a control character (U+{ord(character):04X}) in it: type it again without it."
    return ""


def one_line(what: str) -> Callable[[str], None]:
    """A form field validator: ``one_line("The agency's name")``."""

    def validate(value: str) -> None:
        if problem := one_line_problem(value, what):
            raise ValidationError(problem)

    return validate
