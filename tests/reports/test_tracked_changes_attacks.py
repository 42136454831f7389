"""A panel member posting crafted text to the section editor: nothing but their own tracked
changes and comment anchors may change, other people's suggestions stay as they made them, and
no output shows a pending suggestion."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reports import discussion_services, richtext, services
from reports.compose import document_compose
from reports.models import Section
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory

T = "2026-12-03T20:45:00Z"


def _change(user, cid: str) -> str:
    return f'data-change="{cid}" data-author="{user.pk}" data-time="{T}"'


def _save(section: Section, user, body: str, *, suggest_only: bool = True) -> Section:
    section.refresh_from_db()
    return services.section_save(
        section_id=section.pk, body=body, base_version=section.version, actor=user, suggest_only=suggest_only
    )


def _post(client: Client, section: Section, user, body: str):
    section.refresh_from_db()
    client.force_login(user)
    url = reverse("reports:section_edit", args=[section.document.review_id, section.document_id, section.pk])
    return client.post(
        url, {"body": body, "base_version": section.version, "autosave": "1", "save_id": "probe-save-01"},
        HTTP_ACCEPT="application/json",
    )  # fmt: skip


def _other(world: World):
    return MembershipFactory(review=world.review, role="panel", user=UserFactory(username="other")).user


def _shown(section: Section, publication: bool) -> str:
    composed = document_compose(section.document, publication=publication)
    return " ".join(block.html for part in composed.sections for block in part.blocks)


# Someone else's suggestion stays as they made it


def test_a_panel_member_cannot_rewrite_the_words_of_someone_elses_insertion(
    client: Client, section: Section, world: World
):
    other = _other(world)
    _save(section, other, f"<p>One<ins {_change(other, 'theirs-01')}> was helped</ins>.</p><p>Two.</p><p>Three.</p>")
    forged = f"<p>One<ins {_change(other, 'theirs-01')}> was failed by every agency</ins>.</p><p>Two.</p><p>Three.</p>"
    response = _post(client, section, world.panel, forged)
    assert response.status_code == 400
    section.refresh_from_db()
    assert "was helped" in section.body and "failed" not in section.body


def test_a_panel_member_cannot_add_words_to_someone_elses_change_by_its_id(section: Section, world: World):
    other = _other(world)
    _save(section, other, f"<p>One<ins {_change(other, 'theirs-01')}> more</ins>.</p><p>Two.</p><p>Three.</p>")
    forged = (
        f"<p>One<ins {_change(other, 'theirs-01')}> more</ins>.</p>"
        f"<p>Two<ins {_change(other, 'theirs-01')}> (the chair agrees)</ins>.</p><p>Three.</p>"
    )
    with pytest.raises(ValidationError):
        _save(section, world.panel, forged)


def test_a_panel_member_cannot_give_their_change_someone_elses_id(section: Section, world: World):
    """Two elements of one change id with different authors: each is checked, not only the last."""
    other = _other(world)
    _save(section, other, f"<p>One<ins {_change(other, 'theirs-01')}> more</ins>.</p><p>Two.</p><p>Three.</p>")
    mine_first = (
        f"<p><ins {_change(world.panel, 'theirs-01')}>Also </ins>One<ins {_change(other, 'theirs-01')}> more</ins>.</p>"
        "<p>Two.</p><p>Three.</p>"
    )
    with pytest.raises(ValidationError, match="theirs-01 is marked as made by someone else"):
        _save(section, world.panel, mine_first)


def test_a_panel_member_cannot_take_out_someone_elses_deletion_by_keeping_an_empty_one(section: Section, world: World):
    other = _other(world)
    _save(section, other, f"<p>One.</p><p><del {_change(other, 'theirs-01')}>Two.</del></p><p>Three.</p>")
    emptied = f"<p>One.</p><p>Two.<del {_change(other, 'theirs-01')}></del></p><p>Three.</p>"
    with pytest.raises(ValidationError):
        _save(section, world.panel, emptied)


def test_words_that_look_like_a_change_are_not_one(section: Section, world: World):
    """Text (inside the panel member's own insertion) spelling out another's change's attributes
    does not stand in for that change when the change itself is taken out."""
    other = _other(world)
    _save(section, other, f"<p>One.</p><p><del {_change(other, 'theirs-01')}>Two.</del></p><p>Three.</p>")
    spelled = f'<ins {_change(world.panel, "mine-0001")}> data-change="theirs-01" data-author="{other.pk}"</ins>'
    with pytest.raises(ValidationError, match="takes out a change suggested by"):
        _save(section, world.panel, f"<p>One.{spelled}</p><p>Two.</p><p>Three.</p>")


def test_text_that_spells_a_change_is_not_pending(section: Section, world: World):
    saved = _save(section, world.chair, '<p>The attribute data-change="x" is HTML.</p>', suggest_only=False)
    assert not richtext.has_pending(saved.body)


# Outputs


def test_a_name_in_a_pending_deletion_is_published_so_the_check_finds_it(section: Section, world: World):
    _save(section, world.chair, "<p>One.</p><p>Susan Marsh was told.</p>", suggest_only=False)
    body = f"<p>One.</p><p><del {_change(world.panel, 'mine-0001')}>Susan Marsh was told.</del></p>"
    _save(section, world.panel, body)
    assert "Susan Marsh" in _shown(section, publication=False)
    assert "Susan Marsh" not in _shown(section, publication=True)


def test_a_panel_members_insertion_inside_a_redaction_is_redacted_once_accepted(section: Section, world: World):
    _save(section, world.chair, '<p>One <span class="redaction">secret words</span>.</p>', suggest_only=False)
    inside = (
        f'<p>One <span class="redaction">secret<ins {_change(world.panel, "mine-0001")}> more</ins> words</span>.</p>'
    )
    _save(section, world.panel, inside)
    assert "[Redacted]" in _shown(section, publication=True) and "secret" not in _shown(section, publication=True)
    _save(section, world.chair, '<p>One <span class="redaction">secret more words</span>.</p>', suggest_only=False)
    shown = _shown(section, publication=True)
    assert "[Redacted]" in shown and "secret" not in shown and "more" not in shown


def test_a_pending_deletion_of_a_redacted_passage_stays_redacted(section: Section, world: World):
    _save(section, world.chair, '<p>One <span class="redaction">secret words</span>.</p>', suggest_only=False)
    deleted = f'<p>One <del {_change(world.panel, "mine-0001")}><span class="redaction">secret words</span></del>.</p>'
    _save(section, world.panel, deleted)
    shown = _shown(section, publication=True)
    assert "[Redacted]" in shown and "secret" not in shown
    _save(section, world.chair, "<p>One .</p>", suggest_only=False)  # accepted
    assert "secret" not in _shown(section, publication=True)


def test_a_redacted_passage_copied_into_a_pending_insertion_is_refused(section: Section, world: World):
    _save(section, world.chair, '<p>One <span class="redaction">secret words</span>.</p>', suggest_only=False)
    copied = (
        f'<p>One <span class="redaction">secret words</span>.<ins {_change(world.panel, "mine-0001")}> '
        "secret words</ins></p>"
    )
    with pytest.raises(ValidationError):
        _save(section, world.panel, copied)


def test_a_panel_member_cannot_confirm_redacted_wording_into_a_suggestion(
    client: Client, section: Section, world: World
):
    """Confirmed, the chair's accepting the insertion would publish the wording with no warning
    (the text before already had it outside a mark)."""
    _save(section, world.chair, '<p>One <span class="redaction">secret words</span>.</p>', suggest_only=False)
    copied = (
        f'<p>One <span class="redaction">secret words</span>.<ins {_change(world.panel, "mine-0001")}> '
        "secret words</ins></p>"
    )
    with pytest.raises(ValidationError, match="is redacted"):
        section.refresh_from_db()
        services.section_save(
            section_id=section.pk, body=copied, base_version=section.version, actor=world.panel, suggest_only=True,
            unredacted=["secret words"],
        )  # fmt: skip
    section.refresh_from_db()
    client.force_login(world.panel)
    url = reverse("reports:section_edit", args=[section.document.review_id, section.document_id, section.pk])
    posted = {"body": copied, "base_version": section.version, "unredacted": "secret words", "save_id": "probe-save-02"}
    response = client.post(url, posted, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["unredacted"] == []
    section.refresh_from_db()
    assert "<ins" not in section.body
    redacted = f'<ins {_change(world.panel, "mine-0001")}> <span class="redaction">secret words</span></ins>'
    _save(section, world.panel, f'<p>One <span class="redaction">secret words</span>.{redacted}</p>')  # redacted again


# Sanitiser


@pytest.mark.parametrize(
    "attack",
    [
        '<ins data-change="x<script>" data-author="1" data-time="{T}">a</ins>',
        '<span data-change="abcdefgh" data-author="1" data-time="{T}" data-format="+strong onclick=alert(1)">a</span>',
        '<span data-comment="javascript:alert(1)">a</span>',
        '<p data-change="abcdefgh" data-author="1" data-time="{T}" onclick="x" style="color:red">a</p>',
        '<a href="javascript:alert(1)" data-change="abcdefgh">a</a>',
        '<td data-change="abcdefgh" data-author="1" data-time="{T}">a</td>',
    ],
)
def test_no_script_survives_the_tracked_markup(attack: str):
    clean = richtext.sanitise(attack.replace("{T}", T))
    for bad in ("script", "onclick", "javascript", "style", "<td data-change", '<a href="javascript'):
        assert bad not in clean


def test_a_save_with_five_thousand_tracked_changes_keeps_them_all(section: Section, world: World):
    p = world.panel
    paragraphs = "".join(f"<p>Para {i}.</p>" for i in range(5000))
    _save(section, world.chair, paragraphs, suggest_only=False)
    suggested = "".join(f"<p>Para {i}.<ins {_change(p, f'change-{i:05d}')}> more</ins></p>" for i in range(5000))
    saved = _save(section, p, suggested)  # its time: bench/bench_tracked_changes.py
    assert saved.body.count("<ins ") == 5000 and "change-04999" in saved.body


def test_a_save_beside_five_thousand_of_someone_elses_changes_keeps_theirs_and_mine(section: Section, world: World):
    theirs = "".join(f"<p>Para {i}.<ins {_change(world.chair, f'change-{i:05d}')}> more</ins></p>" for i in range(5000))
    _save(section, world.chair, theirs, suggest_only=False)
    mine = theirs.replace("<p>Para 17.", f"<p>Para 17.<del {_change(world.panel, 'mine-0001')}>x</del>")
    mine = mine.replace("Para 17.<del", "Para 17<del").replace(">x</del>", ">.</del>")
    saved = _save(section, world.panel, mine)  # its time: bench/bench_tracked_changes.py
    assert saved.body.count("<ins ") == 5000 and saved.body.count("mine-0001") == 1


# What the editor makes of a panel member's work on someone else's suggestion is still saved


@pytest.mark.parametrize(
    "theirs_then_mine",
    [
        # Typing inside another's insertion splits it around the panel member's own.
        (
            "<p>One<ins {O1}> big dog</ins>.</p>",
            "<p>One<ins {O1}> big</ins><ins {M1}> brown</ins><ins {O1}> dog</ins>.</p>",
        ),
        # Deleting from it strikes the words through, inside or around it.
        ("<p>One<ins {O1}> big dog</ins>.</p>", "<p>One<ins {O1}> big</ins><ins {O1}><del {M1}> dog</del></ins>.</p>"),
        ("<p>One<ins {O1}> big dog</ins>.</p>", "<p>One<ins {O1}> big</ins><del {M1}><ins {O1}> dog</ins></del>.</p>"),
        # A comment on it, and a suggested format change of its words.
        (
            "<p>One<ins {O1}> big dog</ins>.</p>",
            '<p>One<ins {O1}> <span data-comment="0f8fad5b-d9cb-469f-a165-70867728950e">big</span> dog</ins>.</p>',
        ),
        # Typing in another's inserted paragraph.
        (
            "<p>One.</p><p {O1}><ins {O1}>New.</ins></p>",
            "<p>One.</p><p {O1}><ins {O1}>New.</ins><ins {M1}> Yes.</ins></p>",
        ),
        # Their suggestion untouched, mine elsewhere.
        (
            "<p>One<ins {O1}> big dog</ins>.</p><p>Two.</p>",
            "<p>One<ins {O1}> big dog</ins>.</p><p>Two.<ins {M1}> Yes.</ins></p>",
        ),
    ],
)
def test_the_panel_members_own_suggestions_on_someone_elses_are_saved(
    section: Section, world: World, theirs_then_mine: tuple[str, str]
):
    other = _other(world)
    fill = {"O1": _change(other, "theirs-01"), "M1": _change(world.panel, "mine-0001")}
    theirs, mine = (text.format(**fill) + ("" if "Two" in text else "<p>Two.</p>") for text in theirs_then_mine)
    _save(section, world.chair, "<p>One.</p><p>Two.</p>", suggest_only=False)
    _save(section, other, theirs)
    saved = _save(section, world.panel, mine)
    assert saved.body == richtext.sanitise(mine)


def test_a_pending_insertion_in_a_table_cell_or_citing_an_entry_is_in_no_output(section: Section, world: World):
    _save(
        section, world.chair, "<table><tbody><tr><td>Agency</td><td>Seen</td></tr></tbody></table>", suggest_only=False
    )
    mine = _change(world.panel, "mine-0001")
    body = (
        f"<table><tbody><tr><td>Agency<ins {mine}> Susan Marsh</ins></td><td>Seen</td></tr></tbody></table>"
        f"<p {mine}><ins {mine}>Compare [[imr:{world.imr_b.pk}]].</ins></p>"
    )
    _save(section, world.panel, body)
    for publication in (False, True):
        composed = document_compose(section.document, publication=publication)
        shown = " ".join(block.html for part in composed.sections for block in part.blocks)
        assert "Susan" not in shown and "Marsh" not in shown and "Compare" not in shown and "<td>Agency</td>" in shown
        assert not composed.footnotes


def test_the_editor_names_only_people_of_the_review_as_authors_of_changes(
    client: Client, section: Section, world: World
):
    """A change claiming an author from another partnership (written by a chair, or pasted) does
    not make the editor page show that person's name."""
    stranger = world.other_board_admin
    _save(section, world.chair, f"<p>One<ins {_change(stranger, 'strange-1')}> x</ins>.</p>", suggest_only=False)
    client.force_login(world.chair)
    page = client.get(
        reverse("reports:section_edit", args=[section.document.review_id, section.document_id, section.pk])
    )
    assert str(stranger.pk) not in page.context["authors"]


def test_words_spelling_a_comments_mark_do_not_keep_it_pinned(client: Client, section: Section, world: World):
    anchor = "0f8fad5b-d9cb-469f-a165-70867728950e"
    discussion_services.comment_add(
        section=section, actor=world.panel, text="Which visit?", quote="Two.", anchor=anchor
    )
    _save(section, world.panel, f'<p>One.</p><p><span data-comment="{anchor}">Two.</span></p><p>Three.</p>')
    _save(section, world.chair, f'<p>One.</p><p>It read data-comment="{anchor}" once.</p>', suggest_only=False)
    client.force_login(world.chair)
    page = client.get(reverse("reports:section", args=[world.review.pk, section.document_id, section.pk]))
    assert "The passage was removed." in page.content.decode()


def test_accepting_a_suggestion_that_holds_wording_redacted_since_asks_the_chair_first(section: Section, world: World):
    """The suggestion came first, the redaction of the same wording elsewhere after it: the
    chair's accepting it would publish the wording, so the save asks, as taking a mark off does."""
    ins = f"<ins {_change(world.panel, 'mine-0001')}> She lived at 12 Elm Road.</ins>"
    _save(section, world.chair, "<p>One.</p><p>Two.</p>", suggest_only=False)
    _save(section, world.panel, f"<p>One.</p><p>Two.{ins}</p>")
    _save(section, world.chair, f'<p>One, <span class="redaction">12 Elm Road</span>.</p><p>Two.{ins}</p>',
          suggest_only=False)  # fmt: skip
    accepting = '<p>One, <span class="redaction">12 Elm Road</span>.</p><p>Two. She lived at 12 Elm Road.</p>'
    with pytest.raises(services.RedactionDropped) as refused:
        _save(section, world.chair, accepting, suggest_only=False)
    assert [passage.key for passage in refused.value.passages] == ["12 elm road"]
    section.refresh_from_db()
    assert "<ins" in section.body  # nothing saved
    # Rejecting it, or redacting the wording as it is accepted, is saved without a word.
    mark = '<span class="redaction">12 Elm Road</span>'
    redacted = f"<p>One, {mark}.</p><p>Two. She lived at {mark}.</p>"
    assert "<ins" not in _save(section, world.chair, redacted, suggest_only=False).body
