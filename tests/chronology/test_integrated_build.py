"""How a version is written: copied inside the database exactly as the agencies' entries read,
under locks, beside a second thread drawing the timeline; what happens when the version is
removed, retried or stuck; and the picture drawn again when the review changes."""

import datetime
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from casereview import jobs
from chronology.integrated import build as integrated_build
from chronology.integrated import services as integrated_services
from chronology.integrated.search import fold
from chronology.integrated.timeline import timelines_redraw
from chronology.models import ChronologyEntry, Gap, IntegratedChronology, IntegratedEntry, SuggestedLink
from chronology.tasks import integrated_build_task
from reviews.models import Imr
from tests.chronology.integrated_world import build as _build
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


COPIED = (
    "position", "date_start", "date_end", "precision", "date_display", "time", "people", "source", "practitioner",
    "event", "details", "outcome", "comment", "significant",
)  # fmt: skip


def test_a_version_copies_its_agency_entries_as_they_read(review):
    chronology = _build(review)
    sources = {
        entry.pk: entry for entry in ChronologyEntry.objects.filter(imr__review=review).select_related("imr__agency")
    }
    copies = list(chronology.entries.order_by("seq"))
    assert [copy.seq for copy in copies] == list(range(1, len(sources) + 1)) and len(sources) == 7
    linked = {seq for link in chronology.links.all() for seq in (link.seq_a, link.seq_b)}
    for copy in copies:
        entry = sources[copy.source_id]
        assert [getattr(copy, name) for name in COPIED] == [getattr(entry, name) for name in COPIED]
        assert (copy.agency_id, copy.agency_name) == (entry.imr.agency_id, entry.imr.agency.name)
        assert copy.in_scope == (entry.date_end >= review.scope_start and entry.date_start <= review.scope_end)
        assert copy.linked == (copy.seq in linked)
        # Every searchable field, the people in their order ("Jade Marsh; Danny" stays in that order).
        text = (entry.date_display, entry.imr.agency.name, " ".join(entry.people), entry.event, entry.details,
                entry.outcome, entry.comment)  # fmt: skip
        assert sorted(re.findall(r"\w+", copy.search_text)) == sorted(re.findall(r"\w+", fold(" ".join(text))))
    words = {copy.pk: " ".join(re.findall(r"\w+", copy.search_text)) for copy in copies}
    assert any(copy.people == ["Jade Marsh", "Danny"] and " jade marsh danny " in words[copy.pk] for copy in copies)


def test_the_person_filter_and_search_find_a_name_with_accents_in_any_case(client, review, world):
    person = PersonFactory(review=review, real_name="Zoë Öztürk", aliases=[], designation="the neighbour")
    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(details="Visited ZOË ÖZTÜRK.")
    chronology = _build(review)
    # Kept folded: as written, and (but on PostgreSQL, which keeps only its vector) as shown with designations.
    home_visit = chronology.entries.extra(select={"shown": "search_shown"}).get(event="Home visit")
    assert "visited zoe ozturk." in home_visit.search_text
    assert connection.vendor == "postgresql" or "visited the neighbour." in home_visit.shown
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    assert "1 entry matches" in client.get(url, {"person": person.pk}).content.decode()
    for q in ("Öztürk", "öztürk", "OZTURK"):
        assert "1 entry matches" in client.get(url, {"q": q, "names": "real"}).content.decode()
        assert "No entries match" in client.get(url, {"q": q}).content.decode()  # shown as "the neighbour"


def test_a_version_removed_while_it_was_being_built_is_not_written_to_again(review, monkeypatch):
    progress = jobs.JobRun.progress

    def purged_between_the_two_steps(run, percent):
        progress(run, percent)
        if percent == 70:  # the entries are written; a purge of the review deletes the version
            IntegratedChronology.objects.filter(pk=run.pk).delete()

    monkeypatch.setattr(jobs.JobRun, "progress", purged_between_the_two_steps)
    chronology = integrated_services.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "abandoned"
    assert not IntegratedChronology.objects.filter(pk=chronology.pk).exists()
    for model in (IntegratedEntry, SuggestedLink, Gap):
        assert not model.objects.filter(chronology_id=chronology.pk).exists(), model


