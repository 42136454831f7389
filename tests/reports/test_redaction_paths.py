"""A redaction mark holds on every path that writes a section: a save from the editor (typing,
paste), a suggested change and the chair's acceptance of it, a merge after a refused save and a
restore. A mark is taken off only when the person says so; otherwise the save is refused and
names the passage."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import redactions, richtext, services
from reports.diff import merge
from reports.models import Section, SectionRevision
from reviews.models import AuditEntry
from tests.conftest import World

ADDRESS = "14 Acacia Avenue, Northtown"
REDACTED = f'<p>She lived at <span class="redaction">{ADDRESS}</span> until 2019.</p><p>Two.</p>'
LONG = "The family shared information about a private medical matter, which they asked the Review not to publish."


@pytest.fixture
def redacted(section: Section, world: World) -> Section:
    """The introduction at version 2: an address redacted in its first paragraph."""
    return services.section_save(section_id=section.pk, body=REDACTED, base_version=1, actor=world.chair)


def _save(section: Section, world: World, body: str, **kwargs) -> Section:
    return services.section_save(
        section_id=section.pk, body=body, base_version=section.version, actor=world.chair, **kwargs
    )


def _unchanged(section: Section, body: str, version: int) -> None:
    section.refresh_from_db()
    assert section.body == body and section.version == version
    assert section.revisions.count() == version


# Typing in the editor


def test_typing_a_sentence_keeps_the_mark_and_saves(redacted: Section, world: World):
    body = REDACTED.replace("Two.", "Two. A new sentence.")
    saved = _save(redacted, world, body, autosave=True)
    assert saved.version == 3 and f'<span class="redaction">{ADDRESS}</span>' in saved.body


def test_a_save_that_drops_a_mark_is_refused_naming_the_passage_and_writes_nothing(redacted: Section, world: World):
    with pytest.raises(services.RedactionDropped) as refused:
        _save(redacted, world, f"<p>She lived at {ADDRESS} until 2019.</p><p>Two. Typed.</p>", autosave=True)
    assert f"“{ADDRESS}” is redacted" in refused.value.messages[0]
    assert [passage.text for passage in refused.value.passages] == [ADDRESS]
    _unchanged(redacted, REDACTED, 2)


def test_a_long_passage_is_named_by_its_first_sixty_characters(section: Section, world: World):
    body = f'<p><span class="redaction">{LONG}</span></p>'
    saved = _save(section, world, body)
    with pytest.raises(services.RedactionDropped) as refused:
        _save(saved, world, f"<p>{LONG}</p>")
    message = refused.value.messages[0]
    assert "“The family shared information about a private medical…” is redacted" in message
    assert "not to publish" not in message


def test_taking_the_mark_off_part_of_a_passage_is_refused(redacted: Section, world: World):
    mark = f'<span class="redaction">{ADDRESS}</span>'
    partly = REDACTED.replace(mark, '<span class="redaction">14 Acacia Avenue</span>, Northtown')
    with pytest.raises(services.RedactionDropped):
        _save(redacted, world, partly)
    _unchanged(redacted, REDACTED, 2)


@pytest.mark.parametrize(
    "disguised",
    ["14 ACACIA AVENUE, Northtown", "14 Aca\u200bcia Avenue, Northtown", "14  Acacia\u00a0Avenue,\nNorthtown"],
    ids=["upper case", "zero-width space", "other spaces"],
)
def test_a_passage_cannot_slip_out_of_its_mark_by_case_or_invisible_characters(
    redacted: Section, world: World, disguised: str
):
    with pytest.raises(services.RedactionDropped):
        _save(redacted, world, f"<p>She lived at {disguised} until 2019.</p><p>Two.</p>")


def test_a_mark_removed_on_purpose_is_saved_and_audited_even_in_an_autosave(redacted: Section, world: World):
    body = f"<p>She lived at {ADDRESS} until 2019.</p><p>Two.</p>"
    saved = _save(redacted, world, body, autosave=True, unredacted=[f"  {ADDRESS} "])
    assert saved.body == body and saved.version == 3
    entry = AuditEntry.objects.get(action="section.redaction_removed", object_id=str(redacted.pk))
    assert entry.detail == {"version": 3, "passages": 1}


def test_saying_one_passage_was_unmarked_on_purpose_does_not_cover_another(section: Section, world: World):
    body = '<p><span class="redaction">Ward 7</span> and <span class="redaction">the refuge</span>.</p>'
    saved = _save(section, world, body)
    with pytest.raises(services.RedactionDropped) as refused:
        _save(saved, world, "<p>Ward 7 and the refuge.</p>", unredacted=["Ward 7"])
    assert [passage.text for passage in refused.value.passages] == ["the refuge"]


def test_deleting_a_redacted_passage_or_rewording_it_inside_its_mark_is_allowed(redacted: Section, world: World):
    reworded = _save(redacted, world, REDACTED.replace("Northtown", "Southtown"))
    assert '<span class="redaction">14 Acacia Avenue, Southtown</span>' in reworded.body
    deleted = _save(reworded, world, "<p>She lived nearby until 2019.</p><p>Two.</p>")
    assert "redaction" not in deleted.body and deleted.version == 4


def test_a_new_unmarked_mention_of_a_redacted_passage_is_refused(redacted: Section, world: World):
    """The same wording unmarked elsewhere publishes what the mark hides."""
    with pytest.raises(services.RedactionDropped):
        _save(redacted, world, REDACTED.replace("Two.", f"She left {ADDRESS} in May."))


def test_a_redacted_word_does_not_catch_a_longer_word_that_contains_it(section: Section, world: World):
    saved = _save(section, world, '<p>Seen by <span class="redaction">Ann</span>.</p>')
    again = _save(saved, world, '<p>Seen by <span class="redaction">Ann</span> at the Annual review.</p>')
    assert again.version == saved.version + 1


# Paste


def test_text_pasted_back_with_its_mark_is_saved(redacted: Section, world: World):
    """A cut and paste inside the editor sends the mark as the editor writes it (&nbsp; for spaces)."""
    pasted = (
        '<p>Two.</p><p>She lived at <span class="redaction">14&nbsp;Acacia&nbsp;Avenue,&nbsp;Northtown</span>'
        " until 2019.</p>"
    )
    saved = _save(redacted, world, pasted)
    assert f'<span class="redaction">{ADDRESS}</span>' in saved.body


def test_text_pasted_back_without_its_mark_is_refused(redacted: Section, world: World):
    with pytest.raises(services.RedactionDropped):
        _save(redacted, world, f"<p>Two.</p><p>She lived at {ADDRESS} until 2019.</p>")


def test_a_passage_partly_in_bold_is_one_passage(section: Section, world: World):
    body = '<p>At <span class="redaction">the <strong>refuge</strong> in Leeds</span>.</p>'
    saved = _save(section, world, body)
    with pytest.raises(services.RedactionDropped) as refused:
        _save(saved, world, "<p>At the <strong>refuge</strong> in Leeds.</p>")
    assert [passage.text for passage in refused.value.passages] == ["the refuge in Leeds"]


# Suggested changes (tracked changes)


def _change(world: World, cid: str) -> str:
    return f'data-change="{cid}" data-author="{world.panel.pk}" data-time="2026-12-03T20:45:00Z"'


def _suggest(section: Section, world: World, body: str) -> Section:
    return services.section_save(
        section_id=section.pk, body=body, base_version=section.version, actor=world.panel, suggest_only=True
    )


def test_a_suggested_deletion_of_a_redacted_passage_keeps_its_mark_until_the_chair_accepts_it(
    redacted: Section, world: World
):
    marked = f'<span class="redaction">{ADDRESS}</span>'
    body = f"<p>She lived <del {_change(world, 'change-0001')}>at {marked} </del>until 2019.</p><p>Two.</p>"
    suggested = _suggest(redacted, world, body)
    assert suggested.body == body
    accepted = _save(suggested, world, "<p>She lived until 2019.</p><p>Two.</p>")  # the chair accepts it
    assert accepted.version == 4 and ADDRESS not in accepted.body


def test_a_suggested_insertion_of_a_redacted_wording_without_its_mark_is_refused(redacted: Section, world: World):
    body = REDACTED.replace("Two.", f"Two.<ins {_change(world, 'change-0002')}> Near {ADDRESS}.</ins>")
    with pytest.raises(services.RedactionDropped):
        _suggest(redacted, world, body)
    _unchanged(redacted, REDACTED, 2)


# Merges after a refused save


def test_a_merge_keeps_a_mark_the_other_person_added_on_a_paragraph_both_changed():
    base = f"<p>She lived at {ADDRESS}.</p>"
    theirs = f'<p>She lived at <span class="redaction">{ADDRESS}</span>.</p>'
    mine = f"<p>She lived at {ADDRESS} for years.</p>"
    merged = merge(base, theirs, mine)
    assert merged.conflicts == 1
    assert merged.html.count(f'<span class="redaction">{ADDRESS}</span>') == 2  # their copy and mine
    assert f"{ADDRESS}</span> for years." in merged.html


def test_a_merge_keeps_a_mark_i_added_where_their_paragraph_wins():
    base = f"<p>She lived at {ADDRESS}.</p><p>Two.</p>"
    theirs = f"<p>She lived at {ADDRESS}.</p><p>Two, theirs.</p>"
    mine = f'<p>She lived at <span class="redaction">{ADDRESS}</span>.</p><p>Two.</p>'
    merged = merge(base, theirs, mine)
    assert merged.html == f'<p>She lived at <span class="redaction">{ADDRESS}</span>.</p><p>Two, theirs.</p>'


def test_a_merge_leaves_a_mark_they_took_off_on_purpose_off():
    base = f'<p>She lived at <span class="redaction">{ADDRESS}</span>.</p><p>Two.</p>'
    theirs = f"<p>She lived at {ADDRESS}.</p><p>Two.</p>"
    mine = f'<p>She lived at <span class="redaction">{ADDRESS}</span>.</p><p>Two, mine.</p>'
    assert merge(base, theirs, mine).html == f"<p>She lived at {ADDRESS}.</p><p>Two, mine.</p>"


def test_a_refused_stale_save_offers_a_merge_that_keeps_their_mark_and_saves(
    client: Client, world: World, section: Section
):
    theirs = services.section_save(
        section_id=section.pk, body='<p>One <span class="redaction">Ward 7</span>.</p><p>Two.</p><p>Three.</p>',
        base_version=1, actor=world.panel,
    )  # fmt: skip
    client.force_login(world.chair)
    url = reverse("reports:section_edit", args=[section.document.review_id, section.document_id, section.pk])
    mine = "<p>One Ward 7, mine.</p><p>Two.</p><p>Three.</p>"
    response = client.post(url, {"body": mine, "base_version": 1}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    merged = response.json()["merged"]
    assert merged.count('<span class="redaction">Ward 7</span>') == 2
    saved = services.section_save(section_id=section.pk, body=merged, base_version=theirs.version, actor=world.chair)
    assert saved.version == 3


# Restores


def test_restoring_a_version_from_before_a_redaction_keeps_the_mark(redacted: Section, world: World):
    before = redacted.revisions.get(version=1)
    unmarked = services.section_save(
        section_id=redacted.pk, body=f"<p>She lived at {ADDRESS}.</p>", base_version=2, actor=world.chair,
        unredacted=[ADDRESS],
    )  # fmt: skip
    remarked = _save(unmarked, world, f'<p>She lived at <span class="redaction">{ADDRESS}</span>.</p>')
    old = SectionRevision.objects.get(section=redacted, version=3)  # the unmarked one
    restored = services.section_restore(section=remarked, revision=old, base_version=4, actor=world.chair)
    assert restored.body == f'<p>She lived at <span class="redaction">{ADDRESS}</span>.</p>'
    assert restored.revisions.get(version=5).note == "Restored version 3 (redactions made since are kept)"
    plain = services.section_restore(section=restored, revision=before, base_version=5, actor=world.chair)
    assert plain.revisions.get(version=6).note == "Restored version 1"


def test_the_history_page_says_a_restore_kept_the_marks(client: Client, redacted: Section, world: World):
    mentioned = _save(redacted, world, REDACTED.replace("Two.", "Two, at Ward 7."))
    _save(mentioned, world, REDACTED.replace("Two.", 'Two, at <span class="redaction">Ward 7</span>.'))
    client.force_login(world.chair)
    old = redacted.revisions.get(version=3)
    args = [redacted.document.review_id, redacted.document_id, redacted.pk, old.pk]
    response = client.post(reverse("reports:revision_restore", args=args), {"base_version": 4}, follow=True)
    assert "Version 3 restored as version 5. Passages redacted since then are still redacted." in (
        response.content.decode()
    )
    redacted.refresh_from_db()
    assert redacted.body == REDACTED.replace("Two.", 'Two, at <span class="redaction">Ward 7</span>.')


# The editor's requests


def _edit(client: Client, section: Section, data: dict, **headers):
    url = reverse("reports:section_edit", args=[section.document.review_id, section.document_id, section.pk])
    return client.post(url, {"base_version": section.version, **data}, **headers)


def test_a_refused_autosave_answers_with_the_passages_to_confirm(client: Client, redacted: Section, world: World):
    client.force_login(world.chair)
    body = f"<p>She lived at {ADDRESS} until 2019.</p><p>Two.</p>"
    refused = _edit(client, redacted, {"body": body, "autosave": "1"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    assert refused.json()["unredacted"] == [ADDRESS] and ADDRESS in refused.json()["error"]
    saved = _edit(client, redacted, {"body": body, "unredacted": ADDRESS}, HTTP_ACCEPT="application/json")
    assert saved.status_code == 200 and saved.json()["version"] == 3


def test_the_plain_form_offers_a_box_to_confirm_a_mark_taken_off(client: Client, redacted: Section, world: World):
    client.force_login(world.chair)
    body = f"<p>She lived at {ADDRESS} until 2019.</p><p>Two.</p>"
    refused = _edit(client, redacted, {"body": body})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert f'name="unredacted" value="{ADDRESS}"' in page
    assert f"I took the redaction off “{ADDRESS}” on purpose" in page
    _unchanged(redacted, REDACTED, 2)
    assert _edit(client, redacted, {"body": body, "unredacted": ADDRESS}).status_code == 302


def test_taking_the_mark_off_and_touching_the_wording_in_one_save_is_refused(section: Section, world: World):
    old = '<p>At <span class="redaction">Flat 3, 12 Elm Road, Northtown</span> then.</p>'
    section = services.section_save(section_id=section.pk, body=old, base_version=section.version, actor=world.chair)
    with pytest.raises(services.RedactionDropped):
        services.section_save(
            section_id=section.pk, body="<p>At Flat 3, 12 Elm Rd, Northtown then.</p>",
            base_version=section.version, actor=world.chair,
        )  # fmt: skip


def test_saying_one_passage_was_unmarked_does_not_release_a_word_inside_another_word_of_it(
    section: Section, world: World
):
    old = (
        '<p>Seen by <span class="redaction">Ann</span>. '
        'Then <span class="redaction">Joanne Marsh at the shop</span>.</p>'
    )
    section = services.section_save(section_id=section.pk, body=old, base_version=section.version, actor=world.chair)
    with pytest.raises(services.RedactionDropped) as refused:
        services.section_save(
            section_id=section.pk, body="<p>Seen by Ann. Then Joanne Marsh at the shop.</p>",
            base_version=section.version, actor=world.chair, unredacted=["Joanne Marsh at the shop"],
        )  # fmt: skip
    assert [passage.text for passage in refused.value.passages] == ["Ann"]


def test_common_words_of_a_redacted_passage_may_be_written_elsewhere(section: Section, world: World):
    old = '<p><span class="redaction">The family shared information about a private medical matter.</span></p>'
    section = services.section_save(section_id=section.pk, body=old, base_version=section.version, actor=world.chair)
    saved = services.section_save(
        section_id=section.pk, body=old + "<p>The family read the report before it was published.</p>",
        base_version=section.version, actor=world.chair,
    )  # fmt: skip
    assert "The family read the report" in saved.body


# The guard judged on the blocks a save changed says what the whole texts would say


def _dropped_on_the_whole_texts(old: str, new: str) -> list[str]:
    """The guard as it was first written: every count over both whole texts."""
    from reports.redactions import _counts, _exposed_pairs, _marked, _telling_pairs, passages
    from reports.richtext import tokens

    if "redaction" not in old:
        return []
    old_marked, new_marked = _marked(tokens(old)), _marked(tokens(new))
    old_pairs, new_pairs = _exposed_pairs(old_marked), _exposed_pairs(new_marked)
    dropped = []
    for passage in passages(old):
        covered_before, exposed_before = _counts(old_marked, passage.key)
        covered_after, exposed_after = _counts(new_marked, passage.key)
        if exposed_after and (exposed_after > exposed_before or covered_after < covered_before):
            dropped.append(passage.text)
        elif any(new_pairs[pair] > old_pairs[pair] for pair in _telling_pairs(passage.key)):
            dropped.append(passage.text)
    return dropped


_PIECES = [
    "She lived at ", '<span class="redaction">14 Acacia Avenue</span>', "14 Acacia Avenue", " until 2019. ",
    '<span class="redaction">Ann</span>', "Annual review. ", "Ann ", "<strong>Acacia</strong> Avenue ",
    '<span class="redaction">Elm <em>Road</em></span>', "Elm Rd ", "Elm Road ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 9), st.lists(st.sampled_from(_PIECES), max_size=4)), max_size=4),
)
def test_the_guard_on_changed_blocks_agrees_with_the_guard_on_whole_texts(paragraphs, edits):
    old = richtext.sanitise("".join(f"<p>{''.join(parts)}</p>" for parts in paragraphs))
    changed = list(paragraphs)
    for index, parts in edits:  # a paragraph rewritten, removed or added
        if index < len(changed):
            changed[index] = parts
        else:
            changed.append(parts or ["New."])
    new = richtext.sanitise("".join(f"<p>{''.join(parts)}</p>" for parts in changed if parts))
    assert [passage.text for passage in redactions.redactions_dropped(old, new)] == _dropped_on_the_whole_texts(
        old, new
    )
