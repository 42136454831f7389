"""Archiving makes a review read-only; after its retention date its personal data is purged,
all or nothing, with a record, and what the board must keep remains."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casereview.celery import app as celery_app
from casereview.storage import file_store
from chronology.models import ChronologyEntry
from reports import document_services
from reports import services as report_services
from reports.submission_models import SubmissionFeedback, SubmissionPack
from reviews import retention
from reviews.audit import audit_record
from reviews.family_models import FamilyContact, FamilyOffer
from reviews.meeting_models import ActionArising, AgendaItem, PanelMeeting
from reviews.models import AuditEntry, Imr, Person, PublicationDecision, Review
from reviews.scoping_models import ScopingRecord
from tests.conftest import World
from tests.job_runs import run_job

TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)


def _archived(world: World, retain_until: datetime.date = NEXT_YEAR) -> Review:
    return retention.review_archive(actor=world.board_admin, review=world.review, retain_until=retain_until)


def test_an_archived_review_is_read_only_for_everyone(client: Client, world: World):
    _archived(world)
    client.force_login(world.chair)
    assert client.get(reverse("reviews:edit", args=[world.review.pk])).status_code == 403
    assert (
        client.post(reverse("reports:document_create", args=[world.review.pk]), {"kind": "overview"}).status_code == 403
    )
    page = client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
    assert "This review is archived: it is read-only." in page
    client.force_login(world.author_a)
    entry_url = reverse("chronology:entry_delete", args=[world.review.pk, world.imr_a.pk, world.entry_a.pk])
    assert client.post(entry_url).status_code == 403
    assert ChronologyEntry.objects.filter(pk=world.entry_a.pk).exists()


def test_a_purge_before_the_retention_date_is_refused_and_deletes_nothing(world: World):
    _archived(world)
    with pytest.raises(ValidationError, match="is kept until"):
        retention.review_purge(actor=world.board_admin, review=world.review)
    assert Person.objects.filter(review=world.review).exists()
    with pytest.raises(ValidationError, match="not archived"):
        retention.review_purge(actor=world.board_admin, review=world.other_review)


def test_a_purge_deletes_the_personal_data_and_keeps_the_outline_and_a_record(world: World):
    document = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    section = document.sections.first()
    report_services.section_save(section_id=section.pk, body="<p>Susan Marsh.</p>", base_version=0, actor=world.chair)
    report_services.section_remove(section=section, actor=world.chair)  # its text went to the audit trail
    decision = PublicationDecision.objects.create(
        review=world.review, kind="acknowledge", scope="section:1", text_hash="0" * 24, term_key="marsh|susan|",
        occurrence=1, context="Susan Marsh.", reason="Named by the family.", decided_by=world.chair,
    )  # fmt: skip
    audit_record(actor=world.chair, action="publication.acknowledged", obj=decision, review=world.review,
                 detail={"reason": "Named by the family."})  # fmt: skip
    _archived(world)
    counts = retention.review_purge(
        actor=world.board_admin, review=world.review, today=NEXT_YEAR + datetime.timedelta(days=1)
    )
    assert counts["people"] == 1 and counts["chronology entries"] == 2 and counts["documents"] >= 1
    review = Review.objects.get(pk=world.review.pk)
    assert review.purged_at and review.reference == "NDHR-01" and review.terms_of_reference == ""
    assert not Person.objects.filter(review=review).exists()
    assert not ChronologyEntry.objects.filter(imr__review=review).exists()
    assert Imr.objects.filter(review=review).count() == 2  # statuses and dates stay
    removed = AuditEntry.objects.get(action="section.removed")
    assert removed.detail == {"purged": True}
    # The chair's publication decisions held the wording around each name: gone, and their audit
    # entries keep who and when only.
    assert counts["publication decisions"] == 1 and not PublicationDecision.objects.filter(review=review).exists()
    assert AuditEntry.objects.get(action="publication.acknowledged").detail == {"purged": True}
    record = AuditEntry.objects.get(action="review.purged")
    assert record.actor == world.board_admin and record.detail["deleted"]["people"] == 1
    with pytest.raises(ValidationError, match="cannot be reopened"):
        retention.review_unarchive(actor=world.board_admin, review=review)


def test_a_purge_takes_what_running_the_review_wrote_about_the_case_and_keeps_the_record_of_it(
    world: World, django_capture_on_commit_callbacks
):
    """The family log names the people the register holds (so it goes first, or the people could
    not go); minutes, decisions, agendas, actions arising, the scoping account and the
    submission packs hold the case's detail."""
    review = world.review
    victim = Person.objects.get(review=review)
    FamilyContact.objects.create(
        review=review, person=victim, contact_date=TODAY, method="meeting", what_they_said="<p>Susan was kind.</p>",
        review_response="Noted.",
    )  # fmt: skip
    FamilyOffer.objects.create(review=review, person=victim, kind="meet_chair", made_on=TODAY, note="Susan's sister.")
    meeting = PanelMeeting.objects.create(
        review=review, starts_at=timezone.now(), place="Room 2", minutes="<p>Susan Marsh's GP.</p>",
        decisions="Ask about Susan.",
    )  # fmt: skip
    AgendaItem.objects.create(meeting=meeting, position=1, title="Susan's housing")
    ActionArising.objects.create(meeting=meeting, description="Find Susan's file", owner=world.chair, due_date=TODAY)
    ScopingRecord.objects.create(
        review=review, circumstances="Susan Marsh died at home.", decision="proceed", reasons="Susan was known.",
    )  # fmt: skip
    SubmissionFeedback.objects.create(review=review, outcome="resubmit", received_on=TODAY, text="Say more of Susan.")
    pack = SubmissionPack.objects.create(review=review, status="ready")
    pack.file.name = file_store(pack, "file", b"zip", ext="zip")
    pack.save(update_fields=["file"])
    stored, storage = pack.file.name, pack.file.storage
    assert storage.exists(stored)
    _archived(world)
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.review_purge(
            actor=world.board_admin, review=review, today=NEXT_YEAR + datetime.timedelta(days=1)
        )
    assert counts["people"] == 1 and counts["family contacts"] == 1 and counts["family offers"] == 1
    assert counts["actions arising"] == 1 and counts["submission packs"] == 1 and counts["meeting minutes"] == 1
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.decisions, meeting.place) == ("", "", "Room 2")  # the meeting itself stays
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    scoping = ScopingRecord.objects.get(review=review)
    assert scoping.decision == "proceed" and "Susan" not in scoping.circumstances + scoping.reasons
    assert "Susan" not in SubmissionFeedback.objects.get(review=review).text
    assert not SubmissionPack.objects.filter(review=review).exists() and not storage.exists(stored)


