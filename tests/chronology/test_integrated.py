"""The integrated chronology end to end: agency files in, the build task, links, decisions
that survive rebuilds, gaps, the page, and exports that never leak a registered name."""

import datetime
import io
import json
import subprocess
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from chronology import integrated, services
from chronology.exports_service import render_export
from chronology.importers import parse_chronology_file
from chronology.integrated_selectors import link_decisions
from chronology.integrated_timeline import timelines_redraw
from chronology.models import ChronologyEntry, Gap, IntegratedChronology, IntegratedEntry, SuggestedLink
from chronology.tasks import integrated_build_task
from reviews.models import Imr
from tests.factories import AgencyFactory, ImrFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "Date,Time,Person(s),Source,Event,Details,Significant\n"
FILES = {
    "Northshire Police": HEADER
    + "01/05/2012,11:00,Jade Marsh,PPU log,Strategy discussion,"
    + "Strategy discussion by phone with Danny's social worker.,Y\n"
    + "13/07/2012,,Jade Marsh,Incident log,Core group meeting,Officer attended the core group for Jade Marsh.,N\n"
    + "2001,,Daniel Rafiq,PNC,Arrest,Arrested for assault on a previous partner.,N\n",
    "Northshire Children's Social Care": HEADER
    + "23/05/2012,15:00,Jade Marsh; Danny,Case file,Strategy discussion,"
    + "Strategy discussion chaired by the team manager.,Y\n"
    + "13/07/2012,10:00,Jade Marsh,Core group minutes,Core group meeting,Core group held at the nursery.,N\n",
    "Northshire Health Visiting": HEADER
    + "13/07/2012,10:00,Jade Marsh,HV record,Core group meeting,"
    + "Attended the core group; Jade Marsh's mother present.,N\n"
    + "Summer 2011,,Jade Marsh,HV record,Home visit,Visited Jade at the hostel.,N\n",
}


@pytest.fixture
def review(world):
    review = world.review
    PersonFactory(
        review=review, real_name="Jade Louise Marsh", aliases=["Jade Marsh", "Jadey"], designation="the victim"
    )
    PersonFactory(review=review, real_name="Daniel Rafiq", aliases=["Danny"], designation="the perpetrator")
    for name, content in FILES.items():
        agency = review.partnership.agencies.filter(name=name).first() or AgencyFactory(
            partnership=review.partnership, name=name
        )
        imr = Imr.objects.filter(review=review, agency=agency).first() or ImrFactory(review=review, agency=agency)
        Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
        services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(content.encode()), replace=True)
        Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)
    review.scope_start, review.scope_end = datetime.date(2010, 1, 1), datetime.date(2012, 8, 6)
    review.save()
    return review


def _build(review, **options) -> IntegratedChronology:
    chronology = integrated.integrated_request(actor=None, review=review, **options)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "ready"
    chronology.refresh_from_db()
    return chronology


def _json(chronology, names="designations") -> dict:
    return json.loads(render_export(chronology, fmt="json", names=names))


def test_the_json_export_links_a_conflicting_strategy_discussion_and_a_three_agency_core_group(review):
    chronology = _build(review)
    data = _json(chronology)
    assert data["review"] == {
        "reference": "NDHR-01",
        "type": "dhr",
        "scope_start": "2010-01-01",
        "scope_end": "2012-08-06",
    }
    by_event = {}
    for entry in data["entries"]:
        by_event.setdefault(entry["event"], []).append(entry)
    police, social_care = sorted(by_event["Strategy discussion"], key=lambda entry: entry["date_start"])
    assert (police["date_start"], social_care["date_start"]) == ("2012-05-01", "2012-05-23")
    assert police["links"] == [{"kind": "date_conflict", "seq": social_care["seq"], "status": "suggested"}]
    core_group = by_event["Core group meeting"]
    assert len({entry["agency"] for entry in core_group}) == 3
    for entry in core_group:
        others = {other["seq"] for other in core_group} - {entry["seq"]}
        assert {(link["kind"], link["seq"]) for link in entry["links"]} == {
            ("possible_duplicate", seq) for seq in others
        }