def test_a_build_that_cannot_copy_every_entry_it_read_fails_and_writes_nothing(review, monkeypatch):
    # The IMRs' locks make this impossible; the build checks all the same. An entry goes between
    # two of the build's steps (chronology.integrated.build: the order is written, not yet copied).
    fill = integrated_build.order_table_fill

    def fill_then_lose_one(merged):
        fill(merged)
        ChronologyEntry.objects.filter(pk=merged.rows[0].source_id).delete()

    monkeypatch.setattr(integrated_build, "order_table_fill", fill_then_lose_one)
    chronology = integrated_services.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "failed"
    chronology.refresh_from_db()
    assert chronology.error.startswith("An agency's chronology changed while this version was being built")
    assert not chronology.entries.exists() and not chronology.links.exists() and not chronology.gaps.exists()


def test_the_builds_second_thread_may_not_use_the_database(review):
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(integrated_build.without_database(lambda: Imr.objects.count()))
        with pytest.raises(RuntimeError, match="second thread may not use the database"):
            future.result()


def test_a_build_draws_the_timeline_beside_the_copy_and_a_broken_picture_is_only_left_out(review, monkeypatch):
    chronology = _build(review)
    assert chronology.timeline_svg.startswith("<svg") and 'class="target"' in chronology.timeline_svg

    def broken(*args, **kwargs):
        raise ValueError("no picture")

    monkeypatch.setattr("chronology.integrated.timeline_svg.timeline_svg", broken)
    chronology = _build(review)
    assert chronology.timeline_svg == "" and chronology.entry_count == 7


def test_deleting_a_version_deletes_its_entries_and_links_and_no_other(review):
    first, second = _build(review), _build(review)
    assert first.links.exists()
    first.delete()
    assert not IntegratedEntry.objects.filter(chronology_id=first.pk).exists()
    assert not SuggestedLink.objects.filter(chronology_id=first.pk).exists()
    assert (second.entries.count(), second.links.count()) == (7, 4)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_planner_has_statistics_for_a_new_version_before_the_page_opens(review):
    _build(review)
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'chronology_integratedentry'")
        analysed = {name for (name,) in cursor.fetchall()}
    assert {"chronology_id", "seq", "linked", "significant", "search_vector"} <= analysed


def test_a_built_timeline_is_drawn_again_when_the_episodes_or_the_register_change(
    review, world, django_capture_on_commit_callbacks
):
    from reviews import services as review_services

    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(details="Visited Kerry Dunn.")
    chronology = _build(review)
    assert "Kerry Dunn" in chronology.timeline_svg and "First key episode" not in chronology.timeline_svg
    with django_capture_on_commit_callbacks(execute=True):
        episode = integrated_services.episode_add(
            actor=world.chair,
            review=review,
            title="First key episode",
            start=datetime.date(2012, 5, 1),
            end=datetime.date(2012, 7, 31),
        )
    chronology.refresh_from_db()
    assert "First key episode" in chronology.timeline_svg
    with django_capture_on_commit_callbacks(execute=True):
        review_services.person_add(actor=world.chair, review=review, real_name="Kerry Dunn", designation="the friend")
    chronology.refresh_from_db()
    assert "Kerry Dunn" not in chronology.timeline_svg and "the friend" in chronology.timeline_svg
    with django_capture_on_commit_callbacks(execute=True):
        integrated_services.episode_remove(actor=world.chair, episode=episode)
    chronology.refresh_from_db()
    assert "First key episode" not in chronology.timeline_svg and "the friend" in chronology.timeline_svg


