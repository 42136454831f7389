"""Data blocks: a [[data:NAME]] paragraph renders what the review holds, through the composer
(numbering, publication replacement, checks) in the panel and publication versions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from actions.models import Recommendation
from chronology.models import IntegratedChronology, IntegratedEntry, KeyEpisode
from reports import data_blocks, render, services
from reports.compose import document_compose
from reports.models import Section
from reports.publication_check import publication_check
from reports.richtext import sanitise
from reports.suggesting import suggestion_check
from reviews.models import Imr, KeyLineOfEnquiry, ReviewMembership
from tests.conftest import World
from tests.factories import AgencyFactory, ImrFactory, UserFactory


def _save(section: Section, world: World, body: str) -> Section:
    return services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=world.chair)


def _blocks(section: Section, *, publication: bool = False):
    composed = document_compose(section.document, publication=publication)
    return composed, composed.sections[0].blocks


def _episode(world: World, review=None, **kwargs) -> KeyEpisode:
    return KeyEpisode.objects.create(
        review=review or world.review,
        title=kwargs.get("title", "The first key episode"),
        start=kwargs.get("start", datetime.date(2021, 4, 1)),
        end=kwargs.get("end", datetime.date(2021, 5, 31)),
    )


def _chronology(review, rows: list[tuple[datetime.date, str, str, str]]) -> IntegratedChronology:
    agency = AgencyFactory(partnership=review.partnership, name="Northshire Ambulance Service")
    chronology = IntegratedChronology.objects.create(review=review, version=1, status=IntegratedChronology.Status.READY)
    for seq, (day, display, event, details) in enumerate(rows, start=1):
        IntegratedEntry.objects.create(
            chronology=chronology, seq=seq, source_id=seq, agency_id=agency.pk, agency_name=agency.name,
            position=seq, date_start=day, date_end=day, precision="day", date_display=display, event=event,
            details=details,
        )  # fmt: skip
    return chronology


def test_panel_lists_the_chair_and_members_with_their_roles(section: Section, world: World):
    ReviewMembership.objects.filter(review=world.review, user=world.panel).update(panel_role="Detective Inspector")
    world.chair.first_name, world.chair.last_name = "Alex", "Morgan"
    world.chair.save()
    section = _save(section, world, "<p>The panel:</p><p>[[data:panel]]</p><p>After.</p>")
    composed, blocks = _blocks(section)
    assert [b.tag for b in blocks] == ["p", "table", "p"]
    table = blocks[1].html
    assert "<thead><tr><th>Name</th><th>Role</th></tr></thead>" in table
    assert "<td>Alex Morgan</td><td>Chair</td>" in table
    assert f"<td>{world.panel.display_name}</td><td>Detective Inspector</td>" in table
    assert world.author_a.display_name not in table  # IMR authors are not the panel
    assert [b.number for b in blocks] == ["1.1", "", "1.2"]  # numbered as the composer numbers any block
    assert not composed.unresolved_references
    _composed, published = _blocks(section, publication=True)
    assert "<td>Alex Morgan</td><td>Chair</td>" in published[1].html  # panel names are not registered people


def test_terms_of_reference_are_the_text_and_the_key_lines_numbered(section: Section, world: World):
    world.review.terms_of_reference = "The review asks how agencies worked together.\n\nIt covers 2019 to 2021."
    world.review.save()
    for position, text in enumerate(["Was the risk known?", "Were the children seen?"], start=1):
        KeyLineOfEnquiry.objects.create(review=world.review, position=position, text=text)
    section = _save(section, world, "<p>[[data:terms-of-reference]]</p>")
    _composed, blocks = _blocks(section)
    assert [(b.tag, b.text) for b in blocks] == [
        ("p", "The review asks how agencies worked together."),
        ("p", "It covers 2019 to 2021."),
        ("ol", "Was the risk known? Were the children seen?"),
    ]
    assert blocks[2].html == "<ol><li>Was the risk known?</li><li>Were the children seen?</li></ol>"


def test_contributors_show_each_imr_its_author_and_a_nil_return_with_its_reason(section: Section, world: World):
    agency = AgencyFactory(partnership=world.review.partnership, name="Northshire Ambulance Service")
    ImrFactory(review=world.review, agency=agency, author=None, status=Imr.Status.NIL_RETURN,
               nil_return_reason="One conveyance to hospital, no other contact.")  # fmt: skip
    section = _save(section, world, "<p>[[data:contributors]]</p>")
    _composed, blocks = _blocks(section)
    table = blocks[0].html
    assert "<th>Agency</th><th>IMR author</th><th>Contribution</th>" in table
    assert f"<td>{world.agency_a.name}</td><td>{world.author_a.display_name}</td><td>In progress</td>" in table
    assert f"<td>{world.agency_b.name}</td><td>{world.author_b.display_name}</td><td>Submitted</td>" in table
    assert (
        "<td>Northshire Ambulance Service</td><td></td>"
        "<td>Nil return: One conveyance to hospital, no other contact.</td>" in table
    )


def test_key_episodes_with_their_date_ranges(section: Section, world: World):
    _episode(world)
    _episode(world, title="The second key episode", start=datetime.date(2021, 8, 1), end=datetime.date(2021, 9, 2))
    _episode(world, review=world.other_review, title="Another review's episode")
    section = _save(section, world, "<p>[[data:key-episodes]]</p>")
    _composed, blocks = _blocks(section)
    assert blocks[0].html == (
        "<ul><li>The first key episode (1 April 2021 to 31 May 2021)</li>"
        "<li>The second key episode (1 August 2021 to 2 September 2021)</li></ul>"
    )


def test_an_episode_chronology_is_the_latest_ready_version_within_its_dates(section: Section, world: World):
    episode = _episode(world)
    _chronology(world.review, [
        (datetime.date(2021, 3, 30), "30 March 2021", "Before", "Outside the episode."),
        (datetime.date(2021, 4, 2), "2 April 2021", "Call-out", "Crew saw Susan Marsh at home."),
        (datetime.date(2021, 6, 1), "1 June 2021", "After", "Outside the episode too."),
    ])  # fmt: skip
    section = _save(section, world, f"<p>[[data:episode-chronology:{episode.pk}]]</p>")
    composed, blocks = _blocks(section)
    table = blocks[0].html
    assert "<th>Date</th><th>Agency</th><th>Event</th><th>Details</th>" in table
    assert "<td>2 April 2021</td><td>Northshire Ambulance Service</td><td>Call-out</td>" in table
    assert "Crew saw Susan Marsh at home." in table
    assert "Outside the episode" not in table
    assert not composed.unresolved_references
    # The publication version: the registered name in the details is replaced by the designation.
    _composed, published = _blocks(section, publication=True)
    assert "Susan Marsh" not in published[0].html
    assert "Crew saw the victim's mother at home." in published[0].text


def test_another_reviews_episode_shows_nothing_of_it_and_blocks_publication(section: Section, world: World):
    theirs = _episode(world, review=world.other_review, title="Child S at school")
    _chronology(world.other_review, [(datetime.date(2021, 4, 2), "2 April 2021", "Visit", "Seen by the nurse.")])
    section = _save(section, world, f"<p>[[data:episode-chronology:{theirs.pk}]]</p>")
    composed, blocks = _blocks(section)
    assert [b.text for b in blocks] == [f"[unknown episode: {theirs.pk}]"]
    assert "Child S" not in blocks[0].html and "nurse" not in blocks[0].html
    assert composed.unresolved_references == [f"[[data:episode-chronology:{theirs.pk}]] in 1. {section.title}"]


def test_an_unknown_block_shows_and_blocks_publication(section: Section, world: World):
    section = _save(section, world, "<p>[[data:panel-members]]</p><p>[[data:panel:3]]</p>")
    composed, blocks = _blocks(section)
    assert [b.text for b in blocks] == ["[unknown data block: panel-members]", "[unknown data block: panel:3]"]
    assert len(composed.unresolved_references) == 2
    check = publication_check(section.document)
    assert check.unresolved and not check.passed
    assert any("[[data:panel-members]]" in problem for problem in check.problems())


def test_recommendations_block_is_the_recommendations_table(section: Section, world: World):
    recommendation = Recommendation.objects.create(
        review=world.review, number=1, text="Susan Marsh's GP should be told.", expected_outcome="Fewer missed calls."
    )
    recommendation.agencies.add(world.agency_a)
    section = _save(section, world, "<p>[[data:recommendations]]</p>")
    _composed, blocks = _blocks(section)
    assert "<th>No.</th><th>Recommendation</th><th>Agencies</th>" in blocks[0].html
    assert f"<td>1</td><td>Susan Marsh's GP should be told.</td><td>{world.agency_a.name}</td>" in blocks[0].html
    _composed, published = _blocks(section, publication=True)
    assert "Susan Marsh" not in published[0].html and "The victim's mother's GP" in published[0].text


def test_a_token_among_words_is_not_a_block(section: Section, world: World):
    section = _save(section, world, "<p>See [[data:panel]] here.</p>")
    _composed, blocks = _blocks(section)
    assert [b.tag for b in blocks] == ["p"] and "[[data:panel]]" in blocks[0].text


def test_a_change_to_what_a_block_reads_supersedes_the_renders(section: Section, world: World):
    section = _save(section, world, "<p>[[data:panel]]</p><p>[[data:contributors]]</p><p>[[data:key-episodes]]</p>")
    document = section.document

    def fingerprint() -> str:
        return render.current_fingerprints(document, publication=False)["pdf"]

    before = fingerprint()
    ReviewMembership.objects.filter(review=world.review, user=world.panel).update(panel_role="Head of Service")
    after_role = fingerprint()
    assert after_role != before
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)
    after_imr = fingerprint()
    assert after_imr != after_role
    _episode(world)
    assert fingerprint() != after_imr
    ReviewMembership.objects.create(review=world.review, user=UserFactory(username="new"), role="panel")
    assert fingerprint() != after_imr


def test_the_editor_is_offered_every_block_and_this_reviews_episodes_by_title(world: World):
    mine = _episode(world)
    _episode(world, review=world.other_review, title="Not ours")
    offered = {choice.token: choice.label for choice in data_blocks.choices(world.review)}
    assert "[[data:panel]]" in offered and "[[data:recommendations]]" in offered
    assert offered[f"[[data:episode-chronology:{mine.pk}]]"] == "Chronology of “The first key episode”"
    assert not any("Not ours" in label for label in offered.values())


@pytest.mark.parametrize("name", ["terms-of-reference", "panel", "contributors", "key-episodes", "recommendations"])
def test_every_block_renders_something_when_the_review_holds_nothing(name: str, section: Section, world: World):
    ReviewMembership.objects.filter(review=world.review).delete()
    Imr.objects.filter(review=world.review).update(status=Imr.Status.REQUESTED)
    section = _save(section, world, f"<p>[[data:{name}]]</p>")
    composed, blocks = _blocks(section)
    assert blocks and all(b.text for b in blocks) and not composed.unresolved_references


def test_the_reading_page_shows_what_a_block_prints(client, section: Section, world: World):
    ReviewMembership.objects.filter(review=world.review, user=world.panel).update(panel_role="Detective Inspector")
    section = _save(section, world, "<p>Before.</p><p>[[data:panel]]</p>")
    client.force_login(world.chair)
    page = client.get(f"/reviews/{world.review.pk}/documents/{section.document_id}/sections/{section.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<th>Role</th>" in text and "<td>Detective Inspector</td>" in text
    assert "[[data:panel]]" not in text


def test_the_editor_offers_the_chair_the_blocks_and_a_panel_member_none(client, section: Section, world: World):
    _episode(world)
    url = f"/reviews/{world.review.pk}/documents/{section.document_id}/sections/{section.pk}/edit/"
    client.force_login(world.chair)
    chair_page = client.get(url).content.decode()
    assert 'id="data-blocks"' in chair_page and "The first key episode" in chair_page
    assert 'data-command="data_block"' in chair_page
    client.force_login(world.panel)
    panel_page = client.get(url).content.decode()
    assert 'id="data-blocks"' not in panel_page and 'data-command="data_block"' not in panel_page


def test_a_panel_member_cannot_add_or_remove_a_data_block_outside_a_suggestion(section: Section, world: World):
    """The editor offers panel members no data blocks; the server refuses the change all the same."""
    old = sanitise("<p>One.</p><p>[[data:panel]]</p>")
    with pytest.raises(ValidationError, match="outside a suggestion"):
        suggestion_check(old=old, new=sanitise("<p>One.</p>"), actor=world.panel)
    with pytest.raises(ValidationError, match="outside a suggestion"):
        suggestion_check(old=old, new=sanitise("<p>One.</p><p>[[data:panel]]</p><p>[[data:contributors]]</p>"),
                         actor=world.panel)  # fmt: skip
    change = f'data-change="abcdefgh12" data-author="{world.panel.pk}" data-time="2026-01-01T10:00:00Z"'
    tracked = sanitise(f"<p>One.</p><p>[[data:panel]]</p><p {change}><ins {change}>[[data:contributors]]</ins></p>")
    assert suggestion_check(old=old, new=tracked, actor=world.panel) is True  # a suggestion for the chair