def test_entries_outside_the_review_period_are_kept_and_marked(review):
    data = _json(_build(review))
    outside = [entry for entry in data["entries"] if not entry["in_scope"]]
    assert [(entry["date_display"], entry["agency"]) for entry in outside] == [("2001", "Northshire Police")]
    assert data["entries"][0]["date_display"] == "2001"  # kept, in date order


def test_the_chairs_decisions_hold_in_every_later_version(review, world):
    first = _build(review)
    conflict = first.links.get(kind="date_conflict")
    duplicate = first.links.filter(kind="possible_duplicate").first()
    integrated.link_decide(actor=world.chair, review=review, link=conflict, status="dismissed")
    integrated.link_decide(actor=world.chair, review=review, link=duplicate, status="confirmed")
    second = _build(review)
    statuses = {(link["kind"], link["status"]) for entry in _json(second)["entries"] for link in entry["links"]}
    assert ("date_conflict", "dismissed") in statuses and ("possible_duplicate", "confirmed") in statuses
    assert second.version == first.version + 1
    assert IntegratedChronology.objects.get(pk=first.pk).entries.count() == 7  # the old version stays readable


def _reimport(review, agency_name: str, content: str) -> None:
    """The agency uploads its chronology again: every entry is replaced, with new ids."""
    imr = Imr.objects.get(review=review, agency__name=agency_name)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
    services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(content.encode()), replace=True)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)


def _statuses(chronology) -> set[tuple[str, str]]:
    return {(link["kind"], link["status"]) for entry in _json(chronology)["entries"] for link in entry["links"]}


def test_the_chairs_decisions_survive_an_agency_reimporting_the_same_file(review, world):
    first = _build(review)
    conflict = first.links.get(kind="date_conflict")
    integrated.link_decide(actor=world.chair, review=review, link=conflict, status="dismissed")
    old_ids = set(Imr.objects.get(review=review, agency__name="Northshire Police").entries.values_list("pk", flat=True))
    _reimport(review, "Northshire Police", FILES["Northshire Police"])
    second = _build(review)
    relinked = second.links.get(kind="date_conflict")
    assert {relinked.source_a, relinked.source_b}.isdisjoint(old_ids)  # the police entry has a new id
    assert ("date_conflict", "dismissed") in _statuses(second)
    assert link_decisions(review.pk).of(relinked) == "dismissed"


def test_a_decision_no_longer_applies_once_the_reimported_entry_reads_differently(review, world):
    first = _build(review)
    integrated.link_decide(
        actor=world.chair, review=review, link=first.links.get(kind="date_conflict"), status="dismissed"
    )
    changed = FILES["Northshire Police"].replace(
        "Strategy discussion by phone with Danny's social worker.", "Strategy discussion by phone with the school."
    )
    _reimport(review, "Northshire Police", changed)
    second = _build(review)
    assert second.links.filter(kind="date_conflict").count() == 1  # still suggested: the dates still conflict
    assert ("date_conflict", "suggested") in _statuses(second)
    assert ("date_conflict", "dismissed") not in _statuses(second)


def test_a_fingerprint_ignores_case_and_spacing_but_not_the_words_dates_or_agency():
    from chronology.merge import entry_fingerprint

    day = datetime.date(2012, 5, 1)
    same = entry_fingerprint(1, day, day, "day", "Strategy  discussion\nby phone.")
    assert same == entry_fingerprint(1, day, day, "day", "strategy discussion by PHONE.")
    assert same != entry_fingerprint(1, day, day, "day", "Strategy discussion in person.")
    assert same != entry_fingerprint(2, day, day, "day", "Strategy discussion by phone.")
    assert same != entry_fingerprint(1, day, datetime.date(2012, 5, 31), "month", "Strategy discussion by phone.")


def test_a_gap_in_contact_is_found(review):
    data = _json(_build(review))
    # Contact in summer 2011 (a season) then nothing until 1 May 2012; from 1 Jan 2010 nothing until summer 2011.
    assert [(gap["start"], gap["end"]) for gap in data["gaps"]] == [
        ("2010-01-01", "2011-05-31"),
        ("2011-09-01", "2012-04-30"),
    ]


