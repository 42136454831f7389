"""Document writes: layouts, saves and their refusal when stale, history,
comments, status and the glossary. Every write is audited; a refused one writes nothing."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from reports import discussion_services, document_services, glossary_services, services
from reports.layouts import DHR_OVERVIEW, SAR_SUMMARY
from reports.models import Comment, Document, GlossaryTerm, Section, SectionRevision
from reviews.models import AuditEntry
from tests.conftest import World
from tests.factories import ReviewFactory


def test_a_new_dhr_overview_report_has_the_home_office_sections_in_order(overview: Document):
    assert list(overview.sections.values_list("title", flat=True)) == DHR_OVERVIEW
    assert list(overview.sections.values_list("position", flat=True)) == list(range(1, len(DHR_OVERVIEW) + 1))
    assert overview.sections.get(title="Recommendations").kind == Section.Kind.RECOMMENDATIONS
    assert AuditEntry.objects.filter(action="document.created", object_id=str(overview.pk)).exists()


def test_a_sar_executive_summary_follows_the_sar_layout(world: World):
    review = ReviewFactory(partnership=world.review.partnership, review_type="sar")
    document = document_services.document_create(review=review, kind="executive_summary", actor=world.chair)
    assert list(document.sections.values_list("title", flat=True)) == SAR_SUMMARY


def test_a_review_has_one_document_of_each_kind(overview: Document, world: World):
    with pytest.raises(ValidationError, match="already has an overview report"):
        document_services.document_create(review=world.review, kind="overview", actor=world.chair)


def test_saving_sanitises_counts_the_version_and_keeps_a_revision(section: Section, world: World):
    saved = services.section_save(
        section_id=section.pk, body='<p onclick="x()">New <script>bad()</script>text</p>', base_version=1,
        actor=world.chair,
    )  # fmt: skip
    assert saved.body == "<p>New text</p>"
    assert saved.version == 2
    assert list(saved.revisions.values_list("version", "body")) == [
        (2, "<p>New text</p>"),
        (1, "<p>One.</p><p>Two.</p><p>Three.</p>"),
    ]
    assert AuditEntry.objects.filter(action="section.saved", object_id=str(section.pk)).count() == 2


def test_a_save_based_on_an_old_version_is_refused_and_writes_nothing(section: Section, world: World):
    services.section_save(section_id=section.pk, body="<p>Theirs.</p>", base_version=1, actor=world.panel)
    with pytest.raises(services.StaleSection) as refused:
        services.section_save(section_id=section.pk, body="<p>Mine.</p>", base_version=1, actor=world.chair)
    assert "after you opened it (version 1 is now version 2)" in str(refused.value)
    section.refresh_from_db()
    assert section.body == "<p>Theirs.</p>" and section.version == 2
    assert not SectionRevision.objects.filter(section=section, body="<p>Mine.</p>").exists()


def test_an_unchanged_save_makes_no_new_version(section: Section, world: World):
    same = services.section_save(section_id=section.pk, body=section.body, base_version=1, actor=world.chair)
    assert same.version == 1 and section.revisions.count() == 1


def test_autosaves_are_kept_as_revisions_but_not_audited_one_by_one(section: Section, world: World):
    services.section_save(section_id=section.pk, body="<p>a</p>", base_version=1, actor=world.chair, autosave=True)
    services.section_save(section_id=section.pk, body="<p>ab</p>", base_version=2, actor=world.chair, autosave=True)
    assert section.revisions.filter(autosave=True).count() == 2
    assert AuditEntry.objects.filter(action="section.saved", object_id=str(section.pk)).count() == 1


SAVE_ID = "5a1f0c2e-9b8d-4e7f-a6c5-b4d3e2f1a0b9"


def test_a_save_id_names_one_revision_of_a_section_and_empty_ones_do_not_count(section: Section, world: World):
    services.section_save(section_id=section.pk, body="<p>a</p>", base_version=1, actor=world.chair, save_id=SAVE_ID)
    services.section_save(section_id=section.pk, body="<p>b</p>", base_version=2, actor=world.chair)
    services.section_save(section_id=section.pk, body="<p>c</p>", base_version=3, actor=world.chair)
    assert section.revisions.filter(save_id="").count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionRevision.objects.create(section=section, version=9, title="x", author=world.chair, save_id=SAVE_ID)


def test_a_save_that_loses_to_its_own_copy_at_the_constraint_is_answered_with_the_copys_version(
    section: Section, world: World, monkeypatch
):
    # The copy that got there first committed; the database refused this one's revision.
    real = services.section_save

    def copy_commits_first(**save):
        real(**save)
        raise IntegrityError('duplicate key value violates unique constraint "revision_one_per_save_id"')

    monkeypatch.setattr(services, "section_save", copy_commits_first)
    saved = services.section_save_once(
        section_id=section.pk, body="<p>a</p>", base_version=1, actor=world.chair, save_id=SAVE_ID, autosave=True
    )
    assert (saved.version, saved.repeated) == (2, True)
    assert section.revisions.filter(save_id=SAVE_ID).count() == 1


def test_a_save_refused_at_the_constraint_without_a_committed_copy_is_not_hidden(
    section: Section, world: World, monkeypatch
):
    def refused(**save):
        raise IntegrityError("refused")

    monkeypatch.setattr(services, "section_save", refused)
    with pytest.raises(IntegrityError):
        services.section_save_once(
            section_id=section.pk, body="<p>a</p>", base_version=1, actor=world.chair, save_id=SAVE_ID
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two PostgreSQL sessions")
def test_two_copies_of_one_save_at_once_make_one_revision_and_both_are_answered_with_it(world: World, monkeypatch):
    document = document_services.document_create(review=world.review, kind=Document.Kind.OVERVIEW, actor=world.chair)
    section = document.sections.get(position=1)
    inside, release = threading.Event(), threading.Event()
    audit = services.audit_record

    def pause_inside_the_first_save(**entry):
        if entry["action"] == "section.saved" and not inside.is_set():
            inside.set()
            assert release.wait(30)
        return audit(**entry)

    monkeypatch.setattr(services, "audit_record", pause_inside_the_first_save)
    answers = []

    def send():
        try:
            answers.append(
                services.section_save_once(
                    section_id=section.pk, body="<p>Typed.</p>", base_version=0, actor=world.chair, save_id=SAVE_ID
                )
            )
        finally:
            connections.close_all()

    first, second = threading.Thread(target=send), threading.Thread(target=send)
    first.start()
    try:
        assert inside.wait(30)  # the first copy holds the section, its revision written
        second.start()
        for _ in range(300):  # until the second copy waits for the section
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("the second copy never waited for the first")
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert sorted((a.version, a.repeated) for a in answers) == [(1, False), (1, True)]
    assert SectionRevision.objects.filter(section=section).count() == 1


def test_an_approved_document_cannot_be_changed(section: Section, world: World):
    document = section.document
    document_services.document_status_change(document=document, to_status="panel_review", actor=world.chair)
    document_services.document_status_change(document=document, to_status="approved", actor=world.chair)
    with pytest.raises(ValidationError, match="approved: move it back to draft"):
        services.section_save(section_id=section.pk, body="<p>Late.</p>", base_version=1, actor=world.chair)
    with pytest.raises(ValidationError):
        services.section_add(document=document, title="Late", actor=world.chair)


def test_status_moves_one_step_at_a_time_and_is_recorded(overview: Document, world: World):
    with pytest.raises(ValidationError, match="A draft document cannot move to published"):
        document_services.document_status_change(document=overview, to_status="published", actor=world.chair)
    document_services.document_status_change(
        document=overview, to_status="panel_review", actor=world.chair, note="For May"
    )
    overview.refresh_from_db()
    assert overview.status == "panel_review" and overview.status_changed_by == world.chair
    change = overview.status_changes.get()
    assert (change.from_status, change.to_status, change.note) == ("draft", "panel_review", "For May")


def test_restoring_an_old_version_adds_a_new_one(section: Section, world: World):
    services.section_save(section_id=section.pk, body="<p>Replaced.</p>", base_version=1, actor=world.chair)
    first = section.revisions.get(version=1)
    restored = services.section_restore(section=section, revision=first, base_version=2, actor=world.chair)
    assert restored.version == 3 and restored.body == first.body
    assert restored.revisions.get(version=3).note == "Restored version 1"


def test_sections_are_added_after_another_moved_and_removed_with_their_text_kept_in_the_audit(
    overview: Document, section: Section, world: World
):
    added = services.section_add(document=overview, title="  Scope  of   review ", actor=world.chair, after=section)
    assert added.title == "Scope of review" and added.position == 2
    assert overview.sections.get(title="Timescales").position == 3
    services.section_move(section=added, direction="up", actor=world.chair)
    assert list(overview.sections.values_list("title", flat=True)[:2]) == ["Scope of review", "Introduction"]
    services.section_remove(section=section, actor=world.chair)
    assert not Section.objects.filter(pk=section.pk).exists()
    entry = AuditEntry.objects.get(action="section.removed")
    assert entry.detail["body"] == "<p>One.</p><p>Two.</p><p>Three.</p>"
    with pytest.raises(ValidationError, match="Give the section a title"):
        services.section_add(document=overview, title="   ", actor=world.chair)


def test_replies_thread_under_the_first_comment_and_threads_resolve(section: Section, world: World):
    thread = discussion_services.comment_add(section=section, actor=world.panel, text="Why?", quote="Two.")
    reply = discussion_services.comment_add(section=section, actor=world.chair, text="Because.", parent=thread)
    reply_to_reply = discussion_services.comment_add(section=section, actor=world.panel, text="OK.", parent=reply)
    assert reply.parent == thread and reply_to_reply.parent == thread
    assert reply.quote == ""
    discussion_services.comment_resolve(comment=thread, actor=world.chair, resolved=True)
    thread.refresh_from_db()
    assert thread.resolved_by == world.chair
    with pytest.raises(ValidationError, match="Resolve the thread"):
        discussion_services.comment_resolve(comment=reply, actor=world.chair, resolved=True)
    with pytest.raises(ValidationError, match="Write the comment"):
        discussion_services.comment_add(section=section, actor=world.panel, text="  ")
    assert Comment.objects.count() == 3


def test_a_pasted_glossary_saves_every_term_or_none_naming_each_bad_line(world: World):
    with pytest.raises(ValidationError) as refused:
        glossary_services.glossary_terms_import(
            review=world.review,
            text="MARAC: Multi-Agency Risk Assessment Conference\nno separator here\nGP:\n",
            actor=world.chair,
        )
    assert refused.value.messages == [
        'line 2: "no separator here" has no ":" between the abbreviation and its meaning',
        "line 3: Give what GP stands for.",
    ]
    assert not GlossaryTerm.objects.exists()
    count = glossary_services.glossary_terms_import(
        review=world.review, text="MARAC: Multi-Agency Risk Assessment Conference\nGP\tGeneral Practitioner",
        actor=world.chair,
    )  # fmt: skip
    assert count == 2
    assert dict(GlossaryTerm.objects.values_list("abbreviation", "expansion")) == {
        "MARAC": "Multi-Agency Risk Assessment Conference",
        "GP": "General Practitioner",
    }


def test_the_chair_hears_of_suggested_changes_and_comments_and_the_thread_of_replies(section: Section, world: World):
    from reviews.models import Notification

    # Words no generated user name can contain: the emails name the people who acted.
    change = f'data-change="change-0001" data-author="{world.panel.pk}" data-time="2026-12-03T20:45:00Z"'
    services.section_save(
        section_id=section.pk, body=f"<p>One.<ins {change}> Wording xqzv.</ins></p><p>Two.</p><p>Three.</p>",
        base_version=1, actor=world.panel, suggest_only=True,
    )  # fmt: skip
    thread = discussion_services.comment_add(
        section=section, actor=world.panel, text="Is this right about Susan Marsh, qjzx?"
    )
    discussion_services.comment_add(section=section, actor=world.chair, text="Yes.", parent=thread)
    sent = list(Notification.objects.order_by("pk").values_list("recipient__username", "subject", "body"))
    assert [(who, subject) for who, subject, _ in sent] == [
        ("chair", "NDHR-01: suggested changes to Introduction"),
        ("chair", "NDHR-01: a comment on Introduction"),
        ("panel", "NDHR-01: a reply on Introduction"),
    ]
    assert all("qjzx" not in body and "xqzv" not in body for _, _, body in sent)  # never the text itself
    assert f"/documents/{section.document_id}/sections/{section.pk}/" in sent[0][2]
