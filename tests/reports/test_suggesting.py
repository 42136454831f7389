"""Panel members suggest: the editor opens in suggesting mode for them, and every save of theirs
changes nothing but their own tracked changes and comment anchors; the chairs hear of new
suggestions at most once an hour per person and section; no output shows a pending suggestion."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import discussion_services, services, suggesting
from reports.compose import document_compose
from reports.models import Section
from reports.publication_check import publication_check
from reviews.models import AuditEntry, Notification
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory

BASE = "<p>One.</p><p>Two.</p><p>Three.</p>"  # the section fixture's text, at version 1


def _change(user, cid: str = "change-0001") -> str:
    return f'data-change="{cid}" data-author="{user.pk}" data-time="2026-12-03T20:45:00Z"'


def _suggest(section: Section, user, body: str) -> Section:
    section.refresh_from_db()
    return services.section_save(
        section_id=section.pk, body=body, base_version=section.version, actor=user, suggest_only=True
    )


def _edit_url(section: Section) -> str:
    return reverse("reports:section_edit", args=[section.document.review_id, section.document_id, section.pk])


def test_a_panel_member_saves_insertions_deletions_and_format_changes_of_their_own(section: Section, world: World):
    p = world.panel
    body = (
        f"<p>One<ins {_change(p)}> more</ins>.</p><p><del {_change(p, 'change-0002')}>Two.</del></p>"
        f'<p><span {_change(p, "change-0003")} data-format="+strong">Three.</span></p>'
        f"<p {_change(p, 'change-0004')}><ins {_change(p, 'change-0004')}>Four.</ins></p>"
    )
    saved = _suggest(section, p, body)
    assert saved.version == 2 and saved.body == body
    assert AuditEntry.objects.filter(action="section.saved", object_id=str(section.pk), actor=p).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<p>One!</p><p>Two.</p><p>Three.</p>", "paragraph 1 (“One!”) is changed outside a suggestion"),
        ("<p>One.</p><p>Three.</p>", "paragraph 2 (“Three.”) is changed outside a suggestion"),
        (BASE + "<p>Four.</p>", "paragraph 4 (“Four.”) is added outside a suggestion"),
        ("<p>One.</p><p>Two.</p>", "paragraph 3 (“Three.”) is removed outside a suggestion"),
    ],
)
def test_a_panel_members_direct_change_is_refused_naming_where_and_nothing_is_written(
    section: Section, world: World, body: str, message: str
):
    with pytest.raises(ValidationError, match=re.escape(message)):
        _suggest(section, world.panel, body)
    section.refresh_from_db()
    assert section.version == 1 and section.body == BASE


def test_a_panel_member_cannot_suggest_in_someone_elses_name(section: Section, world: World):
    with pytest.raises(ValidationError, match="change-0001 is marked as made by someone else"):
        _suggest(section, world.panel, f"<p>One<ins {_change(world.chair)}> more</ins>.</p><p>Two.</p><p>Three.</p>")
    section.refresh_from_db()
    assert section.version == 1


def test_a_panel_member_takes_back_their_own_suggestion_but_not_anothers(section: Section, world: World):
    other = MembershipFactory(review=world.review, role="panel", user=UserFactory(username="other")).user
    mine = f"<ins {_change(world.panel)}> mine</ins>"
    theirs = f"<ins {_change(other, 'change-0002')}> theirs</ins>"
    _suggest(section, world.panel, f"<p>One{mine}.</p><p>Two.</p><p>Three.</p>")
    _suggest(section, other, f"<p>One{mine}.</p><p>Two{theirs}.</p><p>Three.</p>")
    with pytest.raises(ValidationError, match=f"takes out a change suggested by {other.display_name}"):
        _suggest(section, world.panel, f"<p>One{mine}.</p><p>Two.</p><p>Three.</p>")
    retagged = theirs.replace(f'data-author="{other.pk}"', f'data-author="{world.panel.pk}"')
    with pytest.raises(ValidationError, match="marked as made by someone else"):
        _suggest(section, world.panel, f"<p>One{mine}.</p><p>Two{retagged}.</p><p>Three.</p>")
    saved = _suggest(section, world.panel, f"<p>One.</p><p>Two{theirs}.</p><p>Three.</p>")
    assert saved.version == 4


def test_the_chair_accepts_one_suggestion_and_rejects_another_by_saving(section: Section, world: World):
    p = world.panel
    deleted = f"<del {_change(p, 'change-0002')}>Two.</del>"
    _suggest(section, p, f"<p>One<ins {_change(p)}> more</ins>.</p><p>{deleted}</p><p>Three.</p>")
    section.refresh_from_db()
    # Accepting the insertion (its text stays, its mark goes); rejecting the deletion (its text stays).
    accepted = services.section_save(
        section_id=section.pk, body="<p>One more.</p><p>Two.</p><p>Three.</p>", base_version=section.version,
        actor=world.chair, suggest_only=False,
    )  # fmt: skip
    assert accepted.body == "<p>One more.</p><p>Two.</p><p>Three.</p>" and accepted.version == 3


def test_a_comment_anchor_is_not_a_change_to_the_text(section: Section, world: World):
    anchor = "0f8fad5b-d9cb-469f-a165-70867728950e"
    saved = _suggest(section, world.panel, f'<p>One.</p><p><span data-comment="{anchor}">Two.</span></p><p>Three.</p>')
    assert saved.version == 2
    assert not Notification.objects.exists()  # an anchor is no suggestion


def test_the_chairs_hear_of_suggestions_once_an_hour_for_each_person_and_section(
    section: Section, world: World, monkeypatch
):
    other = MembershipFactory(review=world.review, role="panel", user=UserFactory(username="other")).user
    first = f"<ins {_change(world.panel)}> zqxj</ins>"
    _suggest(section, world.panel, f"<p>One{first}.</p><p>Two.</p><p>Three.</p>")
    second = f"<ins {_change(world.panel, 'change-0002')}> more</ins>"
    _suggest(section, world.panel, f"<p>One{first}.</p><p>Two{second}.</p><p>Three.</p>")
    assert Notification.objects.count() == 1  # the same person within the hour: told once
    third = f"<ins {_change(other, 'change-0003')}> theirs</ins>"
    _suggest(section, other, f"<p>One{first}.</p><p>Two{second}.</p><p>Three{third}.</p>")
    assert Notification.objects.count() == 2  # another person
    later = timezone.now() + datetime.timedelta(minutes=61)  # the audit trail is append-only: the clock moves
    monkeypatch.setattr(suggesting, "timezone", SimpleNamespace(now=lambda: later))
    fourth = f"<ins {_change(world.panel, 'change-0004')}> later</ins>"
    _suggest(section, world.panel, f"<p>One{first}{fourth}.</p><p>Two{second}.</p><p>Three{third}.</p>")
    sent = list(Notification.objects.order_by("pk"))
    assert len(sent) == 3 and {n.recipient for n in sent} == {world.chair}
    assert sent[0].subject == "NDHR-01: suggested changes to Introduction"
    assert world.panel.display_name in sent[0].body and "zqxj" not in sent[0].body  # never the text


def test_no_version_of_the_document_shows_a_pending_insertion_with_a_real_name(section: Section, world: World):
    name = world.person.real_name  # "Susan Marsh", on the person register
    body = f"<p>One.<ins {_change(world.panel)}> {name} was told.</ins></p><p>Two.</p><p>Three.</p>"
    _suggest(section, world.panel, body)
    document = section.document
    for publication in (False, True):
        composed = document_compose(document, publication=publication)
        shown = " ".join(block.html for part in composed.sections for block in part.blocks)
        assert "Susan" not in shown and "Marsh" not in shown and "was told" not in shown
        assert "One." in shown
    check = publication_check(document)
    assert not [finding for finding in check.blocking if "Marsh" in finding.message()]


def test_the_editor_opens_in_suggesting_mode_for_the_panel_with_who_made_each_change(
    client: Client, section: Section, world: World
):
    _suggest(section, world.panel, f"<p>One<ins {_change(world.panel)}> more</ins>.</p><p>Two.</p><p>Three.</p>")
    client.force_login(world.chair)
    page = client.get(_edit_url(section))
    assert page.context["suggest_only"] is False
    assert page.context["authors"] == {
        str(world.chair.pk): world.chair.display_name,
        str(world.panel.pk): world.panel.display_name,
    }
    client.force_login(world.panel)
    page = client.get(_edit_url(section))
    assert page.context["suggest_only"] is True
    assert page.context["authors"] == {str(world.panel.pk): world.panel.display_name}


def test_a_panel_members_refused_save_answers_the_editor_with_why(client: Client, section: Section, world: World):
    client.force_login(world.panel)
    response = client.post(
        _edit_url(section),
        {"body": "<p>One!</p><p>Two.</p><p>Three.</p>", "base_version": 1, "autosave": "1", "save_id": "a" * 12},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "paragraph 1 (“One!”) is changed outside a suggestion" in response.json()["error"]


# Comments pinned to a passage


ANCHOR = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_a_comment_is_pinned_by_its_anchor_and_says_when_its_passage_was_removed(
    client: Client, section: Section, world: World
):
    args = [world.review.pk, section.document_id, section.pk]
    client.force_login(world.panel)
    response = client.post(
        reverse("reports:comment_add", args=args),
        {"text": "Which visit?", "quote": "Two.", "anchor": ANCHOR},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["anchor"] == ANCHOR
    _suggest(section, world.panel, f'<p>One.</p><p><span data-comment="{ANCHOR}">Two.</span></p><p>Three.</p>')
    page = client.get(reverse("reports:section", args=args)).content.decode()
    assert "“Two.”" in page and "Which visit?" in page and "The passage was removed." not in page
    section.refresh_from_db()
    services.section_save(
        section_id=section.pk, body="<p>One.</p><p>Three.</p>", base_version=section.version, actor=world.chair
    )
    page = client.get(reverse("reports:section", args=args)).content.decode()
    assert "“Two.”" in page and "Which visit?" in page and "The passage was removed." in page


@pytest.mark.parametrize("anchor", ["not-a-uuid", ANCHOR.upper(), "0f8fad5b-d9cb-169f-a165-70867728950e"])
def test_a_comment_anchor_that_is_not_one_is_refused_and_nothing_is_posted(section: Section, world: World, anchor: str):
    with pytest.raises(ValidationError, match="mark the editor sent is not valid"):
        discussion_services.comment_add(section=section, actor=world.panel, text="Hm.", anchor=anchor)
    assert not section.comments.exists()


def test_one_anchor_pins_one_comment_and_a_reply_has_none(section: Section, world: World):
    thread = discussion_services.comment_add(section=section, actor=world.panel, text="Hm.", anchor=ANCHOR)
    with pytest.raises(ValidationError, match="already another comment's"):
        discussion_services.comment_add(section=section, actor=world.chair, text="Also.", anchor=ANCHOR)
    reply = discussion_services.comment_add(
        section=section, actor=world.chair, text="Yes.", parent=thread, anchor=ANCHOR
    )
    assert str(thread.anchor) == ANCHOR and reply.anchor is None


def test_a_panel_members_conflicting_save_merges_their_suggestions_only_as_suggestions(
    client: Client, section: Section, world: World
):
    p = world.panel
    services.section_save(
        section_id=section.pk, body="<p>One.</p><p>Two, the chair's.</p><p>Three.</p>", base_version=1,
        actor=world.chair,
    )  # fmt: skip
    client.force_login(p)
    elsewhere = f"<p>One<ins {_change(p)}> more</ins>.</p><p>Two.</p><p>Three.</p>"
    response = client.post(_edit_url(section), {"body": elsewhere, "base_version": 1}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    merged = response.json()["merged"]
    assert merged == f"<p>One<ins {_change(p)}> more</ins>.</p><p>Two, the chair's.</p><p>Three.</p>"
    assert _suggest(section, p, merged).version == 3  # the merge is a suggestion the panel member may save

    same = f"<p>One.</p><p>Two<ins {_change(p, 'change-0002')}> too</ins>.</p><p>Three.</p>"
    response = client.post(_edit_url(section), {"body": same, "base_version": 1}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    section.refresh_from_db()
    assert response.json()["merged"] == section.body  # their version, to suggest on again
    assert "cannot be merged as suggestions" in response.json()["conflict"]
    assert "Save my text over theirs" not in response.json()["conflict"]


def test_white_space_the_editor_reads_differently_is_not_a_change(section: Section, world: World):
    """Text stored before the editor wrote it, with two spaces running or one at a paragraph's
    edge, comes back from the editor with one space and none at the edge: not a change of the
    panel member's."""
    services.section_save(section_id=section.pk, body="<p> One,  two.</p><p>Three. </p>",
                          base_version=section.version, actor=world.chair)  # fmt: skip
    saved = _suggest(section, world.panel, f"<p>One, two<ins {_change(world.panel)}> more</ins>.</p><p>Three.</p>")
    assert "more</ins>" in saved.body
    with pytest.raises(ValidationError, match="outside a suggestion"):
        _suggest(section, world.panel, "<p>One, two, more.</p><p>Three.</p>")  # a word is still a change