def test_the_daily_beat_entry_purges_only_reviews_past_their_date(world: World, settings):
    _archived(world, retain_until=TODAY + datetime.timedelta(days=1))
    Review.objects.filter(pk=world.review.pk).update(retain_until=TODAY - datetime.timedelta(days=1))
    entry = settings.CELERY_BEAT_SCHEDULE["purge-reviews-past-retention"]
    celery_app.loader.import_default_modules()  # what a worker does at start: find every app's tasks
    result = celery_app.tasks[entry["task"]].apply()
    assert result.get() == ["NDHR-01"]
    assert Review.objects.get(pk=world.review.pk).purged_at is not None
    assert Review.objects.get(pk=world.other_review.pk).purged_at is None
    assert celery_app.tasks[entry["task"]].apply().get() == []


def test_the_board_administrator_archives_and_must_type_the_reference_to_purge(client: Client, world: World):
    client.force_login(world.board_admin)
    too_soon = client.post(reverse("reviews:archive", args=[world.review.pk]), {"retain_until": TODAY.isoformat()})
    assert Review.objects.get(pk=world.review.pk).archived_at is None  # today is too soon
    # ...which is told at the date's field, on the page drawn again with the date as typed.
    assert too_soon.status_code == 400
    page = too_soon.content.decode()
    assert 'href="#id_retain_until"' in page and 'aria-invalid="true"' in page and TODAY.isoformat() in page
    client.post(reverse("reviews:archive", args=[world.review.pk]), {"retain_until": NEXT_YEAR.isoformat()})
    assert Review.objects.get(pk=world.review.pk).retain_until == NEXT_YEAR
    Review.objects.filter(pk=world.review.pk).update(retain_until=TODAY - datetime.timedelta(days=1))
    mistyped = client.post(reverse("reviews:purge", args=[world.review.pk]), {"confirm": "ndhr-01"})
    assert Review.objects.get(pk=world.review.pk).purged_at is None
    assert mistyped.status_code == 400 and 'href="#id_confirm"' in mistyped.content.decode()
    assert "type the reference NDHR-01 exactly" in mistyped.content.decode()
    response = client.post(reverse("reviews:purge", args=[world.review.pk]), {"confirm": "NDHR-01"}, follow=True)
    assert "Personal data purged" in response.content.decode()
    assert Review.objects.get(pk=world.review.pk).purged_at is not None


