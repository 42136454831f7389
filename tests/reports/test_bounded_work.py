"""No one can make a page or a render do unbounded work: a comparison too large to make word by
word is made by paragraph (and the page says so), and markup nested deeper than a document needs
is refused when it is saved, with nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reports import richtext, services
from reports.compose import document_compose
from reports.diff import MAX_COMPARISON, diff_rows, merge
from reports.models import Section
from tests.conftest import World

WORDS = ("the", "police", "visited", "and", "she", "said", "that", "he", "was", "at", "home")
LONG = " ".join(WORDS[i % len(WORDS)] for i in range(30_000))  # 30,000 words, most of them alike


def test_a_long_paragraph_changed_at_both_ends_is_compared_by_paragraph():
    rows = diff_rows(f"<p>Before {LONG} after.</p>", f"<p>Earlier {LONG} later.</p>")
    assert [(row.change, row.whole) for row in rows] == [("changed", True)]
    # Nothing is lost: the old words removed and the new ones added, each as a whole.
    assert rows[0].html.startswith("<del>Before ") and "<ins>Earlier " in rows[0].html
    assert rows[0].html.count("police") == 2 * LONG.count("police")


def test_a_long_paragraph_changed_in_one_place_is_still_compared_word_by_word():
    changed = LONG.replace("visited", "rang", 1)
    rows = diff_rows(f"<p>{LONG}</p>", f"<p>{changed}</p>")
    assert [(row.change, row.whole) for row in rows] == [("changed", False)]
    assert rows[0].html.count("<del>") == 1 and "<del>visited</del><ins>rang</ins>" in rows[0].html


def test_an_ordinary_paragraph_is_compared_word_by_word():
    rows = diff_rows("<p>The police visited at noon.</p>", "<p>Nobody visited at night.</p>")
    assert rows[0].whole is False
    assert rows[0].html == "<del>The police</del><ins>Nobody</ins> visited at <del>noon</del><ins>night</ins>."


def test_too_many_paragraphs_to_pair_are_shown_removed_then_added_and_merged_without_loss():
    count = int(MAX_COMPARISON**0.5) + 10
    old = "".join(f"<p>Old {i % 3}.</p>" for i in range(count))
    new = "".join(f"<p>New {i % 3}.</p>" for i in range(count))
    rows = diff_rows(old, new)
    assert [row.change for row in rows] == ["removed"] * count + ["added"] * count
    result = merge(old, new, old + "<p>Mine.</p>")
    assert "<p>Mine.</p>" in result.html and "<p>New 0.</p>" in result.html


def test_the_history_says_a_change_to_a_long_paragraph_is_compared_by_paragraph(
    client: Client, world: World, section: Section
):
    section = services.section_save(
        section_id=section.pk, body=f"<p>Before {LONG} after.</p>", base_version=1, actor=world.chair
    )
    services.section_save(section_id=section.pk, body="<p>A shorter account.</p>", base_version=2, actor=world.chair)
    client.force_login(world.panel)
    url = reverse("reports:section_history", args=[world.review.pk, section.document_id, section.pk])
    page = client.get(url).content.decode()
    assert "too long to compare word by word: it is compared by paragraph" in page


@pytest.mark.parametrize(
    "body",
    [
        "<p>" + "<strong>" * 20_000 + "Deep." + "</strong>" * 20_000 + "</p>",
        "<p>" + "<em>" * 41 + "Deep." + "</em>" * 41 + "</p>",
        "<ol><li>" * 25 + "Deep." + "</li></ol>" * 25,
    ],
    ids=["20,000 deep", "41 deep", "25 lists deep"],
)
def test_markup_nested_too_deep_is_refused_at_save_and_nothing_is_saved(world: World, section: Section, body: str):
    with pytest.raises(ValidationError, match="levels deep"):
        services.section_save(section_id=section.pk, body=body, base_version=1, actor=world.chair)
    section.refresh_from_db()
    assert section.version == 1 and "Deep." not in section.body
    assert not section.revisions.filter(version=2).exists()


def test_the_editor_is_told_why_deep_markup_was_not_saved(client: Client, world: World, section: Section):
    client.force_login(world.chair)
    url = reverse("reports:section_edit", args=[world.review.pk, section.document_id, section.pk])
    body = "<p>" + "<em>" * 45 + "Deep." + "</em>" * 45 + "</p>"
    response = client.post(url, {"body": body, "base_version": 1, "autosave": "1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "nested more than 40 levels deep" in response.json()["error"]


def test_markup_nested_as_deep_as_a_document_needs_is_saved(world: World, section: Section):
    body = "<p>" + "<em>" * 20 + "Fine." + "</em>" * 20 + "</p>"
    saved = services.section_save(section_id=section.pk, body=body, base_version=1, actor=world.chair)
    assert saved.version == 2 and richtext.nesting_depth(saved.body) <= richtext.MAX_NESTING


def test_deep_markup_saved_before_the_limit_is_composed_as_its_words_without_any_redacted_one(
    world: World, section: Section
):
    body = "<p>" + "<em>" * 300 + 'Seen by <span class="redaction">Sue</span> at home.' + "</em>" * 300 + "</p>"
    Section.objects.filter(pk=section.pk).update(body=body)  # as stored before nesting was bounded
    document = section.document
    panel = document_compose(document)
    block = panel.sections[0].blocks[0]
    assert block.text == "Seen by Sue at home." and richtext.nesting_depth(block.html) == 1
    published = document_compose(document, publication=True)
    assert "Sue" not in published.sections[0].blocks[0].html