def test_no_registered_name_or_alias_leaves_in_any_export_with_designations(review, tmp_path):
    chronology = _build(review)
    forbidden = ["Jade Louise Marsh", "Jade Marsh", "Jadey", "Daniel Rafiq", "Danny"]
    texts = {}
    texts["json"] = render_export(chronology, fmt="json", names="designations").decode()
    texts["csv"] = render_export(chronology, fmt="csv", names="designations").decode("utf-8-sig")
    workbook = zipfile.ZipFile(io.BytesIO(render_export(chronology, fmt="xlsx", names="designations")))
    texts["xlsx"] = " ".join(workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml"))
    pdf = tmp_path / "chronology.pdf"
    pdf.write_bytes(render_export(chronology, fmt="pdf", names="designations"))
    texts["pdf"] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for fmt, text in texts.items():
        assert "the victim" in text.lower(), fmt
        for name in forbidden:
            assert name.lower() not in text.lower(), f"{name} in the {fmt} export"
    assert "Jade Marsh" in render_export(chronology, fmt="json", names="real").decode()


def test_a_build_runs_once_even_if_its_task_is_delivered_twice(review):
    chronology = _build(review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "not queued"
    assert chronology.entries.count() == 7


def test_a_failed_build_says_why_and_can_be_retried(review, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the merge fell over")

    monkeypatch.setattr("chronology.integrated.suggest_links", broken)
    chronology = integrated.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "failed"
    chronology.refresh_from_db()
    assert (chronology.status, chronology.error) == ("failed", "RuntimeError: the merge fell over")
    monkeypatch.undo()
    assert integrated.integrated_retry(actor=world.chair, chronology=chronology)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "ready"
    assert chronology.entries.count() == 7  # nothing left over from the failed attempt


def test_the_text_search_covers_the_agency_name_people_and_details(client, review, world):
    _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])

    def matches(text: str) -> str:
        return client.get(url, {"q": text}).content.decode()

    assert "1 entry matches" in matches("visiting hostel")  # the agency's name and the details
    assert "1 entry matches" in matches("rafiq assault")  # the people and the details
    assert "0 entries match" in matches("hostel police")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's full-text search")
def test_the_text_search_is_stemmed_on_postgresql_also_after_a_reimport(client, review, world):
    _reimport(review, "Northshire Health Visiting", FILES["Northshire Health Visiting"])
    chronology = _build(review)
    # Each entry's vector is its agency entry's own (migration 0005) joined to the agency's name.
    assert not chronology.entries.extra(where=["search_vector IS NULL"]).exists()
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    assert "1 entry matches" in client.get(url, {"q": "visits hostels"}).content.decode()  # "Visited ... hostel"


def test_submitted_chronologies_are_merged_only_when_the_chair_asks(review, world):
    Imr.objects.filter(review=review, agency__name="Northshire Health Visiting").update(status=Imr.Status.SUBMITTED)
    assert _build(review).entry_count == 5
    assert _build(review, include_submitted=True).entry_count == 7


def test_the_page_filters_by_agency_text_and_links_with_the_filters_in_the_url(client, review, world):
    _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    page = client.get(url).content.decode()
    assert "7 entries" in page and "<svg" in page and "the victim" in page and "Jade Marsh" not in page
    police = review.partnership.agencies.get(name="Northshire Police").pk
    assert "3 entries match" in client.get(url, {"agency": police}).content.decode()
    assert "1 entry matches" in client.get(url, {"q": "nursery"}).content.decode()
    assert "5 entries match" in client.get(url, {"linked": "linked"}).content.decode()
    real = client.get(url, {"names": "real"}).content.decode()
    assert "Jade Marsh" in real


def test_the_first_filtered_page_takes_a_fixed_number_of_queries(client, review, world, django_assert_max_num_queries):
    chronology = _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    client.get(url, {"q": "core group", "significant": "no"})
    with django_assert_max_num_queries(30) as first:
        client.get(url, {"q": "core group", "significant": "no"})
    more = [(f"{day:02d}/05/2012", "x") for day in range(1, 29)]
    content = HEADER + "".join(f"{date},,Jade Marsh,log,Core group meeting,{text},N\n" for date, text in more)
    imr = Imr.objects.get(review=review, agency__name="Northshire Police")
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
    services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(content.encode()), replace=True)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)
    _build(review)
    with django_assert_max_num_queries(len(first)) as second:
        client.get(url, {"q": "core group", "significant": "no"})
    assert len(second) == len(first), chronology


