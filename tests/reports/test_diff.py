"""Readable diffs between versions, and the three-way merge after a refused save."""

from __future__ import annotations

from reports.diff import CONFLICT_NOTE, diff_rows, has_changes, merge

BASE = "<p>One.</p><p>Two.</p><p>Three.</p>"


def test_diff_marks_changed_words_added_and_removed_paragraphs():
    rows = diff_rows(BASE, "<p>One, changed.</p><p>Three.</p><p>Four.</p>")
    assert [row.change for row in rows] == ["changed", "removed", "same", "added"]
    assert rows[0].html == "One<ins>, changed</ins>."
    assert has_changes(rows)
    assert not has_changes(diff_rows(BASE, BASE))


def test_diff_shows_text_escaped_never_markup():
    rows = diff_rows("<p>a</p>", "<p>&lt;script&gt;alert(1)&lt;/script&gt; <strong>b</strong></p>")
    assert "<script>" not in rows[0].html and "&lt;script&gt;" in rows[0].html
    assert "<strong>" not in rows[0].html


def test_changes_to_different_paragraphs_merge_cleanly():
    result = merge(BASE, "<p>One!</p><p>Two.</p><p>Three.</p>", "<p>One.</p><p>Two.</p><p>Three?</p>")
    assert result.html == "<p>One!</p><p>Two.</p><p>Three?</p>"
    assert result.conflicts == 0


def test_insertions_at_both_ends_merge_cleanly():
    result = merge(BASE, "<p>Zero.</p>" + BASE, BASE + "<p>Four.</p>")
    assert result.html == "<p>Zero.</p><p>One.</p><p>Two.</p><p>Three.</p><p>Four.</p>"
    assert result.conflicts == 0


def test_the_same_paragraph_changed_by_both_keeps_both_versions_marked():
    result = merge(BASE, "<p>One, theirs.</p><p>Two.</p><p>Three.</p>", "<p>One, mine.</p><p>Two.</p><p>Three.</p>")
    assert result.conflicts == 1
    assert result.html == CONFLICT_NOTE + "<p>One, theirs.</p><p>One, mine.</p><p>Two.</p><p>Three.</p>"


def test_the_same_change_on_both_sides_is_kept_once():
    same = "<p>One.</p><p>Two, fixed.</p><p>Three.</p>"
    assert merge(BASE, same, same).html == same


def test_a_deletion_and_an_edit_elsewhere_both_apply():
    result = merge(BASE, "<p>One.</p><p>Three.</p>", "<p>One.</p><p>Two.</p><p>Three, edited.</p>")
    assert result.html == "<p>One.</p><p>Three, edited.</p>"
    assert result.conflicts == 0


def test_nothing_typed_by_either_person_is_lost_in_a_conflict():
    theirs = "<p>Theirs A.</p><p>Theirs B.</p>"
    mine = "<p>Mine A.</p>"
    result = merge(BASE, theirs, mine)
    for text in ("Theirs A.", "Theirs B.", "Mine A."):
        assert text in result.html