def test_the_daily_sweep_goes_on_past_a_review_it_may_not_purge(world: World, monkeypatch):
    from tests.factories import ReviewFactory

    later = ReviewFactory(partnership=world.review.partnership, reference="NDHR-02")
    for review in (world.review, later):
        retention.review_archive(actor=world.board_admin, review=review, retain_until=NEXT_YEAR)
    Review.objects.update(retain_until=TODAY - datetime.timedelta(days=1))
    real_purge = retention.review_purge

    def refuse_the_first(*, actor, review, today=None):
        if review.pk == world.review.pk:
            raise ValidationError("reopened meanwhile")
        return real_purge(actor=actor, review=review, today=today)

    monkeypatch.setattr(retention, "review_purge", refuse_the_first)
    assert retention.reviews_purge_due() == ["NDHR-02"]
    assert Review.objects.get(pk=later.pk).purged_at is not None


def test_a_purge_deletes_every_built_version_with_its_entries_and_links(world: World):
    from chronology.integrated import services as integrated_services
    from chronology.models import IntegratedChronology, IntegratedEntry, SuggestedLink

    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    chronology = integrated_services.integrated_request(actor=world.chair, review=world.review, include_submitted=True)
    run_job(chronology)
    assert IntegratedEntry.objects.filter(chronology=chronology).count() == 2
    assert SuggestedLink.objects.filter(chronology=chronology).exists()
    _archived(world)
    retention.review_purge(actor=world.board_admin, review=world.review, today=NEXT_YEAR + datetime.timedelta(days=1))
    assert not IntegratedChronology.objects.filter(review=world.review).exists()
    # No database constraint ties these rows to their version: Django's cascade deletes them.
    assert not IntegratedEntry.objects.filter(chronology_id=chronology.pk).exists()
    assert not SuggestedLink.objects.filter(chronology_id=chronology.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two PostgreSQL sessions")
def test_a_purge_beside_a_build_waits_for_it_and_leaves_no_row_behind(world: World, monkeypatch):
    import threading
    import time

    from django.db import connections

    from casereview import jobs
    from chronology.integrated import build as integrated_build
    from chronology.models import IntegratedChronology, IntegratedEntry, SuggestedLink

    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    inside, release = threading.Event(), threading.Event()
    copy = integrated_build.entries_copy

    def pause_before_the_copy(chronology, expected):
        inside.set()
        assert release.wait(30)
        copy(chronology, expected)

    monkeypatch.setattr(integrated_build, "entries_copy", pause_before_the_copy)
    chronology = IntegratedChronology.objects.create(review=world.review, version=1, include_submitted=True)
    run = jobs.job_claim(IntegratedChronology, chronology.pk)
    _archived(world)
    outcome = {}

    def in_its_own_session(name, work):
        def run():
            try:
                work()
                outcome[name] = "done"
            except jobs.JobAbandoned:
                outcome[name] = "abandoned"
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    build = in_its_own_session("build", lambda: integrated_build.integrated_build(chronology, run))
    purge = in_its_own_session(
        "purge",
        lambda: retention.review_purge(
            actor=world.board_admin, review=world.review, today=NEXT_YEAR + datetime.timedelta(days=1)
        ),
    )
    build.start()
    try:
        assert inside.wait(30)  # the build holds its version, between its read and its copy
        purge.start()
        for _ in range(300):  # until the purge waits for a lock
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("the purge never waited for the build")
    finally:
        release.set()
        build.join(30)
        purge.join(30)
    # The build's first step committed, then the purge deleted all of it; the second step found
    # its version gone and wrote nothing.
    assert outcome == {"build": "abandoned", "purge": "done"}
    assert not IntegratedChronology.objects.filter(pk=chronology.pk).exists()
    assert not IntegratedEntry.objects.filter(chronology_id=chronology.pk).exists()
    assert not SuggestedLink.objects.filter(chronology_id=chronology.pk).exists()