def test_build_and_export_commands(review, tmp_path, capsys):
    call_command("build_chronology", "NDHR-01")
    out = capsys.readouterr().out
    assert (
        "NDHR-01 integrated chronology v1: 7 entries from 3 agencies, 3 suggested duplicates, 1 date conflict, 2 gaps"
        in out
    )
    target = tmp_path / "out.json"
    call_command("export_chronology", "NDHR-01", "--format", "json", "--output", str(target))
    assert json.loads(target.read_bytes())["entries"][0]["seq"] == 1


def test_details_cannot_inject_markup_into_the_page_or_the_timeline(client, review, world):
    imr = Imr.objects.get(review=review, agency__name="Northshire Police")
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
    hostile = HEADER + '01/05/2012,,,log,<script>alert(1)</script>,"<img src=x onerror=alert(1)>",N\n'
    services.chronology_import(actor=None, imr=imr, result=parse_chronology_file(hostile.encode()), replace=True)
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.ACCEPTED)
    _build(review)
    client.force_login(world.chair)
    page = client.get(reverse("chronology:integrated", args=[review.pk])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page


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
        assert copy.search_text == " ".join(text).lower()
    assert any(copy.people == ["Jade Marsh", "Danny"] and "jade marsh danny" in copy.search_text for copy in copies)


def test_the_person_filter_and_search_find_a_name_with_accents_in_any_case(client, review, world):
    person = PersonFactory(review=review, real_name="Zoë Öztürk", aliases=[], designation="the neighbour")
    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(details="Visited ZOË ÖZTÜRK.")
    chronology = _build(review)
    assert "visited zoë öztürk." in chronology.entries.get(event="Home visit").search_text
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    assert "1 entry matches" in client.get(url, {"person": person.pk}).content.decode()
    assert "1 entry matches" in client.get(url, {"q": "Öztürk"}).content.decode()
    assert "1 entry matches" in client.get(url, {"q": "öztürk"}).content.decode()


def test_a_version_removed_while_it_was_being_built_is_not_written_to_again(review, monkeypatch):
    progress = integrated._progress

    def purged_between_the_two_steps(chronology_id, percent):
        progress(chronology_id, percent)
        if percent == 70:  # the entries are written; a purge of the review deletes the version
            IntegratedChronology.objects.filter(pk=chronology_id).delete()

    monkeypatch.setattr(integrated, "_progress", purged_between_the_two_steps)
    chronology = integrated.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "abandoned"
    assert not IntegratedChronology.objects.filter(pk=chronology.pk).exists()
    for model in (IntegratedEntry, SuggestedLink, Gap):
        assert not model.objects.filter(chronology_id=chronology.pk).exists(), model


def test_a_build_that_cannot_copy_every_entry_it_read_fails_and_writes_nothing(review, monkeypatch):
    fill = integrated._fill_order_table

    def fill_then_lose_one(rows, linked):
        fill(rows, linked)
        ChronologyEntry.objects.filter(pk=rows[0].source_id).delete()

    monkeypatch.setattr(integrated, "_fill_order_table", fill_then_lose_one)
    chronology = integrated.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "failed"
    chronology.refresh_from_db()
    assert chronology.error == "RuntimeError: 6 of the 7 entries read could be copied"
    assert not chronology.entries.exists() and not chronology.links.exists() and not chronology.gaps.exists()


def test_the_builds_second_thread_may_not_use_the_database(review):
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(integrated._without_database(lambda: Imr.objects.count()))
        with pytest.raises(RuntimeError, match="second thread may not use the database"):
            future.result()


def test_a_build_draws_the_timeline_beside_the_copy_and_a_broken_picture_is_only_left_out(review, monkeypatch):
    chronology = _build(review)
    assert chronology.timeline_svg.startswith("<svg") and 'href="?seq=1#entry-1"' in chronology.timeline_svg

    def broken(*args, **kwargs):
        raise ValueError("no picture")

    monkeypatch.setattr("chronology.timeline.timeline_svg", broken)
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
        episode = integrated.episode_add(
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
        integrated.episode_remove(actor=world.chair, episode=episode)
    chronology.refresh_from_db()
    assert "First key episode" not in chronology.timeline_svg and "the friend" in chronology.timeline_svg


def test_a_picture_that_fails_to_draw_again_keeps_the_one_it_had(review, monkeypatch):
    chronology = _build(review)
    before = chronology.timeline_svg

    def broken(*args, **kwargs):
        raise ValueError("no picture")

    monkeypatch.setattr("chronology.timeline.timeline_svg", broken)
    assert timelines_redraw(review.pk) == 0
    chronology.refresh_from_db()
    assert chronology.timeline_svg == before != ""


def test_a_build_whose_task_was_lost_offers_a_retry_and_builds(client, review, world):
    chronology = integrated.integrated_request(actor=None, review=review)  # its task never runs
    url = reverse("chronology:integrated", args=[review.pk])
    retry = reverse("chronology:build_retry", args=[review.pk, chronology.pk])
    client.force_login(world.chair)
    assert retry not in client.get(url).content.decode()  # only just asked for: it waits
    assert not integrated.integrated_retry(actor=world.chair, chronology=chronology)
    IntegratedChronology.objects.filter(pk=chronology.pk).update(requested_at=timezone.now() - timedelta(minutes=16))
    page = client.get(url).content.decode()
    assert "It has waited more than 15 minutes to start" in page and retry in page
    client.force_login(world.panel)
    assert retry not in client.get(url).content.decode()  # the chair's to retry
    assert integrated.integrated_retry(actor=world.chair, chronology=chronology)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "ready"


def test_an_attempt_overtaken_by_a_retry_stops_without_writing(review, monkeypatch):
    progress = integrated._progress

    def retried_meanwhile(chronology_id, percent):
        progress(chronology_id, percent)
        if percent == 70:  # a retry of this stuck build, and a second worker claiming it
            IntegratedChronology.objects.filter(pk=chronology_id).update(status="queued")
            assert integrated.integrated_claim(chronology_id)

    monkeypatch.setattr(integrated, "_progress", retried_meanwhile)
    chronology = integrated.integrated_request(actor=None, review=review)
    assert integrated_build_task.apply(args=[chronology.pk]).get() == "abandoned"
    chronology.refresh_from_db()
    assert chronology.status == "building" and not chronology.error  # the newer attempt's, untouched
    assert not chronology.links.exists() and not chronology.gaps.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two PostgreSQL sessions")
def test_an_agency_cannot_change_its_chronology_while_a_build_reads_and_copies_it(review, monkeypatch):
    from django.db import DatabaseError, connections, transaction

    inside, release = threading.Event(), threading.Event()
    fill = integrated._fill_order_table

    def pause_between_the_read_and_the_copy(rows, linked):
        inside.set()
        assert release.wait(30)
        fill(rows, linked)

    monkeypatch.setattr(integrated, "_fill_order_table", pause_between_the_read_and_the_copy)
    chronology = IntegratedChronology.objects.create(review=review, version=1)  # no task: built below
    assert integrated.integrated_claim(chronology.pk)
    outcome = {}

    def build():
        try:
            outcome["built"] = integrated.integrated_build(chronology.pk).entry_count
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
    assert outcome == {"built": 7}
    with transaction.atomic():  # free again once the build has copied the entries
        assert Imr.objects.select_for_update(nowait=True).get(pk=imr.pk).pk == imr.pk
