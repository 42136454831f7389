"""Text made safe for a spreadsheet cell: every CSV and XLSX this product writes (chronology
exports, action plans, the audit trail) puts its cells through here.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
and LibreOffice as a formula (CSV injection, CWE-1236); it gets a leading ``'`` and shows as
the text it is. XLSX files also refuse control characters (a vertical tab pasted from Word);
``xlsx_text`` drops them before the formula check, so "\\x0b=cmd" cannot slip through as "=cmd"."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses (and "repairs" the file by emptying) a cell of more than 32,767 characters.
XLSX_CELL_LIMIT = 32_767


def spreadsheet_safe(value: object) -> object:
    """`value`, made safe to put in a spreadsheet cell; anything but text is returned as is."""
    return _defused(value) if isinstance(value, str) else value


def xlsx_text(text: str, *, truncated: str = " [truncated]") -> str:
    """`text` as an XLSX cell may hold it: without control characters, never a formula, and
    within the cell limit (cut short, ending with ``truncated``, when longer)."""
    safe = _defused(ILLEGAL_CHARACTERS_RE.sub("", text))
    if len(safe) > XLSX_CELL_LIMIT:
        return safe[: XLSX_CELL_LIMIT - len(truncated)] + truncated
    return safe


def _defused(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
