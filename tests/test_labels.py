"""The protective marking and the review-type titles: one rule, the same answer everywhere."""

from __future__ import annotations

import pytest

from casereview.spreadsheets import XLSX_CELL_LIMIT, spreadsheet_safe, xlsx_text
from reviews.labels import OFFICIAL_SENSITIVE, PERSONAL_DATA, markings, protective_marking
from reviews.models import Review


@pytest.mark.parametrize(
    ("published", "personal_data", "expected"),
    [
        (False, False, OFFICIAL_SENSITIVE),  # a draft, even with designations only
        (False, True, OFFICIAL_SENSITIVE),
        (True, True, OFFICIAL_SENSITIVE),  # a panel version or real-names export stays marked once published
        (True, False, ""),  # the published text is public
    ],
)
def test_protective_marking(published, personal_data, expected):
    assert protective_marking(published=published, personal_data=personal_data) == expected


def test_markings_line_names_personal_data_only_when_there_is_some():
    assert markings(published=False, personal_data=True) == f"{OFFICIAL_SENSITIVE} · {PERSONAL_DATA}"
    assert markings(published=False, personal_data=False) == OFFICIAL_SENSITIVE
    assert markings(published=True, personal_data=False) == ""


def test_every_review_type_is_titled_as_a_proper_name():
    # The cover and the app read the same label; each word of a type's title starts with a capital.
    for label in Review.Type.labels:
        assert all(word[0].isupper() for word in label.split()), label


@pytest.mark.parametrize("text", ["=1+1", "+44", "-2", "@SUM(A1)", "\t=x", "\r=x", "\x0b=cmd", "\x00+1"])
def test_xlsx_text_never_starts_a_formula_even_after_control_characters_go(text):
    cleaned = xlsx_text(text)
    assert cleaned.startswith("'")
    assert "\x0b" not in cleaned and "\x00" not in cleaned


def test_spreadsheet_safe_leaves_numbers_and_plain_text():
    assert spreadsheet_safe(12) == 12
    assert spreadsheet_safe("Police visit") == "Police visit"


def test_xlsx_text_cuts_a_cell_at_the_limit_saying_so():
    cell = xlsx_text("x" * (XLSX_CELL_LIMIT + 10), truncated=" [cut]")
    assert len(cell) == XLSX_CELL_LIMIT and cell.endswith(" [cut]")
    assert xlsx_text("x" * XLSX_CELL_LIMIT) == "x" * XLSX_CELL_LIMIT