def test_a_redraw_the_broker_could_not_take_is_asked_for_again_by_the_sweeper(
    review, world, monkeypatch, django_capture_on_commit_callbacks
):
    from casereview.celery import app as celery_app
    from chronology.integrated import timeline as integrated_timeline
    from reviews import services as review_services

    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(details="Visited Kerry Dunn.")
    chronology = _build(review)
    assert chronology.timeline_wanted_at is None

    class BrokerDown:
        def apply_async(self, *args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("chronology.tasks.timelines_redraw_task", BrokerDown())
    celery_app.conf.task_always_eager = False  # a broker, and it is down
    with django_capture_on_commit_callbacks(execute=True):
        review_services.person_add(actor=world.chair, review=review, real_name="Kerry Dunn", designation="the friend")
    chronology.refresh_from_db()
    assert "Kerry Dunn" in chronology.timeline_svg and chronology.timeline_wanted_at is not None  # kept, not lost
    monkeypatch.undo()
    celery_app.conf.task_always_eager = True  # the broker is back (here: tasks run in process)
    assert integrated_timeline.timelines_sweep() == 0  # only just wanted: the first request may yet arrive
    later = timezone.now() + integrated_timeline.REDRAW_AFTER + timedelta(seconds=1)
    assert integrated_timeline.timelines_sweep(now=later) == 1
    chronology.refresh_from_db()
    assert "Kerry Dunn" not in chronology.timeline_svg and "the friend" in chronology.timeline_svg
    assert chronology.timeline_wanted_at is None


def test_a_picture_that_fails_to_draw_again_keeps_the_one_it_had(review, monkeypatch):
    chronology = _build(review)
    before = chronology.timeline_svg

    def broken(*args, **kwargs):
        raise ValueError("no picture")

    monkeypatch.setattr("chronology.integrated.timeline_svg.timeline_svg", broken)
    IntegratedChronology.objects.filter(pk=chronology.pk).update(timeline_wanted_at=timezone.now())
    assert timelines_redraw(review.pk) == 0
    chronology.refresh_from_db()
    assert chronology.timeline_svg == before != ""
    assert chronology.timeline_wanted_at is not None  # still wanted: the sweeper asks again


def test_a_lost_database_connection_is_retried_and_the_build_completes(review, monkeypatch):
    copy = integrated_build.entries_copy
    calls = []

    def drops_once(chronology, expected):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        copy(chronology, expected)

    monkeypatch.setattr(integrated_build, "entries_copy", drops_once)
    chronology = integrated_services.integrated_request(actor=None, review=review)
    # The attempt is queued again and sent at once (in process, it runs there and then).
    assert integrated_build_task.apply(args=[chronology.pk], throw=False).get() == "requeued"
    chronology.refresh_from_db()
    assert (chronology.status, chronology.entry_count, len(calls)) == ("ready", 7, 2)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two PostgreSQL sessions")
def test_an_agency_cannot_change_its_chronology_while_a_build_reads_and_copies_it(review, monkeypatch):
    from django.db import DatabaseError, connections, transaction

    inside, release = threading.Event(), threading.Event()
    fill = integrated_build.order_table_fill

    def pause_between_the_read_and_the_copy(merged):
        inside.set()
        assert release.wait(30)
        fill(merged)

    monkeypatch.setattr(integrated_build, "order_table_fill", pause_between_the_read_and_the_copy)
    chronology = IntegratedChronology.objects.create(review=review, version=1)  # no task: built below
    outcome = {}

    def build():
        try:
            outcome["built"] = jobs.job_execute(IntegratedChronology, chronology.pk, integrated_build.integrated_build)
        finally:
            connections.close_all()

    worker = threading.Thread(target=build)
    worker.start()
    try:
        assert inside.wait(30)
        imr = Imr.objects.get(review=review, agency__name="Northshire Police")
        # What an entry edit or a status change takes first (chronology.services.imr_lock_for_change).
        with pytest.raises(DatabaseError, match="could not obtain lock"), transaction.atomic():
            Imr.objects.select_for_update(nowait=True).get(pk=imr.pk)
    finally:
        release.set()
        worker.join(30)
    assert outcome == {"built": "ready"} and chronology.entries.count() == 7
    with transaction.atomic():  # free again once the build has copied the entries
        assert Imr.objects.select_for_update(nowait=True).get(pk=imr.pk).pk == imr.pk


def test_an_episode_added_while_a_version_is_built_is_in_its_picture(review, world, monkeypatch):
    copy = integrated_build.entries_copy

    def episode_meanwhile(chronology, expected):  # after the picture's inputs were read
        integrated_services.episode_add(
            actor=world.chair, review=review, title="Added meanwhile", start=datetime.date(2012, 5, 1),
            end=datetime.date(2012, 5, 31),
        )  # fmt: skip
        copy(chronology, expected)

    monkeypatch.setattr(integrated_build, "entries_copy", episode_meanwhile)
    assert "Added meanwhile" in _build(review).timeline_svg


def test_only_the_latest_version_is_tried_again(review, world, monkeypatch):
    monkeypatch.setattr(integrated_build, "entries_merge", lambda review, include_submitted: 1 / 0)
    failed = integrated_services.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[failed.pk]).get() == "failed"
    monkeypatch.undo()
    _build(review)  # version 2
    assert not integrated_services.integrated_retry(actor=world.chair, chronology=failed)
    failed.refresh_from_db()
    assert failed.status == "failed"
